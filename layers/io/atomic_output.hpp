#pragma once
// AtomicOutput: write a file so that readers only ever see the old complete file or
// the new complete file, never a half-written one (a crash, a kill or a full disk
// mid-write leaves the previous output intact).
//
// The content goes to a temporary sibling ("out.tmp-<pid>-<n>.gpkg": the extension is
// kept, GDAL picks drivers by it) in the same
// directory (same file system, so rename(2) is atomic); commit() fsyncs it and
// renames it over the target. Without commit() the destructor removes the temporary.
//
//   AtomicOutput out("results/study.gpkg");
//   write_everything(out.temp_path());   // any writer, by path
//   out.commit();                        // @throws IoError
//
// Refuses to write over an input file: the caller passes the inputs it read.
// A temporary of the same target left by a killed process (SIGKILL, power cut: no
// destructor ran) is removed when the next AtomicOutput for that target is made, if
// its pid is no longer running on this machine (limit: a folder shared over the
// network by two hosts could see another host's live temporary as stale). commit()
// also fsyncs the folder, so the rename survives a power cut.

#include <filesystem>
#include <span>
#include <string>

namespace hotspot::layers {

class AtomicOutput {
 public:
  // @throws IoError when the target's directory does not exist or is not writable;
  //         UsageError when `target` is one of `inputs` (outputs never overwrite inputs).
  explicit AtomicOutput(std::filesystem::path target,
                        std::span<const std::filesystem::path> inputs = {});
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  [[nodiscard]] const std::filesystem::path& temp_path() const { return m_temp; }
  [[nodiscard]] const std::filesystem::path& target() const { return m_target; }

  // fsync + rename over the target. @throws IoError (the temporary is removed).
  void commit();

 private:
  std::filesystem::path m_target;
  std::filesystem::path m_temp;
  bool m_committed = false;
};

// True when `a` and `b` name the same existing file (same device and inode).
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace hotspot::layers
