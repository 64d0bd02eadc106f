#include "layers/io/atomic_output.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

#include "core/base/error.hpp"

namespace hotspot::layers {

namespace fs = std::filesystem;

bool same_file(const fs::path& a, const fs::path& b) {
  struct stat sa {}, sb {};
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

namespace {

// Temporaries of this target left by a process that was killed (SIGKILL, power cut)
// before it could remove them: "<stem>.tmp-<pid>-<n><ext>" whose pid is gone.
void remove_stale_temporaries(const fs::path& dir, const fs::path& target) {
  const std::string prefix = target.stem().string() + ".tmp-";
  const std::string ext = target.extension().string();
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    for (const char* sqlite_side : {"-journal", "-wal", "-shm"}) {  // SQLite's files beside a GeoPackage
      const std::string side(sqlite_side);
      if (name.size() > side.size() && name.compare(name.size() - side.size(), side.size(), side) == 0)
        name.resize(name.size() - side.size());
    }
    if (name.size() <= prefix.size() + ext.size() || name.compare(0, prefix.size(), prefix) != 0 ||
        name.compare(name.size() - ext.size(), ext.size(), ext) != 0)
      continue;
    const std::string middle = name.substr(prefix.size(), name.size() - prefix.size() - ext.size());
    const auto dash = middle.find('-');
    if (dash == std::string::npos || dash == 0 || dash > 9 ||
        middle.find_first_not_of("0123456789-") != std::string::npos)
      continue;
    const auto pid = static_cast<pid_t>(std::stol(middle.substr(0, dash)));
    if (pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive (or not ours to judge)
    std::error_code rm;
    fs::remove(it->path(), rm);
  }
}

}  // namespace

AtomicOutput::AtomicOutput(fs::path target, std::span<const fs::path> inputs)
    : m_target(std::move(target)) {
  for (const auto& in : inputs)
    if (same_file(in, m_target))
      throw UsageError(m_target.string() + ": refusing to overwrite an input file");
  const fs::path dir = m_target.has_parent_path() ? m_target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw IoError(m_target.string() + ": output folder '" + dir.string() + "' does not exist");
  if (::access(dir.c_str(), W_OK) != 0)
    throw IoError(m_target.string() + ": output folder '" + dir.string() +
                  "' is not writable: " + std::strerror(errno));
  remove_stale_temporaries(dir, m_target);
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
  // The rename itself must survive a power cut: flush the directory entry too.
  const fs::path dir = m_target.has_parent_path() ? m_target.parent_path() : fs::path(".");
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace hotspot::layers
