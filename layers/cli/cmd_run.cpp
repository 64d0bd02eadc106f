// hotspot run STUDY.toml --out DIR [--json]

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "core/base/error.hpp"
#include "layers/cli/commands.hpp"
#include "layers/cli/console.hpp"
#include "layers/io/ingest.hpp"
#include "layers/study/run.hpp"
#include "layers/study/study.hpp"

namespace hotspot::cli {

namespace {

struct RunArgs {
  std::string study, out;
  unsigned threads = 0;
  bool json = false, quiet = false, no_cache = false;
};

int run_run(const RunArgs& a) {
  Console con("run", a.quiet || a.json);
  const layers::Study study = layers::load_study(a.study);
  layers::RunOptions o;
  o.out = !a.out.empty() ? std::filesystem::path(a.out)
                         : (!study.output_dir.empty() ? study.output_dir : study.dir / "out");
  o.threads = a.threads;
  // Outputs never go among the inputs: a later run globbing "*.csv" there would read
  // rejects.csv as incidents, an input could be mistaken for an output, and the data
  // folder (the study file's, the boundaries', the interventions') stays clean.
  {
    std::error_code ec;
    const auto out_dir = std::filesystem::weakly_canonical(o.out, ec);
    std::vector<std::string> files{study.file.string()};
    for (const auto& in : study.inputs)
      for (const auto& f : layers::expand_globs(in.paths)) files.push_back(f);
    for (const auto& b : study.boundaries) files.push_back(b.path.string());
    if (study.evaluate && !study.evaluate->interventions.empty()) files.push_back(study.evaluate->interventions.string());
    if (study.geocode)
      for (const auto* p : {&study.geocode->gazetteer, &study.geocode->postcodes, &study.geocode->streets})
        if (!p->empty()) files.push_back(p->string());
    for (const auto& f : files) {
      std::error_code fec;
      const auto canonical = std::filesystem::weakly_canonical(std::filesystem::path(f), fec);
      if (!ec && !fec && canonical.parent_path() == out_dir)
        throw UsageError(o.out.string() + ": this folder holds the study's input " + f +
                         "; write the outputs to another folder");
    }
  }
  o.use_cache = !a.no_cache;
  // One line per stage, and a bar over the stages (the ingest shows its own bar of bytes read).
  o.on_step = [&](std::size_t k, std::size_t n, const std::string& stage) {
    con.finish_progress();
    if (k < n) con.info("[" + std::to_string(k + 1) + "/" + std::to_string(n) + "] " + stage + "...");
    con.progress("stages", k, n);
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
  std::string reused;
  for (const auto& st : r.summary["cache"]["reused"]) reused += (reused.empty() ? "" : ", ") + st.get<std::string>();
  if (!reused.empty()) con.info("reused from " + (o.out / "cache").string() + " (inputs and settings unchanged): " + reused);
  con.info("outputs in " + o.out.string() + ": report.md, report.html, maps/, study.gpkg, tables/, geojson/, summary.json");
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
  app.add_flag("--no-cache", a->no_cache, "recompute every stage (ignore and do not update DIR/cache)");
  app.add_flag("--quiet", a->quiet, "no progress or messages on stderr");
  return [a] { return run_run(*a); };
}

}  // namespace hotspot::cli
