#pragma once
// CellId: the stable 64-bit identifier of one grid cell (square or hexagon).
//
// Bit layout (most significant first):
//   bit  63       0 (ids are non-negative as int64: GeoPackage/SQLite integers)
//   bits 62..60   shape: 0 = square, 1 = hexagon (pointy-top); 2..7 reserved
//   bits 59..30   column + 2^29  (square: column; hexagon: axial q)
//   bits 29..0    row + 2^29     (square: row;    hexagon: axial r)
// Columns and rows count cells from the grid origin (GridSpec::origin_*, by default
// the British National Grid false origin 0,0), so the same cell size gives the
// same id to the same ground square in every study, every boundary and every run:
// a 100 m cell id from a ward layer and from a district layer agree. The id does
// NOT encode the cell size: a Grid knows its size; ids of grids of different sizes
// must not be mixed.
//
// The sentinel CellId::none() is all ones (bit 63 set), never a valid id.
//
//   CellId id = CellId::make(CellShape::square, 4512, 3560);  // 100 m cell at 451200,356000
//   id.column();  id.row();  id.value();                     // 4512, 3560, 0x...
//
// Range: columns and rows in [-2^29, 2^29): at 1 m cells that is +-536 km from the
// origin in every direction, more than the National Grid (700 x 1300 km) needs.

#include <compare>
#include <cstdint>

#include "core/base/assert.hpp"

namespace hotspot::core {

enum class CellShape : uint8_t { square = 0, hex = 1 };

class CellId {
 public:
  static constexpr int32_t kMinIndex = -(int32_t{1} << 29);
  static constexpr int32_t kMaxIndex = (int32_t{1} << 29) - 1;

  constexpr CellId() = default;
  static constexpr CellId none() { return CellId(~uint64_t{0}); }
  // Requires: kMinIndex <= column, row <= kMaxIndex.
  static constexpr CellId make(CellShape shape, int32_t column, int32_t row) {
    HOTSPOT_ASSERT(column >= kMinIndex && column <= kMaxIndex && row >= kMinIndex && row <= kMaxIndex);
    const uint64_t c = static_cast<uint64_t>(static_cast<int64_t>(column) - kMinIndex);
    const uint64_t r = static_cast<uint64_t>(static_cast<int64_t>(row) - kMinIndex);
    return CellId((static_cast<uint64_t>(shape) << 60) | (c << 30) | r);
  }
  // The id whose value() is `v`, for ids read back from a file. Not validated:
  // use valid() on untrusted input.
  static constexpr CellId from_value(uint64_t v) { return CellId(v); }

  [[nodiscard]] constexpr bool is_none() const { return m_v == ~uint64_t{0}; }
  [[nodiscard]] constexpr bool valid() const { return (m_v >> 63) == 0 && ((m_v >> 60) & 7u) <= 1; }
  [[nodiscard]] constexpr CellShape shape() const { return static_cast<CellShape>((m_v >> 60) & 7u); }
  [[nodiscard]] constexpr int32_t column() const {
    return static_cast<int32_t>(static_cast<int64_t>((m_v >> 30) & kMask) + kMinIndex);
  }
  [[nodiscard]] constexpr int32_t row() const {
    return static_cast<int32_t>(static_cast<int64_t>(m_v & kMask) + kMinIndex);
  }
  [[nodiscard]] constexpr uint64_t value() const { return m_v; }
  // The value as a signed integer (never negative for a valid id): what a
  // GeoPackage integer field stores.
  [[nodiscard]] constexpr int64_t as_int64() const { return static_cast<int64_t>(m_v); }

  friend constexpr auto operator<=>(CellId, CellId) = default;

 private:
  static constexpr uint64_t kMask = (uint64_t{1} << 30) - 1;
  explicit constexpr CellId(uint64_t v) : m_v(v) {}
  uint64_t m_v = ~uint64_t{0};
};

}  // namespace hotspot::core
