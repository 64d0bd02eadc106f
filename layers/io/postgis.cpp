// PostGIS export through GDAL's PostgreSQL driver. See postgis.hpp.
//
// [SECTION] names and credentials
// [SECTION] features        FeatureSet -> OGR features
// [SECTION] write_postgis   staging table, then an atomic swap

#include "layers/io/postgis.hpp"

#include <cmath>
#include <regex>

#include "core/base/error.hpp"
#include "layers/io/detail/gdal.hpp"

namespace hotspot::layers {
namespace {

// [SECTION] names and credentials ---------------------------------------------------

constexpr const char* kStagingSuffix = "__hotspot_new";

std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return r;
}

bool valid_identifier(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  if (s[0] >= '0' && s[0] <= '9') return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

std::string sql_literal(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// Runs one statement; @throws IoError naming `what` and the redacted connection.
void exec(GDALDatasetH ds, const std::string& sql, const std::string& what, const std::string& where) {
  detail::CplErrorCapture errors;
  CPLErrorReset();
  OGRLayerH r = GDALDatasetExecuteSQL(ds, sql.c_str(), nullptr, nullptr);
  if (r) GDALDatasetReleaseResultSet(ds, r);
  if (CPLGetLastErrorType() == CE_Failure)
    throw IoError(where + ": " + what + ": " + errors.message_or("PostgreSQL failed"));
}

// [SECTION] features ------------------------------------------------------------------

OGRFieldType ogr_type(FieldKind k) {
  switch (k) {
    case FieldKind::integer: return OFTInteger64;
    case FieldKind::real: return OFTReal;
    case FieldKind::text:
    case FieldKind::date: return OFTString;
  }
  return OFTString;
}

OGRwkbGeometryType layer_type(GeometryClass c) {
  switch (c) {
    case GeometryClass::point: return wkbPoint;
    case GeometryClass::line: return wkbMultiLineString;
    case GeometryClass::polygon: return wkbMultiPolygon;
    case GeometryClass::none: return wkbNone;
  }
  return wkbUnknown;
}

// The feature's geometry as an OGR geometry (nullptr for none).
OGRGeometryH make_geometry(const FeatureSet& fs, std::size_t f) {
  const GeometryClass c = fs.feature_class[f];
  const uint32_t p0 = fs.feature_offsets[f], p1 = fs.feature_offsets[f + 1];
  if (c == GeometryClass::none || p0 == p1) return nullptr;
  auto ring_of = [&](uint32_t r, OGRwkbGeometryType type) {
    OGRGeometryH g = OGR_G_CreateGeometry(type);
    for (uint32_t v = fs.ring_offsets[r]; v < fs.ring_offsets[r + 1]; ++v) OGR_G_AddPoint_2D(g, fs.x_m[v], fs.y_m[v]);
    return g;
  };
  if (c == GeometryClass::point) {
    const uint32_t v = fs.ring_offsets[fs.part_offsets[p0]];
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(g, 0, fs.x_m[v], fs.y_m[v]);
    return g;
  }
  if (c == GeometryClass::line) {
    OGRGeometryH m = OGR_G_CreateGeometry(wkbMultiLineString);
    for (uint32_t p = p0; p < p1; ++p)
      for (uint32_t r = fs.part_offsets[p]; r < fs.part_offsets[p + 1]; ++r)
        OGR_G_AddGeometryDirectly(m, ring_of(r, wkbLineString));
    return m;
  }
  OGRGeometryH m = OGR_G_CreateGeometry(wkbMultiPolygon);
  for (uint32_t p = p0; p < p1; ++p) {
    OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
    for (uint32_t r = fs.part_offsets[p]; r < fs.part_offsets[p + 1]; ++r) {
      OGRGeometryH ring = ring_of(r, wkbLinearRing);
      OGR_G_CloseRings(ring);
      OGR_G_AddGeometryDirectly(poly, ring);
    }
    OGR_G_AddGeometryDirectly(m, poly);
  }
  return m;
}

}  // namespace

std::string redact_connection(const std::string& connection) {
  static const std::regex kPassword(R"((password\s*=\s*)('([^'\\]|\\.)*'|\S+))", std::regex::icase);
  return std::regex_replace(connection, kPassword, "$1***");
}

std::string quote_identifier(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string table_name_for(const std::string& layer) {
  std::string out;
  for (char c : lower(layer)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    out += ok ? c : '_';
  }
  while (!out.empty() && out.front() == '_') out.erase(out.begin());
  if (!out.empty() && out[0] >= '0' && out[0] <= '9') out = "l_" + out;
  const std::size_t room = 63 - std::char_traits<char>::length(kStagingSuffix);
  if (out.size() > room) out.resize(room);
  if (out.empty()) throw UsageError("layer '" + layer + "' has no usable characters for a PostgreSQL table name");
  return out;
}

// [SECTION] write_postgis -------------------------------------------------------------

PostgisReport write_postgis(const PostgisTarget& target, const std::vector<FeatureSet>& layers) {
  const std::string shown = redact_connection(target.connection);
  if (lower(target.connection.substr(0, 3)) != "pg:")
    throw UsageError("'" + shown + "' is not a PostgreSQL connection (write \"PG:dbname=... host=...\")");
  if (std::regex_search(target.connection, std::regex(R"((^|[\s:])password\s*=)", std::regex::icase)))
    throw UsageError("'" + shown +
                     "': a password in the connection string would end up in logs and shell history; put it in "
                     "~/.pgpass (or PGPASSFILE) or a pg_service.conf service instead");
  if (!valid_identifier(target.schema))
    throw UsageError("schema '" + target.schema +
                     "' is not a safe PostgreSQL name (lower-case letters, digits and '_', at most 63 bytes)");
  if (!target.table_prefix.empty() && !valid_identifier(target.table_prefix))
    throw UsageError("table prefix '" + target.table_prefix + "' is not a safe PostgreSQL name");

  detail::ensure_gdal();
  PostgisReport report;
  report.connection = shown;
  detail::DatasetPtr ds;
  {
    detail::CplErrorCapture errors;
    const char* const drivers[] = {"PostgreSQL", nullptr};
    ds.reset(GDALOpenEx(target.connection.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers, nullptr, nullptr));
    if (!ds)
      throw IoError(shown + ": cannot connect to PostgreSQL: " +
                    redact_connection(errors.message_or("the server did not answer")));
  }
  GDALDatasetH h = ds.get();
  const std::string schema_q = quote_identifier(target.schema);
  exec(h, "CREATE SCHEMA IF NOT EXISTS " + schema_q, "creating schema " + schema_q, shown);
  {
    detail::CplErrorCapture errors;
    CPLErrorReset();
    OGRLayerH r = GDALDatasetExecuteSQL(h, "SELECT postgis_version()", nullptr, nullptr);
    if (r) GDALDatasetReleaseResultSet(h, r);
    if (CPLGetLastErrorType() == CE_Failure)
      throw IoError(shown + ": the database has no PostGIS (CREATE EXTENSION postgis; as its owner)");
  }
  detail::SrsPtr srs = detail::make_srs_epsg(27700);

  for (const FeatureSet& fs : layers) {
    const std::string table = target.table_prefix + table_name_for(fs.layer);
    const std::string staging = table + kStagingSuffix;
    const std::string table_q = schema_q + "." + quote_identifier(table);
    const std::string staging_q = schema_q + "." + quote_identifier(staging);
    const std::string where = shown + ": table " + table_q;
    // A leftover staging table of a failed run goes first.
    exec(h, "DROP TABLE IF EXISTS " + staging_q, "dropping an old staging table", where);
    if (GDALDatasetStartTransaction(h, FALSE) != OGRERR_NONE)
      throw IoError(where + ": cannot start a transaction");
    bool committed = false;
    try {
      detail::CplErrorCapture errors;
      std::vector<std::string> opts = {"LAUNDER=NO", "GEOMETRY_NAME=geom", "FID=fid", "SPATIAL_INDEX=GIST",
                                       "PRECISION=NO", "SCHEMA=" + target.schema};
      std::vector<char*> optp;
      for (auto& o : opts) optp.push_back(o.data());
      optp.push_back(nullptr);
      const bool has_geometry = fs.geometry != GeometryClass::none;
      OGRLayerH layer = GDALDatasetCreateLayer(h, staging.c_str(), has_geometry ? srs.get() : nullptr,
                                               layer_type(fs.geometry), optp.data());
      if (!layer) throw IoError(where + ": cannot create the staging table: " + errors.message_or("GDAL failed"));
      for (const auto& c : fs.fields) {
        OGRFieldDefnH fd = OGR_Fld_Create(c.name.c_str(), ogr_type(c.kind));
        const OGRErr e = OGR_L_CreateField(layer, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE)
          throw IoError(where + ": cannot create field '" + c.name + "': " + errors.message_or("GDAL failed"));
      }
      OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
      detail::FeaturePtr feature(OGR_F_Create(defn));
      for (std::size_t f = 0; f < fs.size(); ++f) {
        OGRFeatureH of = feature.get();
        OGR_F_SetFID(of, OGRNullFID);
        for (std::size_t c = 0; c < fs.fields.size(); ++c) {
          const auto& col = fs.fields[c];
          const int i = static_cast<int>(c);
          if (col.is_null(f)) OGR_F_SetFieldNull(of, i);
          else if (col.kind == FieldKind::integer) OGR_F_SetFieldInteger64(of, i, static_cast<GIntBig>(col.numbers[f]));
          else if (col.kind == FieldKind::real) OGR_F_SetFieldDouble(of, i, col.numbers[f]);
          else OGR_F_SetFieldString(of, i, col.dictionary[col.codes[f]].c_str());
        }
        OGR_F_SetGeometryDirectly(of, has_geometry ? make_geometry(fs, f) : nullptr);
        if (OGR_L_CreateFeature(layer, of) != OGRERR_NONE)
          throw IoError(where + ": writing feature " + std::to_string(f + 1) + ": " + errors.message_or("GDAL failed"));
      }
      if (GDALDatasetCommitTransaction(h) != OGRERR_NONE)
        throw IoError(where + ": cannot commit the staging table: " + errors.message_or("GDAL failed"));
      committed = true;
      // The swap: old table out, staging table in, its index/sequence names tidied,
      // in one transaction (PostgreSQL DDL is transactional).
      const std::string rename_relations =
          "DO $hotspot$ DECLARE r record; BEGIN FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN "
          "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = " +
          sql_literal(target.schema) + " AND c.relkind IN ('i', 'S') AND left(c.relname, " +
          std::to_string(staging.size()) + ") = " + sql_literal(staging) +
          " LOOP EXECUTE format('ALTER %s %I.%I RENAME TO %I', CASE r.relkind WHEN 'i' THEN 'INDEX' ELSE "
          "'SEQUENCE' END, " +
          sql_literal(target.schema) + ", r.relname, " + sql_literal(table) + " || substr(r.relname, " +
          std::to_string(staging.size() + 1) + ")); END LOOP; END $hotspot$";
      exec(h,
           "BEGIN; DROP TABLE IF EXISTS " + table_q + " CASCADE; ALTER TABLE " + staging_q + " RENAME TO " +
               quote_identifier(table) + "; " + rename_relations + "; COMMIT;",
           "replacing the table", where);
    } catch (...) {
      if (!committed) GDALDatasetRollbackTransaction(h);
      try {
        exec(h, "DROP TABLE IF EXISTS " + staging_q, "dropping the staging table", where);
      } catch (const IoError&) {  // the original error matters more
      }
      throw;
    }
    report.layers.push_back({fs.layer, table_q, fs.size()});
  }
  return report;
}

FeatureSet read_postgis(const PostgisTarget& target, const std::string& table) {
  FeatureReadOptions o;
  o.layer = target.schema + "." + table;
  return read_features(target.connection, o);
}

}  // namespace hotspot::layers
