#pragma once
// XXH64 (Yann Collet's xxHash, 64-bit variant, seed 0 by default): the checksum of
// saved gazetteer indexes. Reimplemented from the published specification
// (github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md) to avoid a dependency;
// tests/core/geocode/gazetteer_file_test.cpp checks the reference vectors. Runs at
// several GB/s, so checking a 20 MB index costs a few milliseconds.

#include <cstddef>
#include <cstdint>

namespace hotspot::core::geocode::detail {

uint64_t xxh64(const void* data, std::size_t size, uint64_t seed = 0);

}  // namespace hotspot::core::geocode::detail
