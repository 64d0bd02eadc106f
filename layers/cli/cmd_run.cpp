// hotspot run STUDY.toml --out DIR [--json]

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "core/base/error.hpp"
#include "layers/cli/commands.hpp"
#include "layers/cli/console.hpp"
#include "layers/study/run.hpp"
#include "layers/study/study.hpp"

namespace hotspot::cli {

namespace {

struct RunArgs {
  std::string study, out;
  unsigned threads = 0;
  bool json = false, quiet = false;
};

int run_run(const RunArgs& a) {
  Console con("run", a.quiet || a.json);
  const layers::Study study = layers::load_study(a.study);
  layers::RunOptions o;
  o.out = !a.out.empty() ? std::filesystem::path(a.out)
                         : (!study.output_dir.empty() ? study.output_dir : study.dir / "out");
  o.threads = a.threads;
  o.on_stage = [&](const std::string& stage) {
    con.finish_progress();
    con.info(stage + "...");
  };
  o.progress = [&](uint64_t done, uint64_t total) { con.progress("reading", done, total); };
  const layers::RunResult r = layers::run_study(study, o);
  con.finish_progress();
  for (const auto& w : r.warnings) con.warning(w);
  con.info("read " + thousands(r.counts.read) + " rows: " + thousands(r.counts.accepted) + " accepted, " +
           thousands(r.counts.rejected) + " rejected (see " + (o.out / "rejects.csv").string() + ")");
  for (const auto& issue : r.first_issues) con.line("  " + core::format_issue(issue));
  if (r.issues_total > r.first_issues.size())
    con.line("  ... and " + thousands(r.issues_total - r.first_issues.size()) + " more in rejects.csv");
  con.info("outputs in " + o.out.string() + ": study.gpkg, tables/, geojson/, report.md, summary.json");
  if (a.json) std::cout << r.summary.dump(2) << std::endl;
  if (r.counts.read > 0 && r.counts.accepted == 0) {
    con.error("no input row could be used; see rejects.csv");
    return 3;
  }
  return 0;
}

}  // namespace

Runner register_run(CLI::App& app) {
  auto a = std::make_shared<RunArgs>();
  app.add_option("study", a->study, "the study file (TOML)")->required();
  app.add_option("--out", a->out, "output folder (default: the study's [study] output, else <study dir>/out)");
  app.add_option("--threads", a->threads, "worker threads (default: all cores)");
  app.add_flag("--json", a->json, "print the JSON summary on stdout");
  app.add_flag("--quiet", a->quiet, "no progress or messages on stderr");
  return [a] { return run_run(*a); };
}

}  // namespace hotspot::cli
