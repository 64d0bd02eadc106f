#pragma once
// Test helpers: a fresh temporary folder per test, files written into it, and the
// paths of the committed fixtures and bundled data.

#include <gtest/gtest.h>

#include <filesystem>
#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

namespace hotspot::test {

inline std::filesystem::path source_dir() { return HOTSPOT_SOURCE_DIR; }
inline std::filesystem::path fixtures() { return HOTSPOT_FIXTURES_DIR; }
inline std::filesystem::path ashfield() { return source_dir() / "data" / "ashfield"; }

// A folder unique to the running test, emptied at construction and removed at
// destruction (kept when the test failed, for inspection).
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "hotspot-test";
    for (auto& c : name)
      if (c == '/') c = '_';
    // The process id too: two builds' suites (plain and sanitizer) may run at once.
    m_path = std::filesystem::path(::testing::TempDir()) / ("hotspot-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(m_path);
    std::filesystem::create_directories(m_path);
  }
  ~TempDir() {
    if (!::testing::Test::HasFailure()) {
      std::error_code ec;
      std::filesystem::remove_all(m_path, ec);
    }
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
  [[nodiscard]] std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

  // Writes `content` to `name` inside the folder and returns the full path.
  std::filesystem::path write(const std::string& name, const std::string& content) const {
    const auto p = m_path / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

 private:
  std::filesystem::path m_path;
};

// A folder for a whole test suite, unique to this process: ctest runs each test of a
// suite as its own process, in parallel, so a fixed name would be shared and raced.
inline std::filesystem::path process_temp_dir(const std::string& name) {
  return std::filesystem::path(::testing::TempDir()) / ("hotspot-" + name + "-" + std::to_string(::getpid()));
}

// The whole file, or "" when it cannot be read. (stdio: GCC 12 reports a false
// null dereference inside istreambuf_iterator.)
inline std::string read_file(const std::filesystem::path& p) {
  std::string out;
  if (std::FILE* f = std::fopen(p.c_str(), "rb")) {
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    std::fclose(f);
  }
  return out;
}

}  // namespace hotspot::test
