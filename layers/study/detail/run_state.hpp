#pragma once
// Internal to layers/study: the state `hotspot run` builds stage by stage
// (run.cpp), which the tasking pack (run_pack.cpp: PNG maps, report.md/.html)
// reads. Not a public interface.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/grid/grid.hpp"
#include "core/incidents/incident_table.hpp"
#include "core/incidents/issues.hpp"
#include "core/stats/emerging.hpp"
#include "core/stats/kde.hpp"
#include "core/stats/optimized.hpp"
#include "core/target/ranking.hpp"
#include "layers/io/area_reader.hpp"
#include "layers/study/evaluate_study.hpp"
#include "layers/study/study.hpp"

namespace hotspot::layers::detail {

// One boundary layer and the incidents' areas in it.
struct Boundary {
  const BoundarySpec* spec = nullptr;
  AreaReadResult read;
  std::vector<uint32_t> area_of;  // per incident
  std::vector<uint64_t> counts;   // area x category
  uint64_t outside = 0;

  [[nodiscard]] uint64_t total(uint32_t area, std::span<const core::CategoryId> cats, std::size_t ncat) const {
    uint64_t t = 0;
    for (auto c : cats) t += counts[area * ncat + c];
    return t;
  }
};

// The ranked list for one kind of unit ("cells" or a boundary key).
struct UnitRanking {
  std::string unit;                 // "cells" or the boundary key
  core::RankInput input;            // ids, names, counts, harm, bins, ...
  core::Ranking ranking;            // every unit, ranked
  std::vector<core::Point> centre;  // per unit: label point (metres)
  const Boundary* boundary = nullptr;  // for boundary units
};

struct RunState {
  const Study* study = nullptr;
  std::filesystem::path out;
  core::Taxonomy tax;
  std::vector<std::string> warnings;

  // ingest + counts
  std::vector<Boundary> bounds;
  core::IncidentTable table;
  core::IngestCounts counts;
  nlohmann::json inputs_json = nlohmann::json::array();
  std::size_t ncat = 0;
  std::vector<uint64_t> by_cat;
  std::vector<core::CategoryId> cats;
  core::MonthIndex first = 0, last = -1;
  std::size_t nmonths = 0;
  std::vector<uint64_t> monthly;  // month x category
  uint64_t geocoded = 0, not_geocoded = 0, address_rows = 0;  // address inputs

  // published codes
  std::string published_layer;
  const Boundary* pub = nullptr;
  std::map<std::string, std::vector<uint64_t>> published;
  uint64_t with_code = 0, agree = 0, code_not_in_layer = 0;
  nlohmann::json published_json;

  // grid and statistics
  std::string grid_selection;            // "all incidents" or the categories
  std::optional<core::OptimizedResult> hot;  // grid, counts, Gi*, FDR bins (also without Gi*: grid + counts)
  bool has_gistar = false;
  std::vector<uint32_t> cell_of;         // per incident: cell, or Grid::kNone (outside / not selected)
  std::optional<core::KdeRaster> kde;
  std::optional<core::EmergingResult> emerging;
  std::vector<std::string> emerging_periods;  // labels
  double emerging_band_m = 0;
  std::optional<EvaluationRun> evaluation;
  std::vector<UnitRanking> rankings;

  // bookkeeping
  std::vector<std::string> reused;       // stages taken from the cache
  std::vector<std::string> computed;     // stages computed this run
  std::vector<std::pair<std::string, std::string>> maps;  // title, path relative to out

  [[nodiscard]] const Boundary* boundary(const std::string& key) const {
    for (const auto& b : bounds)
      if (b.spec->key == key) return &b;
    return nullptr;
  }
  // The boundary layer used to name places on maps and in the cell ranking: the one
  // with the fewest areas among those with 2 to 60 (wards in a district study).
  [[nodiscard]] const Boundary* reference_layer() const {
    const Boundary* best = nullptr;
    for (const auto& b : bounds) {
      const auto n = b.read.areas.size();
      if (n < 2 || n > 60 || b.spec->key == study->study_area) continue;
      if (!best || n < best->read.areas.size()) best = &b;
    }
    return best;
  }
  [[nodiscard]] uint64_t month_total(std::size_t m) const {
    uint64_t t = 0;
    for (auto c : cats) t += monthly[m * ncat + c];
    return t;
  }
};

// run_pack.cpp: PNG maps into out/maps (appends to state.maps), then report.md and
// report.html. @throws IoError.
void draw_maps(RunState& state);
std::string tasking_report(const RunState& state);

std::string thousands(uint64_t v);
std::string percent(double num, double den, int decimals = 1);
std::string fixed(double v, int decimals);

}  // namespace hotspot::layers::detail
