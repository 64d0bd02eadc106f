#pragma once
// Reading gazetteers: address CSVs (council LLPG / AddressBase / OS Open UPRN joins),
// OS Code-Point Open postcode CSVs, street line layers (any OGR source), and saved
// indexes, into one core::geocode::Gazetteer. load_geocoding() is the one call the
// `hotspot geocode` verb, `hotspot ingest` and the study pipeline share.
//
//   GazetteerSources src;
//   src.addresses = "llpg.csv";                           // default layout, or a mapping
//   src.postcodes = "codepoint_open_ng.csv";
//   GazetteerLoad g = load_gazetteer(src);                // @throws, see below
//   for (const auto& w : g.warnings) std::cerr << w << '\n';
//   core::geocode::Geocoder geocoder(g.gazetteer);
//   save_gazetteer_index(g.gazetteer, "ng.hsgaz");        // next time: src.index = "ng.hsgaz"
//
// Address CSV (header row). Default layout (DESIGN.md):
//   uprn,sao,pao,street,locality,town,postcode,x,y
// x/y in EPSG:27700; uprn and locality may be empty. Other layouts by a mapping of
// these parts to column names (GazetteerColumns; `hotspot geocode --gazetteer-columns
// uprn=UPRN,pao=PAO_START_NUMBER,pao_suffix=PAO_START_SUFFIX,...`): uprn, sao, pao,
// pao_suffix, pao_end, pao_end_suffix, pao_text (AddressBase's split PAO), street,
// locality, town, postcode, and x/y (or lon/lat with crs "EPSG:4326"); or one `address`
// column of whole address text, parsed like a query. A row that cannot be used (no
// street, coordinates off the grid, a bad postcode, a UPRN seen before) is skipped
// with a warning "file:line: warning: ..." - never silently.
//
// Code-Point Open CSV: as published, no header: postcode, positional quality,
// easting, northing, country, NHS region, NHS HA, county, district, ward. A file whose
// first row is a header naming postcode/easting/northing (e.g.
// data/ashfield/postcodes/ashfield_area_postcodes.csv) is read by those names.
// Rows of quality 90 (no coordinates) are skipped with a count, not a warning each.
//
// Street lines: any OGR line layer (LineString/MultiLineString) with a name field
// (default "name"; OS Open Roads calls it "name1") and optional town/locality fields,
// in any CRS (transformed to EPSG:27700).
//
// @throws IoError (cannot open/read), UsageError (a mapped column that does not
//         exist: lists the columns; a mapping key that does not exist), InputError
//         (a file that is not what it should be: no usable row at all, a damaged index).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/geocode/gazetteer.hpp"

namespace hotspot::layers {

// Column names of an address CSV. Empty = the part is absent.
struct GazetteerColumns {
  std::string uprn = "uprn", sao = "sao", pao = "pao", pao_suffix, pao_end, pao_end_suffix, pao_text;
  std::string street = "street", locality = "locality", town = "town", postcode = "postcode";
  std::string x = "x", y = "y";
  std::string address;           // one column of whole address text instead of the parts
  std::string crs = "EPSG:27700";  // of x/y ("EPSG:4326": x = longitude, y = latitude)
};

// Parses "part=column,part=column" into `columns` (starting from the default layout;
// "x=LON,y=LAT,crs=EPSG:4326" for lon/lat; "part=" empties a part).
// @throws UsageError naming an unknown part and listing the known ones.
void parse_gazetteer_columns(const std::string& spec, GazetteerColumns& columns);

struct StreetLayerOptions {
  std::string layer;                   // empty = the first layer
  std::string name_field = "name";
  std::string town_field, locality_field;  // optional
  std::string assume_crs;              // for a layer without a CRS
};

struct GazetteerSources {
  std::filesystem::path addresses;     // address CSV, or a saved index (detected)
  GazetteerColumns columns;
  std::filesystem::path postcodes;     // Code-Point Open CSV
  std::filesystem::path streets;       // OGR line layer
  StreetLayerOptions street_options;
  std::filesystem::path index;         // a saved index (instead of the three above)
  std::size_t keep_warnings = 50;      // warnings kept in full (all are counted)
};

struct GazetteerLoad {
  core::geocode::Gazetteer gazetteer;
  std::vector<std::string> warnings;   // "file:line: warning: ...", the first keep_warnings
  uint64_t warning_count = 0;
  uint64_t addresses_read = 0, addresses_kept = 0;
  uint64_t postcodes_read = 0, postcodes_kept = 0, postcodes_without_coordinates = 0;
  uint64_t lines_read = 0, lines_kept = 0;
  bool from_index = false;
  double seconds = 0;
};

// See the header comment. At least one source must be given (UsageError otherwise).
GazetteerLoad load_gazetteer(const GazetteerSources& sources);

// Saves an index atomically (temporary file + rename). @throws IoError.
void save_gazetteer_index(const core::geocode::Gazetteer& g, const std::filesystem::path& path,
                          const std::vector<std::filesystem::path>& inputs = {});

}  // namespace hotspot::layers
