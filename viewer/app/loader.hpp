#pragma once
// Loader: opens files on a worker thread so the window never freezes (STYLE.md
// section 4: the viewer loads on a worker thread, catches typed exceptions there and
// turns them into UI state). One job at a time; the UI polls every frame.
//
//   Loader loader;
//   loader.start({.path = "out/ashfield/study.gpkg"});
//   ... every frame:
//   if (auto done = loader.poll()) apply(*done);     // layers, incidents, warnings, error
//   loader.progress();                                // "reading incidents 40%"
//
// What a job does, by file:
//   *.toml      load_study(); reuse <output>/study.gpkg when it is newer than the study
//               file and every input, else run_study() into the study's output folder
//               (the same as `hotspot run STUDY.toml`); then open the GeoPackage.
//   a raster    read_raster() (GeoTIFF from `hotspot stat kde`, ...).
//   a vector    every layer (or the one asked for) through read_features(), and every
//               raster table of a GeoPackage (KDE surfaces) through read_raster(); polygon
//               layers also get a core::AreaSet and label points; a layer that looks
//               like incidents becomes an IncidentTable. Layers without geometry
//               (tables such as monthly_counts) are listed in the log, not drawn.
//   Beside a study.gpkg: evaluation.json (core/evaluate's results) and rejects.csv
//   (the rows `hotspot run` rejected) are picked up when present.

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "viewer/app/evaluation.hpp"
#include "viewer/app/incidents.hpp"
#include "viewer/app/layer.hpp"

namespace hotspot::viewer {

struct LoadRequest {
  std::string path;
  std::string layer;        // one layer only; empty = every layer
  bool as_basemap = false;  // style every layer as a basemap
};

struct RejectsTable {
  std::filesystem::path path;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // the first kMaxRows rows
  std::size_t total_rows = 0;
  static constexpr std::size_t kMaxRows = 20000;
};

struct LoadResult {
  LoadRequest request;
  std::vector<Layer> layers;                       // ids not assigned yet
  std::shared_ptr<const IncidentData> incidents;  // when a layer holds incidents
  std::string incidents_layer;                     // its name
  std::optional<EvaluationFile> evaluation;
  std::optional<RejectsTable> rejects;
  std::vector<std::string> info;      // what was opened ("study.gpkg: 6 layers")
  std::vector<std::string> warnings;  // reader warnings
  std::string error;                  // the job failed: nothing to add
  double seconds = 0;
};

// Runs a load on the calling thread (the worker calls it; tests call it directly).
// Never throws: failures are in LoadResult::error.
LoadResult load_now(const LoadRequest& request, const std::function<void(const std::string&)>& progress);

class Loader {
 public:
  Loader() = default;
  ~Loader();
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  // Starts a job. Requires: !busy().
  void start(LoadRequest request);
  // The finished job's result, once; nullopt while running or idle.
  std::optional<LoadResult> poll();
  [[nodiscard]] bool busy() const { return m_busy.load(); }
  // What the job is doing now ("reading wards_counts (3/7)").
  [[nodiscard]] std::string progress() const;

 private:
  void join();

  std::thread m_thread;
  std::atomic<bool> m_busy{false};
  std::atomic<bool> m_done{false};
  mutable std::mutex m_mutex;
  std::string m_progress;
  std::optional<LoadResult> m_result;
};

// The defaults for a freshly read layer: role from geometry and fields, a style
// (fields to colour by, ramps, labels, draw order rank). `as_basemap` forces a basemap.
void apply_default_style(Layer& layer, bool as_basemap);
// Draw order rank for new layers (lower is drawn first, i.e. underneath).
int default_draw_rank(const Layer& layer);

}  // namespace hotspot::viewer
