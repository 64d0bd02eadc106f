// [SECTION] index
//  - Column mapping
//  - Address CSV
//  - Code-Point Open CSV
//  - Street lines (OGR)
//  - load_gazetteer(), save_gazetteer_index()

#include "layers/io/gazetteer_reader.hpp"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>

#include "core/base/error.hpp"
#include "core/base/number.hpp"
#include "core/geo/crs.hpp"
#include "core/geocode/address_parser.hpp"
#include "core/geocode/gazetteer_file.hpp"
#include "layers/io/atomic_output.hpp"
#include "layers/io/csv.hpp"
#include "layers/io/detail/gdal.hpp"

namespace hotspot::layers {

namespace geo = core::geocode;

namespace {

// 1234567 -> "1,234,567" (built forwards: GCC 12 reports a false -Wrestrict on insert()).
std::string thousands(uint64_t v) {
  const std::string digits = std::to_string(v);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Collects warnings: keeps the first `keep`, counts all.
class Warnings {
 public:
  Warnings(GazetteerLoad& load, std::size_t keep) : m_load(load), m_keep(keep) {}
  void add(std::string text) {
    ++m_load.warning_count;
    if (m_load.warnings.size() < m_keep) m_load.warnings.push_back(std::move(text));
  }

 private:
  GazetteerLoad& m_load;
  std::size_t m_keep;
};

std::string at(const std::filesystem::path& path, uint64_t line) {
  return path.string() + ":" + std::to_string(line) + ": warning: ";
}

}  // namespace

// [SECTION] Column mapping ---------------------------------------------------------------

void parse_gazetteer_columns(const std::string& spec, GazetteerColumns& c) {
  struct Part {
    const char* key;
    std::string* field;
  };
  const Part parts[] = {{"uprn", &c.uprn},           {"sao", &c.sao},
                        {"pao", &c.pao},             {"pao_suffix", &c.pao_suffix},
                        {"pao_end", &c.pao_end},     {"pao_end_suffix", &c.pao_end_suffix},
                        {"pao_text", &c.pao_text},   {"street", &c.street},
                        {"locality", &c.locality},   {"town", &c.town},
                        {"postcode", &c.postcode},   {"x", &c.x},
                        {"y", &c.y},                 {"address", &c.address},
                        {"crs", &c.crs}};
  std::size_t pos = 0;
  while (pos <= spec.size()) {
    const std::size_t comma = spec.find(',', pos);
    const std::string item = spec.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? spec.size() + 1 : comma + 1;
    if (trim(item).empty()) continue;
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos)
      throw UsageError("--gazetteer-columns: '" + item + "' is not part=column (e.g. pao=PAO_START_NUMBER)");
    const std::string key(trim(std::string_view(item).substr(0, eq)));
    const std::string value(trim(std::string_view(item).substr(eq + 1)));
    bool known = false;
    for (const Part& p : parts)
      if (key == p.key) {
        *p.field = value;
        known = true;
      }
    if (!known) {
      std::string keys;
      for (const Part& p : parts) {
        if (!keys.empty()) keys.append(", ");
        keys.append(p.key);
      }
      throw UsageError("--gazetteer-columns: unknown part '" + key + "'; the parts are: " + keys);
    }
  }
}

// [SECTION] Address CSV ------------------------------------------------------------------

namespace {

void read_addresses(const std::filesystem::path& path, const GazetteerColumns& cols, geo::GazetteerBuilder& builder,
                    GazetteerLoad& load, Warnings& warn) {
  CsvChunker chunker(path);
  const CsvHeader& h = chunker.header();
  const std::string source = path.string();
  auto column = [&](const std::string& name, const char* part, bool required) -> int {
    if (name.empty()) return -1;
    const int i = h.find(name);
    if (i < 0 && required)
      throw UsageError(source + ": no column '" + name + "' (the " + part + "); the columns are: " + list(h.names));
    if (i < 0)
      warn.add(source + ":1: warning: no column '" + name + "' (the " + part +
               "); map it with --gazetteer-columns " + part + "=COLUMN if it has another name");
    return i;
  };
  const bool text_mode = !cols.address.empty();
  const int c_address = text_mode ? column(cols.address, "address", true) : -1;
  const int c_street = text_mode ? -1 : column(cols.street, "street", true);
  const int c_uprn = column(cols.uprn, "uprn", false);
  const int c_sao = text_mode ? -1 : column(cols.sao, "sao", false);
  const int c_pao = text_mode ? -1 : column(cols.pao, "pao", false);
  const int c_pao_suffix = text_mode ? -1 : column(cols.pao_suffix, "pao_suffix", true);
  const int c_pao_end = text_mode ? -1 : column(cols.pao_end, "pao_end", true);
  const int c_pao_end_suffix = text_mode ? -1 : column(cols.pao_end_suffix, "pao_end_suffix", true);
  const int c_pao_text = text_mode ? -1 : column(cols.pao_text, "pao_text", true);
  const int c_locality = text_mode ? -1 : column(cols.locality, "locality", false);
  const int c_town = text_mode ? -1 : column(cols.town, "town", false);
  const int c_postcode = column(cols.postcode, "postcode", false);
  const int c_x = column(cols.x, "x", true);
  const int c_y = column(cols.y, "y", true);
  std::optional<core::Transformer> transform;
  const bool bng = cols.crs.empty() || cols.crs == "EPSG:27700" || cols.crs == "epsg:27700";
  if (!bng) transform.emplace(core::Transformer::create(cols.crs, "EPSG:27700"));

  geo::AddressParser parser;  // for whole-address text; no vocabulary yet
  geo::ParsedAddress parsed;
  std::string pao, house, locality, town;
  auto field = [](const CsvRecord& r, int i) -> std::string_view {
    return i < 0 ? std::string_view{} : trim(r.fields[static_cast<std::size_t>(i)]);
  };
  CsvChunk chunk;
  while (chunker.next(chunk)) {
    parse_records(chunk, h.delimiter, [&](const CsvRecord& r) {
      ++load.addresses_read;
      if (r.bad != CsvBad::none) {
        warn.add(at(path, r.line) + (r.bad == CsvBad::unterminated_quote ? "a quoted field never closes"
                                                                         : "the line is too long") + "; skipped");
        return;
      }
      if (r.fields.size() != h.names.size()) {
        warn.add(at(path, r.line) + "row has " + std::to_string(r.fields.size()) + " fields, the header has " +
                 std::to_string(h.names.size()) + "; skipped");
        return;
      }
      geo::AddressRecord rec;
      const std::string_view uprn = field(r, c_uprn);
      if (!uprn.empty()) {
        uint64_t u = 0;
        const auto [end, ec] = std::from_chars(uprn.data(), uprn.data() + uprn.size(), u);
        if (ec == std::errc() && end == uprn.data() + uprn.size() && u > 0) rec.uprn = u;
        else warn.add(at(path, r.line) + "UPRN '" + std::string(uprn) + "' is not a number; the address is kept without it");
      }
      double x = 0, y = 0;
      const std::string_view sx = field(r, c_x), sy = field(r, c_y);
      if (parse_double(sx, x) != NumberStatus::ok || parse_double(sy, y) != NumberStatus::ok) {
        warn.add(at(path, r.line) + "coordinates '" + std::string(sx) + "', '" + std::string(sy) +
                 "' are not numbers; skipped");
        return;
      }
      if (transform) {
        const core::Point p = transform->transform(x, y);
        x = p.x();
        y = p.y();
      }
      rec.x_m = x;
      rec.y_m = y;
      const std::string_view postcode = field(r, c_postcode);
      if (text_mode) {
        parser.parse(field(r, c_address), postcode, parsed);
        rec.sao = parsed.sao;
        house.clear();
        if (!parsed.house.empty()) {
          house = std::to_string(parsed.house.number);
          if (parsed.house.suffix) house.push_back(parsed.house.suffix);
          if (parsed.house.number_end) {
            house.push_back('-');
            house += std::to_string(parsed.house.number_end);
            if (parsed.house.suffix_end) house.push_back(parsed.house.suffix_end);
          }
        }
        pao = parsed.building;
        if (!pao.empty() && !house.empty()) pao.push_back(' ');
        pao.append(house);
        rec.pao = pao;
        rec.street = parsed.street;
        town = parsed.places.empty() ? std::string() : parsed.places.back();
        locality = parsed.places.size() >= 2 ? parsed.places.front() : std::string();
        rec.town = town;
        rec.locality = locality;
      } else {
        rec.sao = field(r, c_sao);
        pao.clear();
        if (c_pao_text >= 0 && !field(r, c_pao_text).empty()) pao.append(field(r, c_pao_text));
        const std::string_view number = field(r, c_pao);
        if (!number.empty()) {
          if (!pao.empty()) pao.push_back(' ');
          pao.append(number);
          pao.append(field(r, c_pao_suffix));
          if (!field(r, c_pao_end).empty()) {
            pao.push_back('-');
            pao.append(field(r, c_pao_end));
            pao.append(field(r, c_pao_end_suffix));
          }
        }
        rec.pao = pao;
        rec.street = field(r, c_street);
        rec.locality = field(r, c_locality);
        rec.town = field(r, c_town);
      }
      std::string postcode_text;
      if (text_mode && postcode.empty()) {
        if (!parsed.postcode.empty() && parsed.postcode.level() == geo::PostcodeLevel::unit)
          postcode_text = parsed.postcode.text();
      } else if (!postcode.empty() && !geo::parse_postcode(postcode)) {
        warn.add(at(path, r.line) + "'" + std::string(postcode) + "' is not a UK postcode; the address is kept without it");
      } else {
        postcode_text = std::string(postcode);
      }
      rec.postcode = postcode_text;
      auto added = builder.add_address(rec);
      if (!added) {
        warn.add(at(path, r.line) + added.error().message + "; skipped");
        return;
      }
      ++load.addresses_kept;
    });
  }
  builder.add_source(source + ": " + thousands(load.addresses_kept) + " addresses");
}

// [SECTION] Code-Point Open CSV ------------------------------------------------------------

void read_codepoint(const std::filesystem::path& path, geo::GazetteerBuilder& builder, GazetteerLoad& load,
                    Warnings& warn) {
  const std::string source = path.string();
  // Header or not: Code-Point Open as published has none (its first field is a postcode).
  std::string first;
  {
    std::ifstream in(path);
    if (!in) throw IoError(source + ": cannot open");
    std::getline(in, first);
  }
  const std::vector<std::string> probe = split_csv_line(first, detect_delimiter(first));
  double number = 0;
  const bool header = probe.size() < 4 || parse_double(trim(probe[2]), number) != NumberStatus::ok;
  CsvOptions opt;
  opt.has_header = header;
  CsvChunker chunker(path, opt);
  int c_pc = 0, c_q = 1, c_x = 2, c_y = 3, c_district = 8, c_ward = 9;
  if (header) {
    const CsvHeader& h = chunker.header();
    auto find_any = [&](std::initializer_list<const char*> names) {
      for (const char* n : names)
        if (int i = h.find(n); i >= 0) return i;
      return -1;
    };
    c_pc = find_any({"postcode", "pcd", "pcds", "Postcode"});
    c_q = find_any({"positional_quality", "positional_quality_indicator", "quality"});
    c_x = find_any({"easting", "eastings", "x"});
    c_y = find_any({"northing", "northings", "y"});
    c_district = find_any({"admin_district_code", "district_code", "district"});
    c_ward = find_any({"admin_ward_code", "ward_code", "ward"});
    if (c_pc < 0 || c_x < 0 || c_y < 0)
      throw UsageError(source + ": not Code-Point Open (no header, or a header with postcode, easting and "
                                "northing columns); the columns are: " + list(h.names));
  }
  const char delim = header ? chunker.header().delimiter : detect_delimiter(first);
  CsvChunk chunk;
  while (chunker.next(chunk)) {
    parse_records(chunk, delim, [&](const CsvRecord& r) {
      ++load.postcodes_read;
      if (r.bad != CsvBad::none) {
        warn.add(at(path, r.line) + "a quoted field never closes; skipped");
        return;
      }
      auto f = [&](int i) {
        return i >= 0 && static_cast<std::size_t>(i) < r.fields.size() ? trim(r.fields[static_cast<std::size_t>(i)])
                                                                       : std::string_view{};
      };
      if (static_cast<int>(r.fields.size()) <= std::max(c_x, c_y)) {
        warn.add(at(path, r.line) + "too few fields; skipped");
        return;
      }
      geo::PostcodeRecord rec;
      rec.postcode = f(c_pc);
      double q = 10;
      if (!f(c_q).empty() && parse_double(f(c_q), q) != NumberStatus::ok) q = 10;
      rec.quality = static_cast<int>(q);
      if (parse_double(f(c_x), rec.x_m) != NumberStatus::ok || parse_double(f(c_y), rec.y_m) != NumberStatus::ok) {
        warn.add(at(path, r.line) + "easting/northing '" + std::string(f(c_x)) + "', '" + std::string(f(c_y)) +
                 "' are not numbers; skipped");
        return;
      }
      rec.district_code = f(c_district);
      rec.ward_code = f(c_ward);
      auto added = builder.add_postcode(rec);
      if (!added) {
        if (added.error().code == geo::GazetteerError::no_coordinates) ++load.postcodes_without_coordinates;
        else warn.add(at(path, r.line) + added.error().message + "; skipped");
        return;
      }
      ++load.postcodes_kept;
    });
  }
  builder.add_source(source + ": " + thousands(load.postcodes_kept) + " postcodes");
}

// [SECTION] Street lines (OGR) -------------------------------------------------------------

void read_street_lines(const std::filesystem::path& path, const StreetLayerOptions& o, geo::GazetteerBuilder& builder,
                       GazetteerLoad& load, Warnings& warn) {
  const std::string source = path.string();
  detail::DatasetPtr ds = detail::open_for_reading(source, GDAL_OF_VECTOR);
  OGRLayerH layer = detail::find_layer(ds.get(), source, o.layer);
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  std::vector<std::string> fields;
  for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i) fields.emplace_back(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
  auto field = [&](const std::string& name, const char* what) {
    if (name.empty()) return -1;
    const int i = OGR_FD_GetFieldIndex(defn, name.c_str());
    if (i < 0) throw UsageError(source + ": no field '" + name + "' (the " + what + "); the fields are: " + list(fields));
    return i;
  };
  const int f_name = field(o.name_field, "street name");
  const int f_town = field(o.town_field, "town");
  const int f_locality = field(o.locality_field, "locality");
  // The layer's CRS to EPSG:27700.
  detail::SrsPtr src;
  if (OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer)) {
    src.reset(OSRClone(srs));
    OSRSetAxisMappingStrategy(src.get(), OAMS_TRADITIONAL_GIS_ORDER);
  } else if (!o.assume_crs.empty()) {
    src = detail::make_srs(o.assume_crs);
  } else {
    throw UsageError(source + ": the street layer has no coordinate reference system; say which (--streets-crs)");
  }
  detail::TransformPtr ct = detail::transform_to_bng(src.get(), source);
  std::vector<core::Point> vertices;
  uint64_t feature = 0;
  OGR_L_ResetReading(layer);
  for (;;) {
    detail::FeaturePtr f(OGR_L_GetNextFeature(layer));
    if (!f) break;
    ++feature;
    ++load.lines_read;
    const std::string where = source + ":feature " + std::to_string(feature) + ": warning: ";
    auto text = [&](int i) { return i >= 0 && OGR_F_IsFieldSetAndNotNull(f.get(), i) ? std::string(OGR_F_GetFieldAsString(f.get(), i)) : std::string(); };
    const std::string name = text(f_name), town = text(f_town), locality = text(f_locality);
    if (trim(name).empty()) {
      warn.add(where + "no street name; skipped");
      continue;
    }
    OGRGeometryH g = OGR_F_GetGeometryRef(f.get());
    if (!g || OGR_G_IsEmpty(g)) {
      warn.add(where + "no geometry; skipped");
      continue;
    }
    detail::GeometryPtr linear(OGR_G_GetLinearGeometry(g, 0, nullptr));
    if (!linear) {
      warn.add(where + "geometry cannot be read; skipped");
      continue;
    }
    if (ct && OGR_G_Transform(linear.get(), ct.get()) != OGRERR_NONE) {
      warn.add(where + "cannot transform to EPSG:27700; skipped");
      continue;
    }
    const OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(linear.get()));
    std::vector<OGRGeometryH> parts;
    if (type == wkbLineString) parts.push_back(linear.get());
    else if (type == wkbMultiLineString)
      for (int i = 0; i < OGR_G_GetGeometryCount(linear.get()); ++i) parts.push_back(OGR_G_GetGeometryRef(linear.get(), i));
    else {
      warn.add(where + "a " + OGR_G_GetGeometryName(linear.get()) + ", not a line; skipped");
      continue;
    }
    bool kept = false;
    for (OGRGeometryH part : parts) {
      vertices.clear();
      for (int i = 0; i < OGR_G_GetPointCount(part); ++i) vertices.emplace_back(OGR_G_GetX(part, i), OGR_G_GetY(part, i));
      auto added = builder.add_street_line({name, town, locality, vertices});
      if (!added) warn.add(where + added.error().message + "; part skipped");
      else kept = true;
    }
    if (kept) ++load.lines_kept;
  }
  builder.add_source(source + ": " + thousands(load.lines_kept) + " street lines");
}

}  // namespace

// [SECTION] load_gazetteer(), save_gazetteer_index() ----------------------------------------

GazetteerLoad load_gazetteer(const GazetteerSources& s) {
  const auto t0 = std::chrono::steady_clock::now();
  GazetteerLoad load;
  Warnings warn(load, s.keep_warnings);
  std::filesystem::path index = s.index;
  if (index.empty() && !s.addresses.empty() && geo::is_gazetteer_index(s.addresses)) index = s.addresses;
  if (!index.empty()) {
    if ((!s.addresses.empty() && s.addresses != index) || !s.postcodes.empty() || !s.streets.empty())
      throw UsageError(index.string() + " is a saved gazetteer index, which already holds its addresses, postcodes "
                                        "and streets: give it alone, or rebuild it from the CSVs");
    load.gazetteer = geo::load_gazetteer(index);
    load.from_index = true;
  } else {
    if (s.addresses.empty() && s.postcodes.empty() && s.streets.empty())
      throw UsageError("no gazetteer: give an address CSV (--gazetteer), Code-Point Open postcodes (--postcodes), "
                       "street lines (--streets) or a saved index");
    geo::GazetteerBuilder builder;
    if (!s.addresses.empty()) read_addresses(s.addresses, s.columns, builder, load, warn);
    if (!s.postcodes.empty()) read_codepoint(s.postcodes, builder, load, warn);
    if (!s.streets.empty()) read_street_lines(s.streets, s.street_options, builder, load, warn);
    if (load.addresses_kept + load.postcodes_kept + load.lines_kept == 0)
      throw InputError((s.addresses.empty() ? s.postcodes.empty() ? s.streets : s.postcodes : s.addresses).string() +
                       ": error: no usable gazetteer row (" + std::to_string(load.warning_count) + " skipped)");
    load.gazetteer = std::move(builder).build();
  }
  load.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return load;
}

void save_gazetteer_index(const geo::Gazetteer& g, const std::filesystem::path& path,
                          const std::vector<std::filesystem::path>& inputs) {
  AtomicOutput out(path, inputs);
  geo::save_gazetteer(g, out.temp_path());
  out.commit();
}

}  // namespace hotspot::layers
