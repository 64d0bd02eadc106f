// Index of this file:
// [SECTION] GDAL side
// [SECTION] quoting and the SQLite connection
// [SECTION] boxes and the Hilbert key
// [SECTION] SQL GDAL writes
// [SECTION] the packed tree
// [SECTION] create_gpkg_rtree

#include "layers/io/detail/gpkg_rtree.hpp"

#include <sys/resource.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "core/base/assert.hpp"
#include "core/base/error.hpp"

namespace hotspot::layers::detail {

// [SECTION] GDAL side ------------------------------------------------------------------

bool iequals_ascii(std::string_view a, std::string_view b) {
  const auto lower = [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

void check_layer_schema(const std::filesystem::path& path, std::string_view layer,
                        std::span<const FieldSpec> fields, std::string_view geometry_column) {
  const std::string where = path.string() + ": layer '" + std::string(layer) + "': ";
  if (layer.empty()) throw UsageError(path.string() + ": the layer name is empty");
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string& name = fields[i].name;
    if (name.empty())
      throw UsageError(where + "field " + std::to_string(i + 1) + " has an empty name");
    if (iequals_ascii(name, "fid") ||
        (!geometry_column.empty() && iequals_ascii(name, geometry_column)))
      throw UsageError(where + "field name '" + name + "' is reserved for the " +
                       (iequals_ascii(name, "fid") ? "feature id" : "geometry") + " column");
    for (std::size_t j = 0; j < i; ++j)
      if (iequals_ascii(fields[j].name, name))
        throw UsageError(where + "field name '" + name + "' is used twice");
  }
}

OGRFieldType ogr_field_type(FieldType type) {
  switch (type) {
    case FieldType::integer:
      return OFTInteger64;
    case FieldType::real:
      return OFTReal;
    case FieldType::text:
      return OFTString;
  }
  return OFTString;
}

void create_fields(OGRLayerH layer, std::span<const FieldSpec> fields, const std::string& where,
                   const CplErrorCapture& errors) {
  for (const FieldSpec& f : fields) {
    OGRFieldDefnH defn = OGR_Fld_Create(f.name.c_str(), ogr_field_type(f.type));
    const OGRErr err = OGR_L_CreateField(layer, defn, TRUE);
    OGR_Fld_Destroy(defn);
    if (err != OGRERR_NONE)
      throw IoError(where + "cannot create field '" + f.name +
                    "': " + errors.message_or("GDAL failed"));
  }
}

DatasetPtr open_or_create_gpkg(const std::filesystem::path& path, std::string_view layer) {
  ensure_gdal();
  CplErrorCapture errors;
  const std::string where = path.string() + ": layer '" + std::string(layer) + "': ";
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    const char* const allowed[] = {"GPKG", nullptr};
    DatasetPtr ds(
        GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, allowed, nullptr, nullptr));
    if (!ds)
      throw IoError(where + "cannot open the existing file as a GeoPackage for update: " +
                    errors.message_or("GDAL's GPKG driver does not recognise it"));
    return ds;
  }
  GDALDriverH driver = GDALGetDriverByName("GPKG");
  if (!driver) throw IoError(where + "GDAL has no GPKG driver");
  DatasetPtr ds(GDALCreate(driver, path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds)
    throw IoError(
        where + "cannot create the GeoPackage: " + errors.message_or("GDAL's GPKG driver failed"));
  return ds;
}

void delete_layer_if_present(GDALDatasetH ds, const std::filesystem::path& path,
                             std::string_view layer) {
  CplErrorCapture errors;
  const int count = GDALDatasetGetLayerCount(ds);
  for (int i = 0; i < count; ++i) {
    OGRLayerH l = GDALDatasetGetLayer(ds, i);
    if (l && iequals_ascii(OGR_L_GetName(l), layer)) {
      if (GDALDatasetDeleteLayer(ds, i) != OGRERR_NONE)
        throw IoError(path.string() + ": layer '" + std::string(layer) +
                      "': cannot replace the existing layer: " +
                      errors.message_or("GDAL could not delete it"));
      return;
    }
  }
}

// [SECTION] quoting and the SQLite connection --------------------------------------

std::string quote_identifier(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out += '"';
  for (const char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  out += '"';
  return out;
}

std::string quote_literal(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  for (const char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  out += '\'';
  return out;
}

SqliteDb::SqliteDb(const std::filesystem::path& path, std::string layer)
    : m_path(path), m_layer(std::move(layer)) {
  sqlite3* raw = nullptr;
  // NOMUTEX: a SqliteDb is used by one thread at a time, and Debian's serialized-mode
  // SQLite would otherwise lock a mutex in every bind and step (~10% of a bulk load).
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  m_db.reset(raw);
  if (rc != SQLITE_OK)
    throw IoError(context() + "cannot open the GeoPackage with SQLite: " +
                  (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  sqlite3_extended_result_codes(raw, 1);
}

SqliteDb::~SqliteDb() = default;

std::string SqliteDb::context() const {
  std::string s = m_path.string() + ": ";
  if (!m_layer.empty()) s += "layer '" + m_layer + "': ";
  return s;
}

std::string SqliteDb::error_text(const char* message) const {
  std::string out = message != nullptr ? message : (m_db ? sqlite3_errmsg(m_db.get()) : "database is closed");
  if (!m_db) return out;
  // SQLite says "disk I/O error" when a write fails; say why when we can tell.
  const int code = sqlite3_extended_errcode(m_db.get());
  if (code != SQLITE_IOERR_WRITE && code != SQLITE_FULL && code != SQLITE_IOERR_FSYNC && code != SQLITE_IOERR_TRUNCATE &&
      code != SQLITE_IOERR_SHORT_READ)
    return out;
  struct rlimit limit {};
  struct statvfs fs {};
  const std::filesystem::path dir = m_path.has_parent_path() ? m_path.parent_path() : std::filesystem::path(".");
  if (::statvfs(dir.c_str(), &fs) == 0 && static_cast<unsigned long long>(fs.f_bavail) * fs.f_frsize < (16ull << 20))
    out += " (no space left on the device: the disk is full)";
  else if (::getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    out += " (a file size limit of " + std::to_string(limit.rlim_cur) + " bytes was reached: ulimit -f)";
  else
    out += " (writing failed: is the disk full?)";
  return out;
}

void SqliteDb::fail(std::string_view what) const {
  throw IoError(context() + std::string(what) + ": " + error_text());
}

void SqliteDb::exec(const std::string& sql, std::string_view what) {
  char* err = nullptr;
  if (sqlite3_exec(m_db.get(), sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = error_text(err);
    sqlite3_free(err);
    throw IoError(context() + std::string(what) + ": " + msg);
  }
}

StatementPtr SqliteDb::prepare(const std::string& sql, std::string_view what) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(m_db.get(), sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr) !=
      SQLITE_OK)
    fail(what);
  return StatementPtr(raw);
}

std::int64_t SqliteDb::query_int(const std::string& sql, std::string_view what) {
  StatementPtr stmt = prepare(sql, what);
  const int rc = sqlite3_step(stmt.get());
  if (rc == SQLITE_ROW) return sqlite3_column_int64(stmt.get(), 0);
  if (rc != SQLITE_DONE) fail(what);
  return 0;
}

void SqliteDb::step_done(sqlite3_stmt* stmt, std::string_view what) {
  if (sqlite3_step(stmt) != SQLITE_DONE) {
    const std::string msg = error_text();
    sqlite3_reset(stmt);
    throw IoError(context() + std::string(what) + ": " + msg);
  }
  sqlite3_reset(stmt);
}

void SqliteDb::close() {
  if (!m_db) return;
  if (sqlite3_close(m_db.get()) != SQLITE_OK) fail("closing the file");
  static_cast<void>(m_db.release());
}

// [SECTION] boxes and the Hilbert key ------------------------------------------------

// rtree.c: RNDTOWARDS / RNDAWAY, applied as in rtreeValueDown / rtreeValueUp.
namespace {
constexpr double kRoundTowards = 1.0 - 1.0 / 8388608.0;
constexpr double kRoundAway = 1.0 + 1.0 / 8388608.0;
}  // namespace

float rtree_round_down(double d) {
  auto f = static_cast<float>(d);
  if (static_cast<double>(f) > d) f = static_cast<float>(d * (d < 0 ? kRoundAway : kRoundTowards));
  return f;
}

float rtree_round_up(double d) {
  auto f = static_cast<float>(d);
  if (static_cast<double>(f) < d) f = static_cast<float>(d * (d < 0 ? kRoundTowards : kRoundAway));
  return f;
}

RtreeBox make_rtree_box(std::int64_t id, double min_x, double max_x, double min_y, double max_y) {
  HOTSPOT_ASSERT(std::isfinite(min_x) && std::isfinite(max_x) && std::isfinite(min_y) &&
                 std::isfinite(max_y));
  HOTSPOT_ASSERT(min_x <= max_x && min_y <= max_y);
  return RtreeBox{id, rtree_round_down(min_x), rtree_round_up(max_x), rtree_round_down(min_y),
                  rtree_round_up(max_y)};
}

std::uint32_t hilbert_index16(std::uint32_t x, std::uint32_t y) {
  constexpr std::uint32_t kSide = 1u << 16;
  HOTSPOT_ASSERT(x < kSide && y < kSide);
  std::uint32_t d = 0;
  for (std::uint32_t s = kSide / 2; s > 0; s /= 2) {
    const std::uint32_t rx = (x & s) ? 1u : 0u;
    const std::uint32_t ry = (y & s) ? 1u : 0u;
    d += s * s * ((3u * rx) ^ ry);
    if (ry == 0) {  // rotate the quadrant
      if (rx == 1) {
        x = kSide - 1 - x;
        y = kSide - 1 - y;
      }
      std::swap(x, y);
    }
  }
  return d;
}

// [SECTION] SQL GDAL writes -----------------------------------------------------------

std::string gpkg_rtree_triggers_sql(std::string_view table, std::string_view column,
                                    std::string_view fid_column) {
  const std::string base = "rtree_" + std::string(table) + "_" + std::string(column);
  const std::string t = quote_identifier(table);
  const std::string g = quote_identifier(column);
  const std::string f = quote_identifier(fid_column);
  const std::string r = quote_identifier(base);
  const std::string upsert = "INSERT OR REPLACE INTO " + r + " VALUES (NEW." + f + ",ST_MinX(NEW." +
                             g + "), ST_MaxX(NEW." + g + "),ST_MinY(NEW." + g + "), ST_MaxY(NEW." +
                             g + "));";
  std::string sql;
  sql += "CREATE TRIGGER " + quote_identifier(base + "_insert") + " AFTER INSERT ON " + t +
         " WHEN (new." + g + " NOT NULL AND NOT ST_IsEmpty(NEW." + g + ")) BEGIN " + upsert +
         " END;\n";
  sql += "CREATE TRIGGER " + quote_identifier(base + "_update1") + " AFTER UPDATE OF " + g +
         " ON " + t + " WHEN OLD." + f + " = NEW." + f + " AND (NEW." + g +
         " NOTNULL AND NOT ST_IsEmpty(NEW." + g + ")) BEGIN " + upsert + " END;\n";
  sql += "CREATE TRIGGER " + quote_identifier(base + "_update2") + " AFTER UPDATE OF " + g +
         " ON " + t + " WHEN OLD." + f + " = NEW." + f + " AND (NEW." + g +
         " ISNULL OR ST_IsEmpty(NEW." + g + ")) BEGIN DELETE FROM " + r + " WHERE id = OLD." + f +
         "; END;\n";
  sql += "CREATE TRIGGER " + quote_identifier(base + "_update3") + " AFTER UPDATE ON " + t +
         " WHEN OLD." + f + " != NEW." + f + " AND (NEW." + g + " NOTNULL AND NOT ST_IsEmpty(NEW." +
         g + ")) BEGIN DELETE FROM " + r + " WHERE id = OLD." + f + "; " + upsert + " END;\n";
  sql += "CREATE TRIGGER " + quote_identifier(base + "_update4") + " AFTER UPDATE ON " + t +
         " WHEN OLD." + f + " != NEW." + f + " AND (NEW." + g + " ISNULL OR ST_IsEmpty(NEW." + g +
         ")) BEGIN DELETE FROM " + r + " WHERE id IN (OLD." + f + ", NEW." + f + "); END;\n";
  sql += "CREATE TRIGGER " + quote_identifier(base + "_delete") + " AFTER DELETE ON " + t +
         " WHEN old." + g + " NOT NULL BEGIN DELETE FROM " + r + " WHERE id = OLD." + f +
         "; END;\n";
  return sql;
}

namespace {

// GDAL's DDL for gpkg_extensions (GeoPackage 1.2 table definition).
constexpr const char* kCreateExtensions =
    "CREATE TABLE gpkg_extensions (table_name TEXT,column_name TEXT,extension_name TEXT NOT "
    "NULL,definition TEXT NOT NULL,scope TEXT NOT NULL,CONSTRAINT ge_tce UNIQUE (table_name, "
    "column_name, extension_name))";

// [SECTION] the packed tree -------------------------------------------------------------

constexpr std::size_t kCellBytes = 24;  // 8-byte id + 4 float32 (2 dimensions)
constexpr std::size_t kMaxCells = 51;   // RTREE_MAXCELLS in rtree.c

void put_be16(unsigned char* p, std::uint32_t v) {
  p[0] = static_cast<unsigned char>(v >> 8);
  p[1] = static_cast<unsigned char>(v);
}
void put_be32(unsigned char* p, std::uint32_t v) {
  for (int i = 3; i >= 0; --i, v >>= 8) p[i] = static_cast<unsigned char>(v);
}
void put_be64(unsigned char* p, std::uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<unsigned char>(v);
}
void put_cell(unsigned char* p, const RtreeBox& b) {
  put_be64(p, static_cast<std::uint64_t>(b.id));
  put_be32(p + 8, std::bit_cast<std::uint32_t>(b.min_x));
  put_be32(p + 12, std::bit_cast<std::uint32_t>(b.max_x));
  put_be32(p + 16, std::bit_cast<std::uint32_t>(b.min_y));
  put_be32(p + 20, std::bit_cast<std::uint32_t>(b.max_y));
}

// Inserts (integer, integer) rows with multi-row INSERT ... VALUES statements, 256
// rows each: SQLite's per-statement cost dominates single-row inserts (Debian's
// SQLite has no lookaside allocator). The last, partial batch gets its own statement.
class PairInserter {
 public:
  static constexpr std::size_t kRows = 256;
  PairInserter(SqliteDb& db, std::string table, std::string_view what)
      : m_db(db), m_table(std::move(table)), m_what(what) {
    m_full = prepare(kRows);
  }
  void add(std::int64_t a, std::int64_t b) {
    m_pairs[m_used++] = {a, b};
    if (m_used == kRows) write(m_full.get());
  }
  void flush() {
    if (m_used == 0) return;
    StatementPtr last = prepare(m_used);
    write(last.get());
  }

 private:
  StatementPtr prepare(std::size_t rows) {
    std::string sql = "INSERT INTO " + m_table + " VALUES ";
    for (std::size_t r = 0; r < rows; ++r) sql += r ? ", (?, ?)" : "(?, ?)";
    return m_db.prepare(sql, m_what);
  }
  void write(sqlite3_stmt* stmt) {
    for (std::size_t r = 0; r < m_used; ++r) {
      sqlite3_bind_int64(stmt, static_cast<int>(2 * r + 1), m_pairs[r].first);
      sqlite3_bind_int64(stmt, static_cast<int>(2 * r + 2), m_pairs[r].second);
    }
    m_used = 0;
    m_db.step_done(stmt, m_what);
  }

  SqliteDb& m_db;
  std::string m_table;
  std::string_view m_what;
  StatementPtr m_full;
  std::array<std::pair<std::int64_t, std::int64_t>, kRows> m_pairs{};
  std::size_t m_used = 0;
};

// The boxes' indices sorted by the Hilbert key of their centres.
std::vector<std::uint32_t> hilbert_order(std::span<const RtreeBox> boxes) {
  double lo_x = std::numeric_limits<double>::infinity(), lo_y = lo_x;
  double hi_x = -lo_x, hi_y = -lo_x;
  for (const RtreeBox& b : boxes) {
    const double cx = (double{b.min_x} + double{b.max_x}) / 2;
    const double cy = (double{b.min_y} + double{b.max_y}) / 2;
    lo_x = std::min(lo_x, cx);
    hi_x = std::max(hi_x, cx);
    lo_y = std::min(lo_y, cy);
    hi_y = std::max(hi_y, cy);
  }
  const double sx = hi_x > lo_x ? 65535.0 / (hi_x - lo_x) : 0.0;
  const double sy = hi_y > lo_y ? 65535.0 / (hi_y - lo_y) : 0.0;
  std::vector<std::uint64_t> keyed(boxes.size());
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    const RtreeBox& b = boxes[i];
    const double cx = (double{b.min_x} + double{b.max_x}) / 2;
    const double cy = (double{b.min_y} + double{b.max_y}) / 2;
    const auto hx = static_cast<std::uint32_t>(std::clamp((cx - lo_x) * sx, 0.0, 65535.0));
    const auto hy = static_cast<std::uint32_t>(std::clamp((cy - lo_y) * sy, 0.0, 65535.0));
    keyed[i] = (std::uint64_t{hilbert_index16(hx, hy)} << 32) | i;
  }
  // LSD radix sort on the 32-bit key (bits 32..63), 11 bits per pass: stable, so
  // equal keys stay in input order. ~10x faster than std::sort for a million.
  std::vector<std::uint64_t> tmp(keyed.size());
  for (unsigned shift = 32; shift < 64; shift += 11) {
    std::array<std::size_t, 2048> start{};
    for (const std::uint64_t k : keyed) ++start[(k >> shift) & 2047u];
    std::size_t sum = 0;
    for (std::size_t& c : start) sum += std::exchange(c, sum);
    for (const std::uint64_t k : keyed) tmp[start[(k >> shift) & 2047u]++] = k;
    keyed.swap(tmp);
  }
  std::vector<std::uint32_t> order(boxes.size());
  for (std::size_t i = 0; i < keyed.size(); ++i)
    order[i] = static_cast<std::uint32_t>(keyed[i] & 0xffffffffu);
  return order;
}

// Writes the packed tree into the (fresh) rtree's shadow tables, then checks it.
// Returns "" when the tree passed its self-check, else what was wrong.
std::string bulk_fill(SqliteDb& db, const std::string& rtree, std::span<const RtreeBox> boxes,
                      bool inject_fault) {
  const std::string node_table = quote_identifier(rtree + "_node");
  const std::string parent_table = quote_identifier(rtree + "_parent");
  const std::string rowid_table = quote_identifier(rtree + "_rowid");

  // The node size the rtree module chose when it created the (empty) root: it reads
  // it back the same way on every later connect.
  const std::int64_t node_size = db.query_int(
      "SELECT length(data) FROM " + node_table + " WHERE nodeno = 1", "reading the R-tree root");
  if (node_size < static_cast<std::int64_t>(4 + 2 * kCellBytes) ||
      node_size > static_cast<std::int64_t>(4 + kMaxCells * kCellBytes))
    return "unexpected R-tree node size " + std::to_string(node_size);
  const auto node_bytes = static_cast<std::size_t>(node_size);
  const std::size_t max_cells = (node_bytes - 4) / kCellBytes;

  const std::size_t n = boxes.size();
  std::size_t total_nodes = 1;
  if (n > 0) {
    HOTSPOT_ASSERT_MSG(n <= std::numeric_limits<std::uint32_t>::max(), "too many rows to index");
    const std::vector<std::uint32_t> order = hilbert_order(boxes);

    // Nodes per level, leaves first; the last level is the root.
    std::vector<std::size_t> level_nodes;
    for (std::size_t c = n;;) {
      const std::size_t nodes = (c + max_cells - 1) / max_cells;
      level_nodes.push_back(nodes);
      if (nodes == 1) break;
      c = nodes;
    }
    const std::size_t height = level_nodes.size() - 1;
    // Node numbers: the root is 1, then each level below in turn, leaves last.
    std::vector<std::int64_t> first(level_nodes.size());
    first[height] = 1;
    for (std::size_t l = height; l-- > 0;)
      first[l] = first[l + 1] + static_cast<std::int64_t>(level_nodes[l + 1]);
    total_nodes = 0;
    for (const std::size_t c : level_nodes) total_nodes += c;

    StatementPtr put_node =
        db.prepare("INSERT OR REPLACE INTO " + node_table + "(nodeno, data) VALUES (?, ?)",
                   "writing the R-tree");
    PairInserter put_parent(db, parent_table + "(nodeno, parentnode)",
                            "writing the R-tree parents");
    PairInserter put_rowid(db, rowid_table + "(rowid, nodeno)", "writing the R-tree rowids");

    std::vector<std::uint32_t> leaf_of(n);  // leaf node number per input index
    std::vector<RtreeBox> level;            // the entries of the level being packed
    std::vector<RtreeBox> next;
    std::vector<unsigned char> blob(node_bytes);
    for (std::size_t l = 0; l <= height; ++l) {
      const std::size_t count = l == 0 ? n : level.size();
      const std::size_t nodes = level_nodes[l];
      // Spread the entries evenly over ceil(count / max_cells) nodes, so there is no
      // tiny last node: with a million rows every leaf holds 50 or 51 cells.
      const std::size_t base = count / nodes, extra = count % nodes;
      next.assign(nodes, RtreeBox{});
      std::size_t pos = 0;
      for (std::size_t k = 0; k < nodes; ++k) {
        const std::size_t cells = base + (k < extra ? 1 : 0);
        const std::int64_t nodeno = first[l] + static_cast<std::int64_t>(k);
        std::fill(blob.begin(), blob.end(), static_cast<unsigned char>(0));
        put_be16(blob.data(), l == height ? static_cast<std::uint32_t>(height) : 0u);
        put_be16(blob.data() + 2, static_cast<std::uint32_t>(cells));
        RtreeBox bounds{
            nodeno, std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
            std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()};
        for (std::size_t j = 0; j < cells; ++j) {
          const std::size_t at = pos + j;
          const RtreeBox& e = l == 0 ? boxes[order[at]] : level[at];
          put_cell(blob.data() + 4 + j * kCellBytes, e);
          bounds.min_x = std::min(bounds.min_x, e.min_x);
          bounds.max_x = std::max(bounds.max_x, e.max_x);
          bounds.min_y = std::min(bounds.min_y, e.min_y);
          bounds.max_y = std::max(bounds.max_y, e.max_y);
          if (l == 0) {
            leaf_of[order[at]] = static_cast<std::uint32_t>(nodeno);
          } else {
            put_parent.add(e.id, nodeno);
          }
        }
        sqlite3_bind_int64(put_node.get(), 1, nodeno);
        sqlite3_bind_blob(put_node.get(), 2, blob.data(), static_cast<int>(blob.size()),
                          SQLITE_STATIC);
        db.step_done(put_node.get(), "writing the R-tree nodes");
        next[k] = bounds;
        pos += cells;
      }
      level.swap(next);
    }
    put_parent.flush();

    // rowid -> leaf, inserted in rowid order (appending to the B-tree is fastest).
    const auto write_rowid = [&](std::int64_t id, std::uint32_t leaf) { put_rowid.add(id, leaf); };
    const bool ascending =
        std::is_sorted(boxes.begin(), boxes.end(),
                       [](const RtreeBox& a, const RtreeBox& b) { return a.id < b.id; });
    if (ascending) {
      const std::size_t written = inject_fault ? n - 1 : n;
      for (std::size_t i = 0; i < written; ++i) write_rowid(boxes[i].id, leaf_of[i]);
    } else {
      std::vector<std::pair<std::int64_t, std::uint32_t>> by_id(n);
      for (std::size_t i = 0; i < n; ++i) by_id[i] = {boxes[i].id, leaf_of[i]};
      std::sort(by_id.begin(), by_id.end());
      for (const auto& [id, leaf] : by_id) write_rowid(id, leaf);
    }
    put_rowid.flush();
  }

  // Self-check: the shadow tables hold what was planned, and the rtree module can
  // walk the whole tree and finds every row.
  const auto rows = static_cast<std::int64_t>(n);
  const auto nodes = static_cast<std::int64_t>(total_nodes);
  const std::int64_t got_rowids =
      db.query_int("SELECT count(*) FROM " + rowid_table, "checking the R-tree");
  if (got_rowids != rows)
    return std::to_string(got_rowids) + " rows in " + rtree + "_rowid, expected " +
           std::to_string(rows);
  const std::int64_t got_nodes =
      db.query_int("SELECT count(*) FROM " + node_table, "checking the R-tree");
  if (got_nodes != nodes)
    return std::to_string(got_nodes) + " nodes, expected " + std::to_string(nodes);
  const std::int64_t got_parents =
      db.query_int("SELECT count(*) FROM " + parent_table, "checking the R-tree");
  if (got_parents != nodes - 1)
    return std::to_string(got_parents) + " parent links, expected " + std::to_string(nodes - 1);
  const std::int64_t scanned =
      db.query_int("SELECT count(*) FROM " + quote_identifier(rtree), "checking the R-tree");
  if (scanned != rows)
    return "a scan of the tree found " + std::to_string(scanned) + " rows, expected " +
           std::to_string(rows);
  return {};
}

void incremental_fill(SqliteDb& db, const std::string& rtree, std::span<const RtreeBox> boxes) {
  StatementPtr insert = db.prepare(
      "INSERT INTO " + quote_identifier(rtree) + " VALUES (?, ?, ?, ?, ?)", "filling the R-tree");
  for (const RtreeBox& b : boxes) {
    sqlite3_bind_int64(insert.get(), 1, b.id);
    sqlite3_bind_double(insert.get(), 2, double{b.min_x});
    sqlite3_bind_double(insert.get(), 3, double{b.max_x});
    sqlite3_bind_double(insert.get(), 4, double{b.min_y});
    sqlite3_bind_double(insert.get(), 5, double{b.max_y});
    db.step_done(insert.get(), "filling the R-tree");
  }
}

}  // namespace

// [SECTION] create_gpkg_rtree --------------------------------------------------------------

RtreeBuild create_gpkg_rtree(SqliteDb& db, std::string_view table, std::string_view column,
                             std::string_view fid_column, std::span<const RtreeBox> boxes,
                             RtreeMethod method) {
  const std::string rtree = "rtree_" + std::string(table) + "_" + std::string(column);
  const std::string create = "CREATE VIRTUAL TABLE " + quote_identifier(rtree) +
                             " USING rtree(id, minx, maxx, miny, maxy)";
  RtreeBuild result;
  if (method != RtreeMethod::incremental) {
    db.exec("SAVEPOINT hotspot_rtree_bulk", "starting the spatial index");
    std::string why;
    try {
      db.exec(create, "creating the spatial index");
      why = bulk_fill(db, rtree, boxes, method == RtreeMethod::bulk_with_injected_fault);
    } catch (const IoError& e) {
      why = e.what();
    }
    if (why.empty()) {
      db.exec("RELEASE hotspot_rtree_bulk", "finishing the spatial index");
      result.bulk = true;
    } else {
      db.exec("ROLLBACK TO hotspot_rtree_bulk", "undoing the failed spatial index");
      db.exec("RELEASE hotspot_rtree_bulk", "undoing the failed spatial index");
      result.warning = db.context() + "the bulk spatial index build failed its self-check (" + why +
                       "); rebuilt it row by row instead (slower, same index)";
    }
  }
  if (!result.bulk) {
    db.exec(create, "creating the spatial index");
    incremental_fill(db, rtree, boxes);
  }
  db.exec(gpkg_rtree_triggers_sql(table, column, fid_column),
          "creating the spatial index triggers");
  if (db.query_int("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                   "'gpkg_extensions'",
                   "reading gpkg_extensions") == 0)
    db.exec(kCreateExtensions, "creating gpkg_extensions");
  db.exec(
      "INSERT OR REPLACE INTO gpkg_extensions "
      "(table_name, column_name, extension_name, definition, scope) VALUES (" +
          quote_literal(table) + ", " + quote_literal(column) +
          ", 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', "
          "'write-only')",
      "registering the spatial index in gpkg_extensions");
  return result;
}

}  // namespace hotspot::layers::detail
