// Fuzzes address handling (core/geocode): normalisation, postcode parsing, written
// locations, the address parser with and without a gazetteer, and a whole geocode
// against the fixture gazetteer. The input is split at the first '\t' into address
// text and a postcode column. Invariants: canonical text is upper-case ASCII words
// separated by single spaces (bytes >= 0x80 are kept), and a matched result lies on
// the British National Grid.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "core/geocode/address_parser.hpp"
#include "core/geocode/geocoder.hpp"
#include "core/geocode/normalize.hpp"
#include "core/geocode/postcode.hpp"
#include "core/geocode/text_location.hpp"
#include "core/base/number.hpp"
#include "layers/io/csv.hpp"

namespace {

namespace gc = hotspot::core::geocode;

void check_canonical(const std::string& s) {
  if (s.empty()) return;
  if (s.front() == ' ' || s.back() == ' ') std::abort();
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 'a' && c <= 'z') std::abort();
    if (c == ' ' && i > 0 && s[i - 1] == ' ') std::abort();
  }
}

// The fixture gazetteer (tests/fixtures/geocode/gazetteer.csv), built with the core
// builder: no GDAL, so this target needs only the core library.
struct World {
  gc::Gazetteer gazetteer;
  std::unique_ptr<gc::Geocoder> geocoder;
  std::unique_ptr<gc::Geocoder::Session> session;
  World() {
    gc::GazetteerBuilder b;
    hotspot::layers::CsvChunker chunker(HOTSPOT_FIXTURES_DIR "/geocode/gazetteer.csv");
    const auto& h = chunker.header();
    const int cu = h.find("uprn"), cs = h.find("sao"), cp = h.find("pao"), cst = h.find("street"),
              cl = h.find("locality"), ct = h.find("town"), cpc = h.find("postcode"), cx = h.find("x"),
              cy = h.find("y");
    if (cx < 0 || cy < 0 || cst < 0) std::abort();
    hotspot::layers::CsvChunk chunk;
    while (chunker.next(chunk))
      hotspot::layers::parse_records(chunk, h.delimiter, [&](const hotspot::layers::CsvRecord& r) {
        if (r.fields.size() != h.names.size()) return;
        auto f = [&](int i) { return i < 0 ? std::string_view{} : r.fields[static_cast<std::size_t>(i)]; };
        gc::AddressRecord a;
        double u = 0;
        if (hotspot::parse_double(f(cu), u) == hotspot::NumberStatus::ok) a.uprn = static_cast<uint64_t>(u);
        a.sao = f(cs);
        a.pao = f(cp);
        a.street = f(cst);
        a.locality = f(cl);
        a.town = f(ct);
        a.postcode = f(cpc);
        if (hotspot::parse_double(f(cx), a.x_m) != hotspot::NumberStatus::ok ||
            hotspot::parse_double(f(cy), a.y_m) != hotspot::NumberStatus::ok)
          return;
        (void)b.add_address(a);
      });
    gazetteer = std::move(b).build();
    geocoder = std::make_unique<gc::Geocoder>(gazetteer);
    session = std::make_unique<gc::Geocoder::Session>(geocoder->session());
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static World world;  // built once; libFuzzer runs inputs one at a time
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const auto tab = all.find('\t');
  const std::string_view address = all.substr(0, tab);
  const std::string_view postcode = tab == std::string_view::npos ? std::string_view{} : all.substr(tab + 1);

  check_canonical(gc::normalize_street_name(address));
  check_canonical(gc::normalize_place_name(address));
  (void)gc::parse_postcode_any(address);
  (void)gc::parse_postcode(postcode);
  (void)gc::parse_outward_code(postcode);
  if (auto t = gc::find_text_location(address)) {
    if (!std::isfinite(t->x) || !std::isfinite(t->y)) std::abort();
  }

  gc::ParsedAddress parsed;
  gc::AddressParser bare;
  bare.parse(address, postcode, parsed);
  check_canonical(parsed.street);
  gc::AddressParser with(&world.gazetteer);
  with.parse(address, postcode, parsed);
  check_canonical(parsed.street);

  const gc::GeocodeResult r = world.session->geocode(address, postcode);
  if (r.matched()) {
    if (!std::isfinite(r.x_m) || !std::isfinite(r.y_m) || r.score > 100) std::abort();
    if (r.x_m < 0 || r.x_m >= 700000 || r.y_m < 0 || r.y_m >= 1300000) std::abort();
  }
  (void)world.session->explanation();
  return 0;
}
