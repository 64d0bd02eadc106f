#include "viewer/app/color.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "core/base/assert.hpp"

namespace hotspot::viewer {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr RampInfo kRamps[] = {
    {Ramp::yl_or_rd, "YlOrRd", RampKind::sequential, true},
    {Ramp::viridis, "Viridis", RampKind::sequential, true},
    {Ramp::cividis, "Cividis", RampKind::sequential, true},
    {Ramp::inferno, "Inferno", RampKind::sequential, true},
    {Ramp::blues, "Blues", RampKind::sequential, true},
    {Ramp::purples, "Purples", RampKind::sequential, true},
    {Ramp::greys, "Greys", RampKind::sequential, true},
    {Ramp::rd_bu, "RdBu", RampKind::diverging, true},
    {Ramp::pu_or, "PuOr", RampKind::diverging, true},
};
static_assert(std::size(kRamps) == static_cast<std::size_t>(Ramp::kCount));

// Stops, low to high.
constexpr std::string_view kYlOrRd[] = {"ffffcc", "ffeda0", "fed976", "feb24c", "fd8d3c",
                                        "fc4e2a", "e31a1c", "bd0026", "800026"};
constexpr std::string_view kViridis[] = {"440154", "482878", "3e4a89", "31688e", "26828e",
                                         "1f9e89", "35b779", "6ece58", "b5de2b", "fde725"};
constexpr std::string_view kCividis[] = {"00224e", "123570", "3b496c", "575d6d", "707173",
                                         "8a8779", "a69d75", "c4b56c", "e4cf5b", "fee838"};
constexpr std::string_view kInferno[] = {"000004", "1b0c41", "4a0c6b", "781c6d", "a52c60",
                                         "cf4446", "ed6925", "fb9b06", "f7d13d", "fcffa4"};
constexpr std::string_view kBlues[] = {"f7fbff", "deebf7", "c6dbef", "9ecae1", "6baed6",
                                       "4292c6", "2171b5", "08519c", "08306b"};
constexpr std::string_view kPurples[] = {"fcfbfd", "efedf5", "dadaeb", "bcbddc", "9e9ac8",
                                         "807dba", "6a51a3", "54278f", "3f007d"};
constexpr std::string_view kGreys[] = {"ffffff", "f0f0f0", "d9d9d9", "bdbdbd", "969696",
                                       "737373", "525252", "252525", "000000"};
constexpr std::string_view kRdBu[] = {"053061", "2166ac", "4393c3", "92c5de", "d1e5f0", "f7f7f7",
                                      "fddbc7", "f4a582", "d6604d", "b2182b", "67001f"};
constexpr std::string_view kPuOr[] = {"2d004b", "542788", "8073ac", "b2abd2", "d8daeb", "f7f7f7",
                                      "fee0b6", "fdb863", "e08214", "b35806", "7f3b08"};
constexpr std::string_view kOkabeIto[] = {"E69F00", "56B4E9", "009E73", "F0E442",
                                          "0072B2", "D55E00", "CC79A7", "000000"};

std::span<const std::string_view> stops(Ramp r) {
  switch (r) {
    case Ramp::yl_or_rd: return kYlOrRd;
    case Ramp::viridis: return kViridis;
    case Ramp::cividis: return kCividis;
    case Ramp::inferno: return kInferno;
    case Ramp::blues: return kBlues;
    case Ramp::purples: return kPurples;
    case Ramp::greys: return kGreys;
    case Ramp::rd_bu: return kRdBu;
    case Ramp::pu_or: return kPuOr;
    case Ramp::kCount: break;
  }
  return kYlOrRd;
}

uint8_t to_byte(double v) { return static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L)); }

}  // namespace

Rgba Rgba::with_alpha(double alpha01) const {
  Rgba c = *this;
  c.a = to_byte(alpha01 * 255.0);
  return c;
}

Rgba hex(std::string_view s) {
  if (!s.empty() && s.front() == '#') s.remove_prefix(1);
  HOTSPOT_ASSERT(s.size() == 6);
  uint8_t v[3];
  for (std::size_t i = 0; i < 3; ++i) {
    const int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);
    HOTSPOT_ASSERT(hi >= 0 && lo >= 0);
    v[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return {v[0], v[1], v[2], 255};
}

std::string to_hex(Rgba c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
  return buf;
}

Rgba mix(Rgba a, Rgba b, double t) {
  t = std::clamp(t, 0.0, 1.0);
  return {to_byte(a.r + (b.r - a.r) * t), to_byte(a.g + (b.g - a.g) * t),
          to_byte(a.b + (b.b - a.b) * t), to_byte(a.a + (b.a - a.a) * t)};
}

double luminance(Rgba c) {
  auto lin = [](uint8_t v) {
    const double s = v / 255.0;
    return s <= 0.03928 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

const RampInfo& ramp_info(Ramp r) {
  HOTSPOT_ASSERT(r < Ramp::kCount);
  return kRamps[static_cast<std::size_t>(r)];
}

std::span<const RampInfo> all_ramps() { return kRamps; }

std::optional<Ramp> find_ramp(std::string_view name) {
  for (const RampInfo& info : kRamps) {
    if (info.name.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < name.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(info.name[i])) ==
             std::tolower(static_cast<unsigned char>(name[i]));
    if (same) return info.id;
  }
  return std::nullopt;
}

Rgba ramp_colour(Ramp r, double t) {
  const auto s = stops(r);
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0);
  const double pos = t * static_cast<double>(s.size() - 1);
  const auto i = std::min(static_cast<std::size_t>(pos), s.size() - 2);
  return mix(hex(s[i]), hex(s[i + 1]), pos - static_cast<double>(i));
}

std::vector<Rgba> ramp_classes(Ramp r, int n) {
  HOTSPOT_ASSERT(n >= 1);
  std::vector<Rgba> out;
  out.reserve(static_cast<std::size_t>(n));
  if (n == 1) {
    out.push_back(ramp_colour(r, 0.5));
    return out;
  }
  // Sequential ramps skip the palest 12% so the lowest class still reads as "some".
  const bool sequential = ramp_info(r).kind == RampKind::sequential;
  const double lo = sequential && r != Ramp::inferno && r != Ramp::viridis && r != Ramp::cividis ? 0.12 : 0.0;
  for (int i = 0; i < n; ++i) out.push_back(ramp_colour(r, lo + (1.0 - lo) * i / (n - 1)));
  return out;
}

Rgba categorical_colour(std::size_t index) { return hex(kOkabeIto[index % std::size(kOkabeIto)]); }

}  // namespace hotspot::viewer
