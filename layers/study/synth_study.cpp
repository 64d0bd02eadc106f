#include "layers/study/synth_study.hpp"

#include <charconv>
#include <chrono>
#include <fstream>

#include "core/base/error.hpp"
#include "core/geo/crs.hpp"
#include "layers/io/area_reader.hpp"
#include "layers/io/atomic_output.hpp"
#include "layers/io/csv.hpp"
#include "layers/io/police_uk_writer.hpp"

namespace hotspot::layers {

namespace fs = std::filesystem;

std::vector<core::Point> read_points_csv(const fs::path& path) {
  CsvChunker chunker(path);
  const CsvHeader& h = chunker.header();
  int xi = h.find("easting"), yi = h.find("northing");
  if (xi < 0 || yi < 0) {
    xi = h.find("x");
    yi = h.find("y");
  }
  if (xi < 0 || yi < 0)
    throw UsageError(path.string() + ": needs easting/northing (or x/y) columns in EPSG:27700");
  std::vector<core::Point> pts;
  CsvChunk chunk;
  while (chunker.next(chunk)) {
    parse_records(chunk, h.delimiter, [&](const CsvRecord& r) {
      if (r.bad != CsvBad::none || r.fields.size() != h.names.size()) return;
      double x = 0, y = 0;
      const auto fx = r.fields[static_cast<std::size_t>(xi)], fy = r.fields[static_cast<std::size_t>(yi)];
      if (std::from_chars(fx.data(), fx.data() + fx.size(), x).ec != std::errc() ||
          std::from_chars(fy.data(), fy.data() + fy.size(), y).ec != std::errc())
        return;
      pts.emplace_back(x, y);
    });
  }
  if (pts.empty()) throw UsageError(path.string() + ": no usable points");
  return pts;
}

nlohmann::json truth_to_json(const core::SynthConfig& cfg, const core::SynthTruth& truth, const core::Taxonomy& tax) {
  using nlohmann::json;
  core::Transformer to_wgs = core::Transformer::bng_to_wgs84();
  json j;
  j["generator"] = "hotspot synth";
  j["seed"] = cfg.seed;
  j["months"] = {core::format_month(cfg.first), core::format_month(cfg.last)};
  j["incidents_per_month"] = cfg.incidents_per_month;
  if (cfg.total_rows) j["total_rows"] = cfg.total_rows;
  j["snap"] = cfg.snap;
  j["seasonality"] = cfg.seasonality;
  j["total"] = truth.total;
  json cats = json::object();
  for (std::size_t c = 0; c < truth.category_counts.size(); ++c)
    if (truth.category_counts[c]) cats[tax.get(static_cast<core::CategoryId>(c)).name] = truth.category_counts[c];
  j["category_counts"] = cats;
  json hs = json::array();
  for (std::size_t i = 0; i < truth.hotspots.size(); ++i) {
    const auto& h = truth.hotspots[i];
    const core::Point ll = to_wgs.transform(h.x_m, h.y_m);
    hs.push_back({{"category", tax.get(h.category).name},
                  {"x", h.x_m},
                  {"y", h.y_m},
                  {"lon", ll.x()},
                  {"lat", ll.y()},
                  {"sigma_m", h.sigma_m},
                  {"share", h.share},
                  {"from", core::format_month(h.from)},
                  {"to", core::format_month(h.to)},
                  {"kind", h.from > cfg.first ? "emerging" : "persistent"},
                  {"automatic", h.automatic},
                  {"incidents", truth.hotspot_counts[i]}});
  }
  j["hotspots"] = hs;
  json es = json::array();
  for (std::size_t e = 0; e < truth.effects.size(); ++e) {
    const auto& et = truth.effects[e];
    const auto& ef = cfg.effects[e];
    json names = json::array();
    for (auto c : ef.categories) names.push_back(tax.get(c).name);
    es.push_back({{"name", et.name},
                  {"categories", names},
                  {"x", ef.x_m},
                  {"y", ef.y_m},
                  {"radius_m", ef.radius_m},
                  {"ring_m", ef.ring_m},
                  {"from", core::format_month(ef.from)},
                  {"drop_pct", ef.drop_pct},
                  {"displace_pct", ef.displace_pct},
                  {"months_before", et.months_before},
                  {"months_after", et.months_after},
                  {"target", {{"before", et.target_before}, {"after", et.target_after}}},
                  {"ring", {{"before", et.ring_before}, {"after", et.ring_after}}},
                  {"removed", et.removed},
                  {"displaced", et.displaced}});
  }
  j["effects"] = es;
  return j;
}

SynthRun synthesize_study(const Study& study, unsigned threads) {
  const auto t0 = std::chrono::steady_clock::now();
  if (!study.synth) throw UsageError(study.file.string() + ": error: the study has no [synth] section");
  const SynthSpec& spec = *study.synth;
  const core::Taxonomy tax = study.taxonomy();

  const BoundarySpec* b = study.boundary(spec.boundary);
  AreaReadResult boundary = read_areas(b->path.string(), {b->layer, b->code_field, b->name_field, ""});
  std::optional<AreaReadResult> areas;
  if (!spec.area_codes.empty()) {
    const BoundarySpec* a = study.boundary(spec.area_codes);
    areas = read_areas(a->path.string(), {a->layer, a->code_field, a->name_field, ""});
  }

  core::SynthConfig cfg;
  cfg.seed = spec.seed;
  cfg.first = spec.first;
  cfg.last = spec.last;
  cfg.incidents_per_month = spec.incidents_per_month;
  cfg.boundary = &boundary.areas;
  if (!spec.population.empty()) cfg.population = read_points_csv(spec.population);
  cfg.snap = spec.snap_m > 0 || !cfg.population.empty();
  cfg.hotspots_per_category = spec.hotspots_per_category;
  cfg.hotspot_share = spec.hotspot_share;
  cfg.seasonality = spec.seasonality;
  cfg.area_codes = areas ? &areas->areas : nullptr;
  cfg.threads = threads;
  auto category = [&](const std::string& name) {
    auto id = tax.find(name);
    if (!id) throw UsageError(study.file.string() + ": error: [synth] unknown category '" + name + "'");
    return *id;
  };
  for (const auto& [name, share] : spec.mix) cfg.mix.emplace_back(category(name), share);
  for (const auto& h : spec.hotspots) {
    core::SynthHotspot sh;
    sh.category = category(h.category);
    sh.x_m = h.x_m;
    sh.y_m = h.y_m;
    sh.sigma_m = h.sigma_m;
    sh.share = h.share;
    sh.from = h.from.value_or(spec.first);
    sh.to = h.to.value_or(spec.last);
    cfg.hotspots.push_back(sh);
  }
  for (const auto& e : spec.effects) {
    core::SynthEffect se;
    se.name = e.name;
    for (const auto& c : e.categories) se.categories.push_back(category(c));
    se.x_m = e.x_m;
    se.y_m = e.y_m;
    se.radius_m = e.radius_m;
    se.from = e.from;
    se.drop_pct = e.drop_pct;
    se.ring_m = e.ring_m;
    se.displace_pct = e.displace_pct;
    cfg.effects.push_back(std::move(se));
  }

  core::SynthTruth truth;
  const core::IncidentTable table = core::synthesize(cfg, tax, &truth);

  PoliceUkWriteOptions wo;
  wo.force = spec.force;
  wo.seed = spec.seed;
  if (areas)
    wo.area_name = [&](std::string_view code) -> std::string {
      auto i = areas->areas.find_code(code);
      return i ? areas->areas[*i].name : std::string();
    };
  SynthRun run;
  run.files = write_police_uk(table, tax, spec.out, wo);
  run.rows = table.size();
  run.truth = spec.out / "truth.json";
  {
    AtomicOutput out(run.truth);
    std::ofstream(out.temp_path()) << truth_to_json(cfg, truth, tax).dump(2) << '\n';
    out.commit();
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return run;
}

}  // namespace hotspot::layers
