#pragma once
// Writes incidents in the data.police.uk street-level layout (the 12 columns, exact
// header), as synthetic data for tests, demos and benchmarks; or as a generic CSV
// that keeps day dates (police.uk has months only).
//
// police.uk conventions reproduced: Crime ID is 64 lowercase hex characters and empty
// for Anti-social behaviour; Longitude/Latitude with 6 decimals; Location "On or near
// ..."; LSOA code and name from the table's area codes; "Last outcome category"
// empty for ASB. Crime IDs are derived from `seed` and the row, so files are
// byte-identical for the same input.
//
//   PoliceUkWriteOptions o;  o.force = "Nottinghamshire Police";
//   auto files = write_police_uk(table, tax, "out/incidents", o);   // one file per month
//   write_police_uk(table, tax, "all.csv", o);                       // one file
//
// Files are written atomically. @throws IoError.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/incidents/incident_table.hpp"
#include "core/incidents/taxonomy.hpp"

namespace hotspot::layers {

struct PoliceUkWriteOptions {
  std::string force = "Synthetic Police";
  uint64_t seed = 1;
  // Area names for the "LSOA name" column, looked up by area code (may be empty).
  std::function<std::string(std::string_view code)> area_name;
};

// `out` ending in ".csv" writes one file; otherwise `out` is a folder (created) and
// one file per month is written as "YYYY-MM-<force-slug>-street.csv" (as police.uk
// names its downloads). Returns the files written.
std::vector<std::filesystem::path> write_police_uk(const core::IncidentTable& table,
                                                   const core::Taxonomy& taxonomy,
                                                   const std::filesystem::path& out,
                                                   const PoliceUkWriteOptions& options);

// Generic CSV with dates: id,date,month,category,x,y,lon,lat,area_code (x/y in
// EPSG:27700 metres, 2 decimals; lon/lat 6 decimals). For near-repeat tests and for
// partners' own systems.
void write_dated_csv(const core::IncidentTable& table, const core::Taxonomy& taxonomy,
                     const std::filesystem::path& out);

}  // namespace hotspot::layers
