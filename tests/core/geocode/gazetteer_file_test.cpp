#include "core/geocode/gazetteer_file.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "core/geocode/detail/xxhash.hpp"
#include "core/geocode/geocoder.hpp"
#include "tests/core/geocode/test_gazetteer.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hotspot::core::geocode;
using hotspot::InputError;
using hotspot::IoError;
using hotspot::test::TempDir;

namespace {

std::vector<unsigned char> bytes_of(const std::filesystem::path& p) {
  const std::string s = hotspot::test::read_file(p);
  return {s.begin(), s.end()};
}

void write_bytes(const std::filesystem::path& p, const std::vector<unsigned char>& b) {
  std::FILE* f = std::fopen(p.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(std::fwrite(b.data(), 1, b.size(), f), b.size());
  std::fclose(f);
}

template <typename Fn>
std::string input_error(Fn&& fn) {
  try {
    fn();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError";
  return {};
}

uint64_t get64(const std::vector<unsigned char>& b, std::size_t at) {
  uint64_t v;
  std::memcpy(&v, b.data() + at, 8);
  return v;
}
void put64(std::vector<unsigned char>& b, std::size_t at, uint64_t v) { std::memcpy(b.data() + at, &v, 8); }

// Recomputes a section's checksum and the header checksum after an edit, so only
// the consistency checks can catch it.
void reseal(std::vector<unsigned char>& b, std::size_t section) {
  const std::size_t e = 64 + 32 * section;
  uint32_t record;
  std::memcpy(&record, b.data() + e + 4, 4);
  const uint64_t offset = get64(b, e + 8), count = get64(b, e + 16);
  put64(b, e + 24, detail::xxh64(b.data() + offset, count * record));
  std::vector<unsigned char> covered(b.begin(), b.begin() + 56);
  covered.insert(covered.end(), b.begin() + 64, b.begin() + 64 + 32 * 20);
  put64(b, 56, detail::xxh64(covered.data(), covered.size()));
}

}  // namespace

TEST(GazetteerFile, Xxh64ReferenceVectors) {
  EXPECT_EQ(detail::xxh64("", 0), 0xEF46DB3751D8E999ull);
  EXPECT_EQ(detail::xxh64("a", 1), 0xD24EC4F1A98C6E5Bull);
  EXPECT_EQ(detail::xxh64("abc", 3), 0x44BC2CF5AD770999ull);
  EXPECT_EQ(detail::xxh64("abc", 3, 12345), 0x01700E64F6F23509ull);
  const std::string s32 = "0123456789abcdef0123456789abcdef";
  EXPECT_EQ(detail::xxh64(s32.data(), s32.size()), 0x642A94958E71E6C5ull);
  const std::string s = "Nobody inspects the spammish repetition";
  EXPECT_EQ(detail::xxh64(s.data(), s.size()), 0xFBCEA83C8A378BF1ull);
  const std::string fox = "The quick brown fox jumps over the lazy dog";
  EXPECT_EQ(detail::xxh64(fox.data(), fox.size()), 0x0B242D361FDA71BCull);
}

TEST(GazetteerFile, RoundTripKeepsEveryArrayAndEveryAnswer) {
  TempDir d;
  const Gazetteer g = test::make_test_gazetteer(true);
  save_gazetteer(g, d / "g.hsgaz");
  EXPECT_TRUE(is_gazetteer_index(d / "g.hsgaz"));
  const Gazetteer h = load_gazetteer(d / "g.hsgaz");
  const auto& a = g.data();
  const auto& b = h.data();
  EXPECT_EQ(a.chars, b.chars);
  EXPECT_EQ(a.string_offsets, b.string_offsets);
  EXPECT_EQ(a.addresses.size(), b.addresses.size());
  EXPECT_EQ(std::memcmp(a.addresses.data(), b.addresses.data(), a.addresses.size() * sizeof(a.addresses[0])), 0);
  EXPECT_EQ(std::memcmp(a.streets.data(), b.streets.data(), a.streets.size() * sizeof(a.streets[0])), 0);
  EXPECT_EQ(a.vertices.size(), b.vertices.size());
  EXPECT_EQ(a.name_streets, b.name_streets);
  EXPECT_EQ(a.place_streets, b.place_streets);
  EXPECT_EQ(a.prefix_places, b.prefix_places);
  EXPECT_EQ(a.postcode_streets, b.postcode_streets);
  EXPECT_EQ(a.sector_streets, b.sector_streets);
  EXPECT_EQ(a.district_streets, b.district_streets);
  EXPECT_EQ(a.sources, b.sources);
  EXPECT_EQ(a.min_x, b.min_x);
  EXPECT_EQ(a.max_y, b.max_y);
  Geocoder ga(g), gb(h);
  auto sa = ga.session();
  auto sb = gb.session();
  for (const char* q : {"14A Station Rd, Sutton NG17 5FF", "Flat 2, 13 Station Road, Sutton", "4 Station Road",
                        "junction of Station Road and Outram Street, Sutton", "NG17 5FH", "5 Park Ave", "17 Staion Road"}) {
    const GeocodeResult ra = sa.geocode(q), rb = sb.geocode(q);
    EXPECT_EQ(ra.method, rb.method) << q;
    EXPECT_EQ(ra.reason, rb.reason) << q;
    EXPECT_EQ(ra.score, rb.score) << q;
    if (ra.matched()) {
      EXPECT_EQ(ra.x_m, rb.x_m) << q;
      EXPECT_EQ(ra.y_m, rb.y_m) << q;
    }
  }
}

TEST(GazetteerFile, SavingIsDeterministic) {
  TempDir d;
  save_gazetteer(test::make_test_gazetteer(), d / "a.hsgaz");
  save_gazetteer(test::make_test_gazetteer(), d / "b.hsgaz");
  EXPECT_EQ(bytes_of(d / "a.hsgaz"), bytes_of(d / "b.hsgaz"));
}

TEST(GazetteerFile, AnEmptyGazetteerRoundTrips) {
  TempDir d;
  save_gazetteer(Gazetteer(), d / "empty.hsgaz");
  const Gazetteer g = load_gazetteer(d / "empty.hsgaz");
  EXPECT_TRUE(g.empty());
}

TEST(GazetteerFile, MissingFileIsAnIoError) {
  EXPECT_THROW(load_gazetteer("/nonexistent/g.hsgaz"), IoError);
  EXPECT_FALSE(is_gazetteer_index("/nonexistent/g.hsgaz"));
}

TEST(GazetteerFile, NotAnIndexSaysSo) {
  TempDir d;
  const auto p = d.write("x.csv", "uprn,sao,pao\n1,2,3\n");
  EXPECT_FALSE(is_gazetteer_index(p));
  EXPECT_EQ(input_error([&] { (void)load_gazetteer(p); }),
            p.string() + ": error: not a Hotspot gazetteer index (no HSGAZIDX header)");
  const auto empty = d.write("empty.hsgaz", "");
  EXPECT_NE(input_error([&] { (void)load_gazetteer(empty); }).find("not a Hotspot gazetteer index"), std::string::npos);
}

TEST(GazetteerFile, OtherFormatVersionAsksForARebuild) {
  TempDir d;
  save_gazetteer(test::make_test_gazetteer(), d / "g.hsgaz");
  auto b = bytes_of(d / "g.hsgaz");
  b[8] = 99;
  write_bytes(d / "v.hsgaz", b);
  EXPECT_EQ(input_error([&] { (void)load_gazetteer(d / "v.hsgaz"); }),
            (d / "v.hsgaz").string() +
                ": error: gazetteer index format version 99; this hotspot reads version 1: rebuild it with hotspot "
                "geocode --save-index");
}

TEST(GazetteerFile, TruncationIsDetected) {
  TempDir d;
  save_gazetteer(test::make_test_gazetteer(), d / "g.hsgaz");
  auto b = bytes_of(d / "g.hsgaz");
  const std::size_t full = b.size();
  b.resize(full / 2);
  write_bytes(d / "t.hsgaz", b);
  EXPECT_EQ(input_error([&] { (void)load_gazetteer(d / "t.hsgaz"); }),
            (d / "t.hsgaz").string() + ": error: damaged gazetteer index (the header says " + std::to_string(full) +
                " bytes, the file has " + std::to_string(full / 2) +
                ": truncated); rebuild it with hotspot geocode --save-index");
}

TEST(GazetteerFile, EveryFlippedByteIsCaught) {
  TempDir d;
  save_gazetteer(test::make_test_gazetteer(true), d / "g.hsgaz");
  const auto good = bytes_of(d / "g.hsgaz");
  // Flip one bit at many places: the header, the table and inside sections (padding
  // bytes between sections are not covered, so they may load).
  std::size_t caught = 0, tried = 0;
  for (std::size_t at = 0; at < good.size(); at += 97) {
    auto b = good;
    b[at] ^= 0x10;
    write_bytes(d / "c.hsgaz", b);
    ++tried;
    try {
      (void)load_gazetteer(d / "c.hsgaz");
    } catch (const InputError& e) {
      ++caught;
      EXPECT_NE(std::string(e.what()).find(": error: "), std::string::npos) << e.what();
    }
  }
  EXPECT_GE(caught, tried - tried / 50) << caught << " of " << tried;
  // A byte in the addresses names that section.
  auto b = good;
  const uint64_t addresses_at = get64(b, 64 + 32 * 2 + 8);
  b[addresses_at + 3] ^= 1;
  write_bytes(d / "a.hsgaz", b);
  EXPECT_NE(input_error([&] { (void)load_gazetteer(d / "a.hsgaz"); }).find("checksum mismatch in section 'addresses'"),
            std::string::npos);
  // The header checksum covers the table.
  b = good;
  b[64 + 32 * 5 + 16] ^= 1;  // a record count
  write_bytes(d / "h.hsgaz", b);
  EXPECT_NE(input_error([&] { (void)load_gazetteer(d / "h.hsgaz"); }).find("header checksum mismatch"), std::string::npos);
}

TEST(GazetteerFile, ConsistentChecksumsDoNotHideBadIndexes) {
  TempDir d;
  save_gazetteer(test::make_test_gazetteer(), d / "g.hsgaz");
  auto b = bytes_of(d / "g.hsgaz");
  // Point the first address at street 1,000,000 and reseal the checksums.
  const uint64_t addresses_at = get64(b, 64 + 32 * 2 + 8);
  const uint32_t bad = 1000000;
  std::memcpy(b.data() + addresses_at + 24, &bad, 4);  // AddressEntry::street
  reseal(b, 2);
  write_bytes(d / "x.hsgaz", b);
  EXPECT_NE(input_error([&] { (void)load_gazetteer(d / "x.hsgaz"); }).find("(address record)"), std::string::npos);
}

TEST(GazetteerFile, LoadsAHundredThousandAddressesWellUnderASecond) {
  TempDir d;
  GazetteerBuilder b;
  for (int s = 0; s < 2000; ++s)
    for (int n = 1; n <= 50; ++n) {
      AddressRecord r;
      r.uprn = static_cast<uint64_t>(s) * 100 + static_cast<uint64_t>(n);
      const std::string pao = std::to_string(n), street = "Street " + std::to_string(s) + " Road";
      r.pao = pao;
      r.street = street;
      r.town = "Town";
      r.x_m = 400000 + 500.0 * (s % 40) + 10.0 * n;
      r.y_m = 300000 + 500.0 * (s / 40);
      ASSERT_TRUE(b.add_address(r).ok());
    }
  save_gazetteer(std::move(b).build(), d / "big.hsgaz");
  const auto t0 = std::chrono::steady_clock::now();
  const Gazetteer g = load_gazetteer(d / "big.hsgaz");
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("  100,000 addresses: %.1f MB, loaded in %.3f s\n", static_cast<double>(bytes_of(d / "big.hsgaz").size()) / 1e6, s);
  EXPECT_EQ(g.addresses().size(), 100000u);
  EXPECT_LT(s, 0.5);
}
