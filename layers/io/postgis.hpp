#pragma once
// PostGIS as the shared store for partnerships that outgrow files: layers written
// through GDAL's PostgreSQL driver into one schema, replacing earlier runs atomically.
//
//   PostgisTarget db{.connection = "PG:service=csp dbname=hotspot", .schema = "ashfield"};
//   std::vector<FeatureSet> layers = ...;           // read_features() of study.gpkg
//   PostgisReport r = write_postgis(db, layers);    // @throws IoError, UsageError
//
// How a layer is replaced atomically: it is written to a staging table
// "<table>__hotspot_new" (created fresh; geometry column "geom", EPSG:27700, a
// GiST index, feature id "fid"), then one transaction drops the old table and renames
// the staging table: readers see the old layer or the new one, never a mix, and a
// failure before the commit leaves the old layer untouched (the staging table is
// dropped).
//
// Names: the schema and table names are checked (letters, digits, '_', at most 63
// bytes, not starting with a digit; layer names are lower-cased, other characters
// become '_') and always written as quoted identifiers ("schema"."table", quotes
// doubled), so no name can inject SQL. The schema is created if missing.
//
// Credentials: only through libpq's own mechanisms: the PG: string's service=,
// host=, dbname=, user= and the PGHOST/PGPORT/PGUSER/PGDATABASE/PGSERVICE/
// PGPASSFILE environment, ~/.pgpass and pg_service.conf. A password written in the
// connection string is refused (UsageError: "put it in ~/.pgpass or a service
// file"), so it can never reach a log, a summary or a shell history. Messages show
// redact_connection() of the string.

#include <string>
#include <vector>

#include "layers/io/feature_reader.hpp"

namespace hotspot::layers {

struct PostgisTarget {
  std::string connection;        // "PG:..." (GDAL's PostgreSQL driver), no password
  std::string schema = "hotspot";
  std::string table_prefix;      // prepended to every table name (optional)
};

struct PostgisLayerReport {
  std::string layer;             // the source layer name
  std::string table;             // "schema"."table" as created
  std::size_t features = 0;
};
struct PostgisReport {
  std::vector<PostgisLayerReport> layers;
  std::string connection;        // redacted
};

// "PG:host=db dbname=x password=secret" -> "PG:host=db dbname=x password=***".
std::string redact_connection(const std::string& connection);
// SQL identifier quoting: "a""b" for a"b.
std::string quote_identifier(const std::string& name);
// A layer name as a safe table name (see the header comment). @throws UsageError when
// nothing usable remains.
std::string table_name_for(const std::string& layer);

// Writes every layer (geometry in EPSG:27700 as read_features() returns it).
// @throws UsageError for a password in the connection string or a bad schema name;
//         IoError when the server cannot be reached or a statement fails (the message
//         names the table and the redacted connection).
PostgisReport write_postgis(const PostgisTarget& target, const std::vector<FeatureSet>& layers);

// Reads a table back (for tests and `hotspot export --check`): read_features() on the
// PG: connection with the schema-qualified layer.
FeatureSet read_postgis(const PostgisTarget& target, const std::string& table);

}  // namespace hotspot::layers
