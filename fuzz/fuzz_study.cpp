// Fuzzes the study-file loader (layers/study): any bytes must load or fail with a
// UsageError/IoError/InputError whose message names the study file; nothing else may
// escape, crash or hang. The input is written to a private file (the loader reads
// paths) in a private folder, so relative paths in it resolve there.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/base/error.hpp"
#include "layers/study/study.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("hotspot-fuzz-study-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  const auto file = dir / "study.toml";
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const hotspot::layers::Study s = hotspot::layers::load_study(file);
    (void)s.taxonomy();
  } catch (const hotspot::Error& e) {
    const std::string msg = e.what();
    if (msg.find("study.toml") == std::string::npos) std::abort();
  }
  return 0;
}
