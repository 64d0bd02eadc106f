// The `hotspot` command: crime and ASB hotspot analysis for Community Safety
// Partnerships. main() is the only place that turns errors into exit codes:
//   0 success, 1 runtime failure, 2 bad usage, 3 bad input data.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <map>
#include <string>

#include "core/base/error.hpp"
#include "layers/cli/commands.hpp"

namespace {
const char* const kVersion = "0.1.0";
}

int main(int argc, char** argv) {
  CLI::App app{"hotspot: crime and anti-social behaviour hotspot analysis for Community Safety Partnerships"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);
  std::map<CLI::App*, hotspot::cli::Runner> runners;
  auto* ingest = app.add_subcommand("ingest", "read police.uk / CSV / OGR incident files into EPSG:27700, accounting for every row");
  runners[ingest] = hotspot::cli::register_ingest(*ingest);
  auto* synth = app.add_subcommand("synth", "generate deterministic synthetic police.uk-format incidents with a known truth");
  runners[synth] = hotspot::cli::register_synth(*synth);
  auto* run = app.add_subcommand("run", "run a study file: ingest, counts by month and area, GeoPackage/CSV/GeoJSON and a report");
  runners[run] = hotspot::cli::register_run(*run);
  auto* geocode = app.add_subcommand("geocode", "geocode address rows through a gazetteer (or locate coordinate rows), assign them to areas, report the hit rate");
  runners[geocode] = hotspot::cli::register_geocode(*geocode);
  auto* evaluate = app.add_subcommand("evaluate", "before/after evaluation of interventions: odds ratio, WDQ, WDD, displacement, pooled schemes");
  runners[evaluate] = hotspot::cli::register_evaluate(*evaluate);
  auto* grid = app.add_subcommand("grid", "count incidents into square or hexagonal cells over a boundary, by period or category");
  runners[grid] = hotspot::cli::register_grid(*grid);
  auto* stat = app.add_subcommand("stat", "spatial statistics: gistar, lisa, moran, kde, optimized, emerging, near-repeat");
  runners[stat] = hotspot::cli::register_stat(*stat);
  auto* rank = app.add_subcommand("rank", "rank cells and areas for tasking (count, rate, harm, Gi*, emerging) and, with --evaluate, hotspot accuracy (PAI, PEI, RRI)");
  runners[rank] = hotspot::cli::register_rank(*rank);
  auto* exp = app.add_subcommand("export", "export layers as GeoJSON, a styled GeoPackage, CSV and PostGIS, with disclosure control for public releases");
  runners[exp] = hotspot::cli::register_export(*exp);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  std::string verb = "hotspot";
  try {
    for (auto& [sub, runner] : runners)
      if (sub->parsed()) {
        verb = sub->get_name();
        return runner();
      }
    return 2;
  } catch (const hotspot::UsageError& e) {
    std::fprintf(stderr, "hotspot %s: error: %s\n", verb.c_str(), e.what());
    return 2;
  } catch (const hotspot::InputError& e) {
    const std::string m = e.what();
    if (m.find(": error:") != std::string::npos) std::fprintf(stderr, "%s\n", m.c_str());
    else std::fprintf(stderr, "hotspot %s: error: %s\n", verb.c_str(), m.c_str());
    return 3;
  } catch (const hotspot::Error& e) {
    std::fprintf(stderr, "hotspot %s: error: %s\n", verb.c_str(), e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hotspot %s: internal error: %s\n", verb.c_str(), e.what());
    return 1;
  }
}
