#pragma once
// Internals shared by the GeoPackage writers (GpkgPointWriter, VectorWriter): an
// SQLite connection with good error messages, GDAL helpers to open/create a
// GeoPackage and replace a layer, and the bulk loader for the GeoPackage R-tree
// spatial index. Never included from a public header (tests/check_layering.sh).
//
// Why a bulk loader: SQLite's rtree module inserts one row at a time (13 s for a
// million points with sqlite 3.40); GDAL 3.6, which Debian 12 ships, builds the
// GeoPackage index that way. GDAL 3.7 added a bulk loader (gdal#7614); this is our
// own, written from SQLite's ext/rtree/rtree.c node format:
//
//   node blob (exactly `node size` bytes, zero padded; node size = length of the
//   root blob the rtree module created = min(page_size - 64, 4 + 51 * 24)):
//     [0..1]  tree depth, big-endian (root node only; 0 when the root is a leaf)
//     [2..3]  number of cells, big-endian
//     [4.. ]  cells of 24 bytes: 8-byte big-endian rowid (leaf) or child node
//             number (interior), then minX, maxX, minY, maxY as big-endian float32
//   <name>_node(nodeno, data)       every node; the root is nodeno 1
//   <name>_parent(nodeno, parentnode) every node except the root
//   <name>_rowid(rowid, nodeno)     every indexed row -> the leaf that holds it
//
// Leaves are packed (nearly) full in Hilbert order of the box centres; each upper level packs
// the level below in order. Float bounds are rounded outward exactly as rtree.c's
// rtreeValueDown/rtreeValueUp do, so a bulk-built leaf holds the same bytes an
// incremental insert would.
//
//   SqliteDb db(path, "incidents");                  // layer name, for messages
//   db.exec("BEGIN", "starting the transaction");
//   RtreeBuild r = create_gpkg_rtree(db, "incidents", "geom", "fid", boxes,
//                                    RtreeMethod::bulk);
//   db.exec("COMMIT", "committing");
//   if (!r.warning.empty()) log(r.warning);

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "layers/io/detail/gdal.hpp"
#include "layers/io/gpkg_point_writer.hpp"

namespace hotspot::layers::detail {

// [SECTION] GDAL side ------------------------------------------------------------------

// ASCII case-insensitive equality (how SQLite compares table and column names).
bool iequals_ascii(std::string_view a, std::string_view b);

// @throws UsageError naming the file and layer for an empty layer name or an empty,
// duplicate (case-insensitive) or reserved field name ("fid", and `geometry_column`
// unless empty).
void check_layer_schema(const std::filesystem::path& path, std::string_view layer,
                        std::span<const FieldSpec> fields, std::string_view geometry_column);

OGRFieldType ogr_field_type(FieldType type);

// Adds `fields` to `layer` in order; GDAL's messages (warnings too) go to `errors`.
// @throws IoError "<where>cannot create field 'x': <GDAL's message>".
void create_fields(OGRLayerH layer, std::span<const FieldSpec> fields, const std::string& where,
                   const CplErrorCapture& errors);

// Opens `path` for update when it exists (it must be a GeoPackage), else creates it.
// @throws IoError naming the file (and `layer`, for context).
DatasetPtr open_or_create_gpkg(const std::filesystem::path& path, std::string_view layer);

// Deletes the layer named `layer` (case-insensitive) from `ds` if there is one.
// @throws IoError.
void delete_layer_if_present(GDALDatasetH ds, const std::filesystem::path& path,
                             std::string_view layer);

// [SECTION] SQLite side ---------------------------------------------------------------

struct SqliteCloser {
  void operator()(sqlite3* db) const {
    if (db) sqlite3_close(db);
  }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* s) const {
    if (s) sqlite3_finalize(s);
  }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// `"name"` with embedded double quotes doubled: a safe SQL identifier.
std::string quote_identifier(std::string_view name);
// `'text'` with embedded single quotes doubled: a safe SQL string literal.
std::string quote_literal(std::string_view text);

// An open SQLite connection to an existing file, with the file and the current
// layer in every error message:
//   "<file>: layer '<layer>': <what failed>: <SQLite's message>"
// (e.g. "... inserting row 1042: database or disk is full").
class SqliteDb {
 public:
  // Opens an existing database read-write. @throws IoError.
  SqliteDb(const std::filesystem::path& path, std::string layer);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  [[nodiscard]] sqlite3* get() const { return m_db.get(); }
  void set_layer(std::string layer) { m_layer = std::move(layer); }

  // @throws IoError naming `what`.
  void exec(const std::string& sql, std::string_view what);
  [[nodiscard]] StatementPtr prepare(const std::string& sql, std::string_view what);
  // The first column of the first row as an integer (0 when there is no row).
  [[nodiscard]] std::int64_t query_int(const std::string& sql, std::string_view what);
  // sqlite3_step that must return SQLITE_DONE, then reset. @throws IoError.
  void step_done(sqlite3_stmt* stmt, std::string_view what);
  // Closes the connection now; @throws IoError if SQLite refuses (unfinalised statements).
  void close();

  // Throws IoError with SQLite's current error message.
  [[noreturn]] void fail(std::string_view what) const;
  // SQLite's message for the last error (or `message`), with the system's reason when
  // it was one: "disk I/O error (no space left on the device: the disk is full)".
  [[nodiscard]] std::string error_text(const char* message = nullptr) const;
  // "<file>: layer '<layer>': " (the prefix of every message).
  [[nodiscard]] std::string context() const;

 private:
  std::filesystem::path m_path;
  std::string m_layer;
  std::unique_ptr<sqlite3, SqliteCloser> m_db;
};

// One row to index: its id (the feature's fid) and its bounds, already rounded
// outward to float32 as SQLite's rtree does (make_rtree_box).
struct RtreeBox {
  std::int64_t id;
  float min_x, max_x, min_y, max_y;
};
static_assert(sizeof(RtreeBox) == 24, "RtreeBox is kept per row: 24 bytes");

// rtree.c's rounding: a float <= d (down) and a float >= d (up), by rtree.c's own
// formula so bulk and incremental builds store the same bytes. Like rtree.c, not
// guaranteed outward for float subnormals (|d| < 1.2e-38; never a coordinate).
float rtree_round_down(double d);
float rtree_round_up(double d);
// Requires: finite bounds, min <= max.
RtreeBox make_rtree_box(std::int64_t id, double min_x, double max_x, double min_y, double max_y);

enum class RtreeMethod {
  bulk,                      // packed tree written straight into the shadow tables (fast)
  incremental,               // INSERT INTO the rtree one row at a time (SQLite's own path; slow)
  bulk_with_injected_fault,  // tests only: bulk, leaving out one _rowid row (ids must
                             // ascend) so that the self-check fails and falls back
};

struct RtreeBuild {
  bool bulk = false;    // true when the packed tree was kept
  std::string warning;  // non-empty when the bulk build failed its self-check and the
                        // index was rebuilt incrementally; says why
};

// Creates the GeoPackage spatial index of `table`.`column`: the rtree virtual table
// "rtree_<table>_<column>" holding `boxes`, the six maintenance triggers GDAL
// creates (same names and SQL, keyed on `fid_column`) and the gpkg_extensions row
// ('gpkg_rtree_index', write-only), creating gpkg_extensions when missing.
//
// Requires: an open transaction on `db` (the bulk attempt runs under a savepoint so
// a failed self-check rolls back cleanly), no index of that name yet, unique ids.
// The bulk build checks itself (row, node and parent counts, and a full scan of the
// tree through the rtree module); on any failure it rolls back to the savepoint and
// builds incrementally, saying so in RtreeBuild::warning. Never leaves a broken index.
// Cost (bulk): ~0.6 s CPU per million rows (Hilbert radix sort, the nodes, one
// <name>_rowid row per id in 256-row INSERTs, the self-check); 24 bytes per box.
// @throws IoError when even the incremental build fails (disk full, ...).
RtreeBuild create_gpkg_rtree(SqliteDb& db, std::string_view table, std::string_view column,
                             std::string_view fid_column, std::span<const RtreeBox> boxes,
                             RtreeMethod method);

// The six GDAL GeoPackage R-tree triggers for `table`.`column` (GDAL 3.6 text).
std::string gpkg_rtree_triggers_sql(std::string_view table, std::string_view column,
                                    std::string_view fid_column);

// The position of (x, y) on a Hilbert curve of order 16 over [0, 65535]^2.
std::uint32_t hilbert_index16(std::uint32_t x, std::uint32_t y);

}  // namespace hotspot::layers::detail
