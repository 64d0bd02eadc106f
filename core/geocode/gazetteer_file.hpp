#pragma once
// Saved gazetteer indexes: build once from the CSVs (seconds), load in milliseconds.
//
// File layout (version 1; little-endian; every offset 8-byte aligned):
//   header, 64 bytes
//     0  magic      "HSGAZIDX"
//     8  u32        format version (kGazetteerFormatVersion)
//    12  u32        byte-order mark 0x01020304 (refuses files from big-endian hosts)
//    16  u32        number of sections
//    20  u32        reserved (0)
//    24  u64        file size in bytes
//    32  u64[3]     reserved (0)
//    56  u64        XXH64 of header bytes 0-55 followed by the section table
//   section table, 32 bytes per section
//     u32 id, u32 record size in bytes, u64 offset, u64 record count, u64 XXH64 of the bytes
//   sections: the arrays of detail::GazetteerData, raw records (ids in gazetteer_file.cpp)
// Everything that is read is checked before it is used: magic, version, byte order,
// size (truncation), the header checksum, each section's bounds, record size and
// checksum, and then every index stored in the arrays (a street id is a street, a
// range lies inside its array), so a damaged or crafted file is refused with a clear
// message and never read out of bounds.
//
// A new format version is needed whenever a record layout changes; old files are then
// refused with "rebuild it" rather than misread.
//
//   save_gazetteer(gazetteer, "ng.hsgaz");            // @throws IoError
//   Gazetteer g = load_gazetteer("ng.hsgaz");         // @throws IoError, InputError
//
// Cost: ~a few ms per 10 MB (one read, one checksum pass, one copy per array).

#include <cstdint>
#include <filesystem>

#include "core/geocode/gazetteer.hpp"

namespace hotspot::core::geocode {

inline constexpr uint32_t kGazetteerFormatVersion = 1;

// Writes `g` to `path` (not atomically: layers wrap it in AtomicOutput).
// @throws hotspot::IoError when the file cannot be written.
void save_gazetteer(const Gazetteer& g, const std::filesystem::path& path);

// Reads an index written by save_gazetteer().
// @throws hotspot::IoError when the file cannot be read;
//         hotspot::InputError ("path: error: ...") when it is not an index, is of another
//         format version, is truncated or fails a checksum or consistency check.
Gazetteer load_gazetteer(const std::filesystem::path& path);

// True when the file starts with the index magic (cheap: reads 8 bytes).
bool is_gazetteer_index(const std::filesystem::path& path);

}  // namespace hotspot::core::geocode
