// Nothing lost (issue 9): `hotspot run` killed with SIGKILL at random moments leaves
// every output it had written valid and readable and a re-run completes; a full disk
// (RLIMIT_FSIZE in the child: no root needed for a tiny tmpfs) and an output folder
// that cannot be written give a clear error and leave nothing half-written; input
// files are never modified and outputs never overwrite inputs.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <gdal.h>
#include <ogr_api.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/cli.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using hotspot::test::run_cli;
using hotspot::test::TempDir;

namespace {

// Starts `hotspot ARGS...` with stdout/stderr in `log`; optionally with a file-size
// limit (bytes) and SIGXFSZ ignored, so writes past it fail with EFBIG like a full disk.
pid_t spawn(const std::vector<std::string>& args, const fs::path& log, rlim_t fsize_limit = RLIM_INFINITY) {
  std::vector<std::string> argv_s{HOTSPOT_EXE};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::close(fd);
    }
    if (fsize_limit != RLIM_INFINITY) {
      ::signal(SIGXFSZ, SIG_IGN);  // stays ignored across exec
      rlimit lim{fsize_limit, fsize_limit};
      ::setrlimit(RLIMIT_FSIZE, &lim);
    }
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

// Exit code, or -signal when killed.
int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

// Hash of every regular file under `dir`, by path relative to it.
std::map<std::string, uint64_t> hash_tree(const fs::path& dir) {
  std::map<std::string, uint64_t> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = fnv1a(hotspot::test::read_file(e.path()));
  return out;
}

bool is_temporary(const fs::path& p) { return p.filename().string().find(".tmp-") != std::string::npos; }

// Feature count per layer of a GeoPackage, or an empty map when GDAL cannot open it.
std::map<std::string, int64_t> gpkg_layers(const fs::path& p) {
  GDALAllRegister();
  std::map<std::string, int64_t> out;
  GDALDatasetH ds = GDALOpenEx(p.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  if (!ds) return out;
  for (int i = 0; i < GDALDatasetGetLayerCount(ds); ++i) {
    OGRLayerH l = GDALDatasetGetLayer(ds, i);
    out[OGR_L_GetName(l)] = OGR_L_GetFeatureCount(l, 1);
  }
  GDALClose(ds);
  return out;
}

struct Baseline {
  std::map<std::string, uint64_t> hashes;              // deterministic files
  std::map<std::string, std::map<std::string, int64_t>> gpkgs;  // GeoPackages: layers and counts
};

// True for outputs whose bytes do not depend on the run (no timings, no timestamps).
bool deterministic(const fs::path& rel) {
  const auto ext = rel.extension().string();
  return ext == ".csv" || ext == ".geojson";
}

Baseline baseline_of(const fs::path& out) {
  Baseline b;
  for (const auto& [rel, h] : hash_tree(out)) {
    if (deterministic(rel)) b.hashes[rel] = h;
    if (fs::path(rel).extension() == ".gpkg") b.gpkgs[rel] = gpkg_layers(out / rel);
  }
  return b;
}

// Every output under its final name is complete: byte-identical to the baseline
// (CSV, GeoJSON), the same layers and counts (GeoPackage), parseable (JSON). Returns
// the number of files checked.
int expect_valid_outputs(const fs::path& out, const Baseline& b, const std::string& when) {
  int checked = 0;
  for (const auto& e : fs::recursive_directory_iterator(out)) {
    if (!e.is_regular_file() || is_temporary(e.path())) continue;
    const std::string rel = fs::relative(e.path(), out).string();
    if (rel.rfind("cache/", 0) == 0) continue;  // the run's own cache: checked by the re-run's results
    const std::string ext = e.path().extension().string();
    if (deterministic(rel)) {
      if (!b.hashes.count(rel)) {
        ADD_FAILURE() << when << ": unexpected output " << rel;
        continue;
      }
      EXPECT_EQ(fnv1a(hotspot::test::read_file(e.path())), b.hashes.at(rel)) << when << ": " << rel << " differs";
      if (ext == ".geojson") {
        EXPECT_TRUE(nlohmann::json::accept(hotspot::test::read_file(e.path()))) << rel;
      }
      ++checked;
    } else if (ext == ".gpkg") {
      if (!b.gpkgs.count(rel)) {
        ADD_FAILURE() << when << ": unexpected output " << rel;
        continue;
      }
      EXPECT_EQ(gpkg_layers(e.path()), b.gpkgs.at(rel)) << when << ": " << rel;
      ++checked;
    } else if (ext == ".json") {
      EXPECT_TRUE(nlohmann::json::accept(hotspot::test::read_file(e.path()))) << when << ": " << rel;
      ++checked;
    } else if (ext == ".md") {
      EXPECT_EQ(hotspot::test::read_file(e.path()).rfind("# ", 0), 0u) << when << ": " << rel;
      ++checked;
    }
  }
  return checked;
}

std::vector<fs::path> temporaries(const fs::path& out) {
  std::vector<fs::path> t;
  for (const auto& e : fs::recursive_directory_iterator(out))
    if (is_temporary(e.path())) t.push_back(e.path());
  return t;
}

std::string study() { return (hotspot::test::ashfield() / "study.toml").string(); }

}  // namespace

TEST(NothingLost, RunKilledAtRandomMomentsKeepsEveryOutputValidAndReRunCompletes) {
  TempDir d;
  const fs::path out = d / "out";
  const auto inputs_before = hash_tree(hotspot::test::ashfield());
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(wait_for(spawn({"run", study(), "--out", out.string()}, d / "first.log")), 0)
      << hotspot::test::read_file(d / "first.log");
  const auto full_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  const Baseline base = baseline_of(out);
  ASSERT_GE(base.hashes.size(), 5u);
  ASSERT_EQ(base.gpkgs.size(), 1u);

  // Kill moments spread over the whole run (seeded: a failure can be replayed).
  const unsigned seed = 9;
  std::mt19937 rng(seed);
  std::uniform_int_distribution<long> when(0, std::max<long>(50, static_cast<long>(full_ms)));
  int killed_midway = 0;
  for (int k = 0; k < 6; ++k) {
    const long ms = when(rng);
    const pid_t pid = spawn({"run", study(), "--out", out.string()}, d / "killed.log");
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    ::kill(pid, SIGKILL);
    if (wait_for(pid) == -SIGKILL) ++killed_midway;
    const std::string label = "kill " + std::to_string(k) + " after " + std::to_string(ms) + " ms (seed 9)";
    EXPECT_GE(expect_valid_outputs(out, base, label), 8) << label;
  }
  RecordProperty("killed_midway", killed_midway);
  EXPECT_GE(killed_midway, 3);  // most kills must land while the run is writing

  // A re-run completes, gives the same results, and clears the killed runs' temporaries.
  ASSERT_EQ(wait_for(spawn({"run", study(), "--out", out.string()}, d / "rerun.log")), 0)
      << hotspot::test::read_file(d / "rerun.log");
  EXPECT_GE(expect_valid_outputs(out, base, "re-run"), 8);
  EXPECT_EQ(temporaries(out), std::vector<fs::path>{});
  // The inputs were only read.
  EXPECT_EQ(hash_tree(hotspot::test::ashfield()), inputs_before);
}

TEST(NothingLost, ExportKilledAtRandomMomentsKeepsEveryOutputValidAndReRunCompletes) {
  TempDir d;
  ASSERT_EQ(wait_for(spawn({"run", study(), "--out", (d / "run").string()}, d / "run.log")), 0)
      << hotspot::test::read_file(d / "run.log");
  const fs::path out = d / "export";
  const std::vector<std::string> args{"export",   (d / "run" / "study.gpkg").string(),
                                      "--geojson", (out / "geojson").string(),
                                      "--tables",  (out / "tables").string(),
                                      "--gpkg",    (out / "export.gpkg").string()};
  fs::create_directories(out);
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(wait_for(spawn(args, d / "first.log")), 0) << hotspot::test::read_file(d / "first.log");
  const auto full_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  const Baseline base = baseline_of(out);
  ASSERT_GE(base.hashes.size(), 2u);
  std::mt19937 rng(11);
  std::uniform_int_distribution<long> when(0, std::max<long>(50, static_cast<long>(full_ms)));
  for (int k = 0; k < 5; ++k) {
    const long ms = when(rng);
    const pid_t pid = spawn(args, d / "killed.log");
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    ::kill(pid, SIGKILL);
    (void)wait_for(pid);
    const std::string label = "export kill " + std::to_string(k) + " after " + std::to_string(ms) + " ms (seed 11)";
    EXPECT_GE(expect_valid_outputs(out, base, label), 3) << label;
  }
  ASSERT_EQ(wait_for(spawn(args, d / "rerun.log")), 0) << hotspot::test::read_file(d / "rerun.log");
  EXPECT_GE(expect_valid_outputs(out, base, "export re-run"), 3);
  EXPECT_EQ(temporaries(out), std::vector<fs::path>{});
}

TEST(NothingLost, FullDiskGivesAClearErrorAndKeepsThePreviousOutput) {
  TempDir d;
  const fs::path out = d / "out";
  ASSERT_EQ(wait_for(spawn({"run", study(), "--out", out.string()}, d / "first.log")), 0);
  const auto before = hash_tree(out);
  // 256 KiB: the tables fit, the GeoPackage (megabytes) does not.
  const int code = wait_for(spawn({"run", study(), "--out", out.string()}, d / "full.log", 256u << 10));
  const std::string log = hotspot::test::read_file(d / "full.log");
  EXPECT_EQ(code, 1) << log;
  EXPECT_NE(log.find("hotspot run: error: " + (out / "study.tmp-").string()), std::string::npos) << log;
  // Not only SQLite's "disk I/O error": why the write failed.
  EXPECT_NE(log.find("disk I/O error (a file size limit of 262144 bytes was reached: ulimit -f)"), std::string::npos) << log;
  EXPECT_EQ(temporaries(out), std::vector<fs::path>{});
  // The previous GeoPackage is untouched; files written before the disk filled are
  // complete (the same bytes, since the inputs are the same).
  const auto after = hash_tree(out);
  EXPECT_EQ(after.at("study.gpkg"), before.at("study.gpkg"));
  for (const auto& [rel, h] : after) {
    if (deterministic(rel)) {
      EXPECT_EQ(h, before.at(rel)) << rel;
    }
  }
}

TEST(NothingLost, FullDiskOnAFreshFolderLeavesNoHalfWrittenFile) {
  TempDir d;
  const fs::path out = d / "fresh";
  const int code = wait_for(spawn({"run", study(), "--out", out.string()}, d / "full.log", 256u << 10));
  EXPECT_EQ(code, 1) << hotspot::test::read_file(d / "full.log");
  EXPECT_FALSE(fs::exists(out / "study.gpkg"));
  EXPECT_EQ(temporaries(out), std::vector<fs::path>{});
  // Whatever was written is complete: every CSV ends with a newline.
  for (const auto& e : fs::recursive_directory_iterator(out))
    if (e.is_regular_file() && e.path().extension() == ".csv") {
      const std::string s = hotspot::test::read_file(e.path());
      EXPECT_TRUE(!s.empty() && s.back() == '\n') << e.path();
    }
}

TEST(NothingLost, IngestOnAFullDiskKeepsThePreviousOutput) {
  TempDir d;
  const std::string in = (hotspot::test::ashfield() / "incidents" / "2022-04-nottinghamshire-police-street.csv").string();
  const fs::path out = d / "incidents.csv";
  ASSERT_EQ(run_cli("ingest " + in + " --out " + out.string(), d).code, 0);
  const std::string before = hotspot::test::read_file(out);
  const int code = wait_for(spawn({"ingest", in, "--out", out.string()}, d / "full.log", 16u << 10));
  EXPECT_EQ(code, 1) << hotspot::test::read_file(d / "full.log");
  EXPECT_EQ(hotspot::test::read_file(out), before);
  EXPECT_EQ(temporaries(d.path()), std::vector<fs::path>{});
}

TEST(NothingLost, UnwritableOutputFolderIsAClearError) {
  TempDir d;
  d.write("file", "not a folder");
  auto r = run_cli("run " + study() + " --out " + (d / "file" / "out").string(), d);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "hotspot run: error: " + (d / "file" / "out").string() +
                       ": cannot create the output folder: Not a directory\n");
  const std::string in = (hotspot::test::fixtures() / "bad" / "semicolons.csv").string();
  r = run_cli("ingest " + in + " --out " + (d / "missing" / "o.csv").string(), d);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "hotspot ingest: error: " + (d / "missing" / "o.csv").string() + ": output folder '" +
                       (d / "missing").string() + "' does not exist\n");
  if (::geteuid() != 0) {  // root writes anywhere: permissions cannot be tested as root
    fs::create_directories(d / "ro");
    fs::permissions(d / "ro", fs::perms::owner_read | fs::perms::owner_exec);
    r = run_cli("ingest " + in + " --out " + (d / "ro" / "o.csv").string(), d);
    fs::permissions(d / "ro", fs::perms::owner_all);
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("is not writable"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::is_empty(d / "ro"));
  }
}

TEST(NothingLost, OutputsNeverOverwriteInputs) {
  TempDir d;
  const auto in = d.write("in.csv", hotspot::test::read_file(hotspot::test::fixtures() / "bad" / "semicolons.csv"));
  const std::string content = hotspot::test::read_file(in);
  auto r = run_cli("ingest " + in.string() + " --out " + in.string(), d);
  EXPECT_EQ(r.code, 2) << r.err;  // a usage error (AtomicOutput's UsageError)
  EXPECT_EQ(r.err, "hotspot ingest: error: " + in.string() + ": refusing to overwrite an input file\n");
  // Through another name (a symbolic link) too.
  fs::create_symlink(in, d / "alias.csv");
  r = run_cli("ingest " + in.string() + " --out " + (d / "alias.csv").string(), d);
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("refusing to overwrite an input file"), std::string::npos) << r.err;
  r = run_cli("ingest " + in.string() + " --out " + (d / "o.csv").string() + " --rejects " + in.string(), d);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(hotspot::test::read_file(in), content);
  // `hotspot run` refuses an output folder that holds its inputs: the incidents', or
  // the study file's own folder (its interventions and boundaries are there too).
  r = run_cli("run " + study() + " --out " + (hotspot::test::ashfield() / "incidents").string(), d);
  EXPECT_EQ(r.code, 2);
  r = run_cli("run " + study() + " --out " + hotspot::test::ashfield().string(), d);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("this folder holds the study's input"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(hotspot::test::ashfield() / "report.md"));
  EXPECT_NE(r.err.find(": this folder holds the study's input "), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(hotspot::test::ashfield() / "incidents" / "rejects.csv"));
  EXPECT_FALSE(fs::exists(hotspot::test::ashfield() / "incidents" / "study.gpkg"));
}
