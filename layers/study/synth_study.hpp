#pragma once
// Synthetic incidents for a study: turns a study's [synth] section (or the options of
// `hotspot synth`) into a core::SynthConfig, generates, and writes the police.uk-format
// files plus truth.json, the record of what was planted.
//
//   Study s = load_study("data/ashfield/study.toml");
//   SynthRun r = synthesize_study(s, /*threads=*/0);   // writes s.synth->out/*.csv
//
// truth.json holds: the configuration (seed, months, mix), every hotspot (category,
// centre in BNG and lon/lat, sigma, share, active months, incidents generated), every
// planted effect with the final counts in its target and ring before/after, and the
// incidents per category. Tests and later analyses read it to check their answers.

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/geo/geometry.hpp"
#include "core/synth/synth.hpp"
#include "layers/study/study.hpp"

namespace hotspot::layers {

struct SynthRun {
  std::vector<std::filesystem::path> files;
  std::filesystem::path truth;
  uint64_t rows = 0;
  double seconds = 0;
};

// @throws UsageError (no [synth] section, unknown category in the mix), IoError.
SynthRun synthesize_study(const Study& study, unsigned threads);

// Points from a CSV with easting/northing (or x/y) columns in EPSG:27700, e.g. the
// bundled postcode centroids. @throws IoError, UsageError (no such columns).
std::vector<core::Point> read_points_csv(const std::filesystem::path& path);

nlohmann::json truth_to_json(const core::SynthConfig& config, const core::SynthTruth& truth,
                             const core::Taxonomy& taxonomy);

}  // namespace hotspot::layers
