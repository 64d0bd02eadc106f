#include "layers/io/atomic_output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "core/base/error.hpp"

namespace hotspot::layers {

namespace fs = std::filesystem;

bool same_file(const fs::path& a, const fs::path& b) {
  struct stat sa {}, sb {};
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

AtomicOutput::AtomicOutput(fs::path target, std::span<const fs::path> inputs)
    : m_target(std::move(target)) {
  for (const auto& in : inputs)
    if (same_file(in, m_target))
      throw IoError(m_target.string() + ": refusing to overwrite an input file");
  const fs::path dir = m_target.has_parent_path() ? m_target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw IoError(m_target.string() + ": output folder '" + dir.string() + "' does not exist");
  if (::access(dir.c_str(), W_OK) != 0)
    throw IoError(m_target.string() + ": output folder '" + dir.string() +
                  "' is not writable: " + std::strerror(errno));
  static std::atomic<unsigned> counter{0};
  // The temporary keeps the extension: GDAL chooses its driver by extension.
  m_temp = dir / (m_target.stem().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                  std::to_string(counter++) + m_target.extension().string());
  fs::remove(m_temp, ec);
}

AtomicOutput::~AtomicOutput() {
  if (!m_committed) {
    std::error_code ec;
    fs::remove(m_temp, ec);
  }
}

void AtomicOutput::commit() {
  const int fd = ::open(m_temp.c_str(), O_RDONLY);
  if (fd < 0) {
    throw IoError(m_target.string() + ": nothing was written (" + std::strerror(errno) + ")");
  }
  const int sync_rc = ::fsync(fd);
  const int sync_errno = errno;
  ::close(fd);
  if (sync_rc != 0) {
    std::error_code ec;
    fs::remove(m_temp, ec);
    throw IoError(m_target.string() + ": could not flush the output to disk: " +
                  std::strerror(sync_errno));
  }
  if (::rename(m_temp.c_str(), m_target.c_str()) != 0) {
    const int e = errno;
    std::error_code ec;
    fs::remove(m_temp, ec);
    throw IoError(m_target.string() + ": could not replace the output: " + std::strerror(e));
  }
  m_committed = true;
}

}  // namespace hotspot::layers
