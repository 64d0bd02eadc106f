#pragma once
// Test helper: runs the built `hotspot` executable (HOTSPOT_EXE) with arguments,
// capturing stdout, stderr (through a file in the test's folder) and the exit code.
//
//   TempDir d;
//   const CliResult r = run_cli("ingest in.csv --out " + (d / "o.csv").string(), d);
//   EXPECT_EQ(r.code, 0) << r.err;

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "tests/support/temp_dir.hpp"

namespace hotspot::test {

struct CliResult {
  int code = -1;    // exit code; -1 when the process could not start or was killed
  std::string out;  // stdout
  std::string err;  // stderr
};

// `args` is appended to the executable's path as given (quote paths with spaces).
inline CliResult run_cli(const std::string& args, const TempDir& dir) {
  const auto err_path = dir / "stderr.txt";
  const std::string cmd = std::string(HOTSPOT_EXE) + " " + args + " 2>" + err_path.string();
  CliResult r;
  std::FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = read_file(err_path);
  return r;
}

}  // namespace hotspot::test
