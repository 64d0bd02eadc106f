#include "layers/io/gpkg_point_writer.hpp"

#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <utility>

#include "core/base/assert.hpp"
#include "core/base/error.hpp"
#include "layers/io/detail/gdal.hpp"
#include "layers/io/detail/gpkg_rtree.hpp"

namespace hotspot::layers {

namespace {

constexpr const char* kGeometryColumn = "geom";
constexpr const char* kFidColumn = "fid";

// GeoPackage point blob (GeoPackage 1.2 section 2.1.3): "GP", version 0, flags
// 0b00000001 (little-endian, no envelope: GDAL writes points without one), srs_id
// (int32 LE), then a little-endian WKB Point. 8 + 21 bytes.
constexpr std::size_t kBlobBytes = 29;
using PointBlob = std::array<unsigned char, kBlobBytes>;

// Rows per INSERT statement. SQLite's per-statement cost (cursor set-up, the
// AUTOINCREMENT bookkeeping, malloc/free: Debian builds SQLite without lookaside)
// is larger than the per-row cost; multi-row statements halve the insert time.
constexpr std::size_t kBatchRows = 64;

void put_le32(unsigned char* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i, v >>= 8) p[i] = static_cast<unsigned char>(v);
}
void put_le64(unsigned char* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i, v >>= 8) p[i] = static_cast<unsigned char>(v);
}

// Creates the empty layer through GDAL (all GeoPackage metadata is GDAL's) and
// closes the dataset. Returns the layer's name as stored.
std::string create_layer_with_gdal(const std::filesystem::path& path, const std::string& layer,
                                   int epsg, const std::vector<FieldSpec>& fields) {
  detail::SrsPtr srs = detail::make_srs_epsg(epsg);  // UsageError for an unknown code
  detail::DatasetPtr ds = detail::open_or_create_gpkg(path, layer);
  detail::delete_layer_if_present(ds.get(), path, layer);

  detail::CplErrorCapture errors;
  const std::string where = path.string() + ": layer '" + layer + "': ";
  std::string spatial_index = "SPATIAL_INDEX=NO";  // built in bulk by finish()
  std::string geometry_name = std::string("GEOMETRY_NAME=") + kGeometryColumn;
  std::string fid = std::string("FID=") + kFidColumn;
  char* options[] = {spatial_index.data(), geometry_name.data(), fid.data(), nullptr};
  OGRLayerH l = GDALDatasetCreateLayer(ds.get(), layer.c_str(), srs.get(), wkbPoint, options);
  if (!l) throw IoError(where + "cannot create the layer: " + errors.message_or("GDAL failed"));
  detail::create_fields(l, fields, where, errors);
  std::string name = OGR_L_GetName(l);
  CPLErrorReset();
  ds.reset();  // GDAL writes the layer's metadata and its triggers now
  if (CPLGetLastErrorType() == CE_Failure)
    throw IoError(where + "cannot write the layer: " + errors.message_or("GDAL failed"));
  return name;
}

}  // namespace

struct GpkgPointWriter::Impl {
  // One field value of a buffered row. Text lives in `text` (same index).
  struct Slot {
    enum class Kind : std::uint8_t { null, integer, real, text } kind = Kind::null;
    std::int64_t integer = 0;
    double real = 0;
  };

  std::filesystem::path path;
  std::string layer;
  std::vector<FieldSpec> fields;
  Options options;
  std::unique_ptr<detail::SqliteDb> db;
  // Triggers GDAL left on the table (feature counting): dropped while loading, and
  // recreated verbatim by finish().
  std::vector<std::string> saved_triggers;

  // Rows are buffered kBatchRows at a time and written with one multi-row
  // INSERT ... VALUES; the last, partial batch gets a statement of its own.
  std::string insert_head;  // "INSERT INTO t (fid, geom, ...) VALUES "
  std::string insert_row;   // "(?, ?, ...)"
  detail::StatementPtr insert;
  std::size_t batch_rows = 0;                 // complete rows buffered
  std::array<PointBlob, kBatchRows> blobs{};  // per batch row
  std::vector<Slot> slots;                    // per batch row and field
  std::vector<std::string> text;              // reused: no allocation once warm

  std::vector<detail::RtreeBox> boxes;
  double min_x = std::numeric_limits<double>::infinity(), min_y = min_x;
  double max_x = -min_x, max_y = -min_x;
  double x = 0, y = 0;
  std::int64_t next_fid = 1;  // of the row being built
  bool in_row = false;
  bool finished = false;
  std::vector<std::string> warnings;

  ~Impl() {
    insert.reset();
    if (db && !finished) {
      try {
        db->exec("ROLLBACK", "rolling back");
      } catch (const std::exception&) {  // nothing was committed; the caller's temp file goes
      }
    }
  }

  Slot& slot(std::size_t field, FieldType type) {
    HOTSPOT_ASSERT_MSG(in_row, "set() outside begin_row()/end_row()");
    HOTSPOT_ASSERT_MSG(field < fields.size(), "field index out of range");
    HOTSPOT_ASSERT_MSG(fields[field].type == type, "value type does not match the field type");
    return slots[batch_rows * fields.size() + field];
  }

  detail::StatementPtr prepare_insert(std::size_t rows) {
    std::string sql = insert_head;
    for (std::size_t r = 0; r < rows; ++r) {
      if (r) sql += ", ";
      sql += insert_row;
    }
    return db->prepare(sql, "preparing the row insert");
  }

  // Writes the buffered rows. @throws IoError naming them.
  void flush() {
    if (batch_rows == 0) return;
    const std::size_t rows = batch_rows;
    const std::int64_t first = next_fid - static_cast<std::int64_t>(rows);
    batch_rows = 0;
    detail::StatementPtr last;
    sqlite3_stmt* s = insert.get();
    if (rows < kBatchRows) {
      last = prepare_insert(rows);
      s = last.get();
    }
    const std::size_t nf = fields.size();
    int p = 1;
    for (std::size_t r = 0; r < rows; ++r) {
      sqlite3_bind_int64(s, p++, first + static_cast<std::int64_t>(r));
      sqlite3_bind_blob(s, p++, blobs[r].data(), static_cast<int>(kBlobBytes), SQLITE_STATIC);
      for (std::size_t f = 0; f < nf; ++f, ++p) {
        const Slot& v = slots[r * nf + f];
        switch (v.kind) {
          case Slot::Kind::null:
            sqlite3_bind_null(s, p);
            break;
          case Slot::Kind::integer:
            sqlite3_bind_int64(s, p, v.integer);
            break;
          case Slot::Kind::real:
            sqlite3_bind_double(s, p, v.real);
            break;
          case Slot::Kind::text: {
            const std::string& t = text[r * nf + f];
            sqlite3_bind_text(s, p, t.data(), static_cast<int>(t.size()), SQLITE_STATIC);
            break;
          }
        }
      }
    }
    const int rc = sqlite3_step(s);
    const std::string msg = rc == SQLITE_DONE ? std::string() : db->error_text();
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
      throw IoError(db->context() + "writing row " + std::to_string(first) +
                    (rows > 1 ? " to " + std::to_string(first + static_cast<std::int64_t>(rows) - 1)
                              : std::string()) +
                    ": " + msg);
  }
};

GpkgPointWriter::GpkgPointWriter(const std::filesystem::path& path, std::string layer, int epsg,
                                 std::vector<FieldSpec> fields, Options options)
    : m_impl(std::make_unique<Impl>()) {
  Impl& m = *m_impl;
  detail::check_layer_schema(path, layer, fields, kGeometryColumn);
  m.path = path;
  m.options = options;
  m.layer = create_layer_with_gdal(path, layer, epsg, fields);
  m.fields = std::move(fields);
  m.slots.resize(kBatchRows * m.fields.size());
  m.text.resize(kBatchRows * m.fields.size());

  m.db = std::make_unique<detail::SqliteDb>(path, m.layer);
  detail::SqliteDb& db = *m.db;
  // Bulk-load settings: the caller writes to a temporary file and renames it
  // (AtomicOutput), so a crash mid-write costs nothing durable. The in-memory journal
  // still allows ROLLBACK (destructor) and savepoints (the R-tree fallback).
  db.exec("PRAGMA synchronous = OFF", "setting up the bulk load");
  db.exec("PRAGMA journal_mode = MEMORY", "setting up the bulk load");
  db.exec("PRAGMA cache_size = -65536", "setting up the bulk load");  // 64 MiB
  db.exec("BEGIN IMMEDIATE", "starting the transaction");

  const std::string table = detail::quote_identifier(m.layer);
  const std::string literal = detail::quote_literal(m.layer);
  const std::int64_t srs_id = db.query_int(
      "SELECT srs_id FROM gpkg_geometry_columns WHERE lower(table_name) = lower(" + literal + ")",
      "reading the layer's srs_id");
  {
    detail::StatementPtr triggers = db.prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND lower(tbl_name) = lower(" +
            literal + ")",
        "reading the layer's triggers");
    std::vector<std::string> names;
    int rc;
    while ((rc = sqlite3_step(triggers.get())) == SQLITE_ROW) {
      names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(triggers.get(), 0)));
      m.saved_triggers.emplace_back(
          reinterpret_cast<const char*>(sqlite3_column_text(triggers.get(), 1)));
    }
    if (rc != SQLITE_DONE) db.fail("reading the layer's triggers");
    triggers.reset();
    for (const std::string& name : names)
      db.exec("DROP TRIGGER " + detail::quote_identifier(name), "suspending the layer's triggers");
  }

  m.insert_head = "INSERT INTO " + table + " (" + detail::quote_identifier(kFidColumn) + ", " +
                  detail::quote_identifier(kGeometryColumn);
  for (const FieldSpec& f : m.fields) m.insert_head += ", " + detail::quote_identifier(f.name);
  m.insert_head += ") VALUES ";
  m.insert_row = "(?, ?";
  for (std::size_t i = 0; i < m.fields.size(); ++i) m.insert_row += ", ?";
  m.insert_row += ")";
  m.insert = m.prepare_insert(kBatchRows);

  for (PointBlob& blob : m.blobs) {
    blob[0] = 'G';
    blob[1] = 'P';
    blob[2] = 0;     // version 1 of the binary format
    blob[3] = 0x01;  // little-endian, no envelope, not empty, standard
    put_le32(blob.data() + 4, static_cast<std::uint32_t>(static_cast<std::int32_t>(srs_id)));
    blob[8] = 0x01;                // WKB little-endian
    put_le32(blob.data() + 9, 1);  // wkbPoint
  }
}

GpkgPointWriter::~GpkgPointWriter() = default;

void GpkgPointWriter::begin_row(double x, double y) {
  Impl& m = *m_impl;
  HOTSPOT_ASSERT_MSG(!m.in_row, "begin_row() twice without end_row()");
  HOTSPOT_ASSERT_MSG(!m.finished && m.insert, "writer finished or failed");
  HOTSPOT_ASSERT_MSG(std::isfinite(x) && std::isfinite(y), "points must have a location");
  PointBlob& blob = m.blobs[m.batch_rows];
  put_le64(blob.data() + 13, std::bit_cast<std::uint64_t>(x));
  put_le64(blob.data() + 21, std::bit_cast<std::uint64_t>(y));
  const std::size_t nf = m.fields.size();
  for (std::size_t f = 0; f < nf; ++f) m.slots[m.batch_rows * nf + f].kind = Impl::Slot::Kind::null;
  m.x = x;
  m.y = y;
  m.in_row = true;
}

void GpkgPointWriter::set(std::size_t field, std::int64_t v) {
  Impl& m = *m_impl;
  if (field < m.fields.size() && m.fields[field].type == FieldType::real) {
    set(field, static_cast<double>(v));
    return;
  }
  Impl::Slot& s = m.slot(field, FieldType::integer);
  s.kind = Impl::Slot::Kind::integer;
  s.integer = v;
}

void GpkgPointWriter::set(std::size_t field, double v) {
  Impl& m = *m_impl;
  Impl::Slot& s = m.slot(field, FieldType::real);
  // NaN is stored as NULL by SQLite; GDAL reads it back as a null field.
  s.kind = Impl::Slot::Kind::real;
  s.real = v;
}

void GpkgPointWriter::set(std::size_t field, std::string_view v) {
  Impl& m = *m_impl;
  Impl::Slot& s = m.slot(field, FieldType::text);
  s.kind = Impl::Slot::Kind::text;
  m.text[m.batch_rows * m.fields.size() + field].assign(v);
}

void GpkgPointWriter::set_null(std::size_t field) {
  Impl& m = *m_impl;
  HOTSPOT_ASSERT_MSG(m.in_row, "set_null() outside begin_row()/end_row()");
  HOTSPOT_ASSERT_MSG(field < m.fields.size(), "field index out of range");
  m.slots[m.batch_rows * m.fields.size() + field].kind = Impl::Slot::Kind::null;
}

void GpkgPointWriter::end_row() {
  Impl& m = *m_impl;
  HOTSPOT_ASSERT_MSG(m.in_row, "end_row() without begin_row()");
  m.in_row = false;
  m.boxes.push_back(detail::make_rtree_box(m.next_fid, m.x, m.x, m.y, m.y));
  m.min_x = std::min(m.min_x, m.x);
  m.max_x = std::max(m.max_x, m.x);
  m.min_y = std::min(m.min_y, m.y);
  m.max_y = std::max(m.max_y, m.y);
  ++m.next_fid;
  if (++m.batch_rows == kBatchRows) m.flush();
}

void GpkgPointWriter::finish() {
  Impl& m = *m_impl;
  HOTSPOT_ASSERT_MSG(!m.in_row, "finish() with a row open");
  HOTSPOT_ASSERT_MSG(!m.finished && m.insert, "finish() twice or after a failure");
  m.flush();
  m.insert.reset();
  detail::SqliteDb& db = *m.db;
  const std::string literal = detail::quote_literal(m.layer);
  const std::uint64_t rows = row_count();

  {
    detail::StatementPtr contents = db.prepare(
        "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, "
        "last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE lower(table_name) = lower(" +
            literal + ")",
        "updating gpkg_contents");
    if (rows > 0) {  // an empty layer keeps a NULL extent, as GDAL leaves it
      sqlite3_bind_double(contents.get(), 1, m.min_x);
      sqlite3_bind_double(contents.get(), 2, m.min_y);
      sqlite3_bind_double(contents.get(), 3, m.max_x);
      sqlite3_bind_double(contents.get(), 4, m.max_y);
    }
    db.step_done(contents.get(), "updating gpkg_contents");
  }
  db.exec("UPDATE gpkg_ogr_contents SET feature_count = " + std::to_string(rows) +
              " WHERE lower(table_name) = lower(" + literal + ")",
          "updating gpkg_ogr_contents");

  const detail::RtreeBuild index = detail::create_gpkg_rtree(
      db, m.layer, kGeometryColumn, kFidColumn, m.boxes,
      m.options.index == SpatialIndexBuild::bulk ? detail::RtreeMethod::bulk
                                                 : detail::RtreeMethod::incremental);
  if (!index.warning.empty()) m.warnings.push_back(index.warning);

  for (const std::string& sql : m.saved_triggers) db.exec(sql, "restoring the layer's triggers");
  db.exec("COMMIT", "committing the rows");
  m.finished = true;
  std::vector<detail::RtreeBox>().swap(m.boxes);
  db.close();
}

std::uint64_t GpkgPointWriter::row_count() const {
  return static_cast<std::uint64_t>(m_impl->next_fid - 1);
}

const std::vector<std::string>& GpkgPointWriter::warnings() const { return m_impl->warnings; }

}  // namespace hotspot::layers
