// Writes the viewer test fixtures into a folder (argv[1]), deterministically:
//   gistar_grid.gpkg     layer gistar_cells: 10 x 10 cells of 200 m with Gi* fields
//                        (z, p, bin); one 99% hot spot at column 6, row 3 (from the
//                        south-west), one 99% cold spot at column 1, row 8, 90% hot
//                        spots around the hot one, the rest not significant
//   emerging.gpkg        layer emerging_cells: the same cells with Esri EHSA categories
//   interventions.geojson three Safer Streets measures (id, type, name, start)
//   kde.tif              a 100 x 100 raster of 20 m cells (EPSG:27700) with one peak
//   ranked.gpkg          layer targets: the grid cells with rank and score
//   rasters.gpkg         two raster tables (kde_all, kde_burglary: copies of kde.tif)
//                        beside the vector layer gistar_cells, as a study.gpkg may hold
// The cell geometry is shared with tests/viewer/fixtures.hpp (kGridX0 ...).
#include <gdal.h>
#include <ogr_srs_api.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "layers/io/vector_writer.hpp"
#include "tests/viewer/fixtures.hpp"

using namespace hotspot;
using namespace hotspot::layers;
namespace fx = hotspot::viewer::test;

namespace {

core::MultiPolygon cell(int col, int row) {
  const double x0 = fx::kGridX0 + col * fx::kCellM, y0 = fx::kGridY0 + row * fx::kCellM;
  core::Polygon p;
  p.outer() = {{x0, y0}, {x0, y0 + fx::kCellM}, {x0 + fx::kCellM, y0 + fx::kCellM}, {x0 + fx::kCellM, y0}, {x0, y0}};
  return core::MultiPolygon{p};
}

int bin_of(int col, int row) {
  if (col == fx::kHotCol && row == fx::kHotRow) return 3;
  if (col == fx::kColdCol && row == fx::kColdRow) return -3;
  if (std::abs(col - fx::kHotCol) + std::abs(row - fx::kHotRow) == 1) return 1;
  return 0;
}

void write_grid(const std::filesystem::path& dir) {
  VectorWriter out(dir / "gistar_grid.gpkg");
  auto& layer = out.add_layer({.name = "gistar_cells",
                               .geometry = GeometryKind::multipolygon,
                               .fields = {{"id", FieldType::integer},
                                          {"count", FieldType::integer},
                                          {"z", FieldType::real},
                                          {"p", FieldType::real},
                                          {"bin", FieldType::integer}}});
  FeatureValues f;
  for (int row = 0; row < fx::kGridN; ++row)
    for (int col = 0; col < fx::kGridN; ++col) {
      const int b = bin_of(col, row);
      const double z = b == 3 ? 4.21 : b == -3 ? -3.05 : b == 1 ? 1.71 : 0.2 * std::sin(col + row);
      const double p = b == 3 ? 0.00003 : b == -3 ? 0.0023 : b == 1 ? 0.087 : 0.6;
      f.geometry = cell(col, row);
      f.values = {std::int64_t{row * fx::kGridN + col}, std::int64_t{b == 3 ? 60 : b == -3 ? 0 : 10 + col}, z, p,
                  std::int64_t{b}};
      layer.add(f);
    }
  out.close();
}

void write_emerging(const std::filesystem::path& dir) {
  VectorWriter out(dir / "emerging.gpkg");
  auto& layer = out.add_layer({.name = "emerging_cells",
                               .geometry = GeometryKind::multipolygon,
                               .fields = {{"id", FieldType::integer}, {"category", FieldType::text}}});
  FeatureValues f;
  for (int row = 0; row < fx::kGridN; ++row)
    for (int col = 0; col < fx::kGridN; ++col) {
      const int b = bin_of(col, row);
      f.geometry = cell(col, row);
      f.values = {std::int64_t{row * fx::kGridN + col},
                  std::string(b == 3 ? "Intensifying Hot Spot" : b == -3 ? "Persistent Cold Spot" : b == 1 ? "New Hot Spot" : "No Pattern Detected")};
      layer.add(f);
    }
  out.close();
}

void write_ranked(const std::filesystem::path& dir) {
  VectorWriter out(dir / "ranked.gpkg");
  auto& layer = out.add_layer({.name = "targets",
                               .geometry = GeometryKind::multipolygon,
                               .fields = {{"code", FieldType::text}, {"name", FieldType::text},
                                          {"rank", FieldType::integer}, {"score", FieldType::real}}});
  FeatureValues f;
  const int picks[3][2] = {{fx::kHotCol, fx::kHotRow}, {2, 2}, {8, 7}};
  for (int k = 0; k < 3; ++k) {
    f.geometry = cell(picks[k][0], picks[k][1]);
    f.values = {std::string("T") + std::to_string(k + 1), std::string("Target ") + std::to_string(k + 1),
                std::int64_t{k + 1}, 10.0 - k};
    layer.add(f);
  }
  out.close();
}

void write_interventions(const std::filesystem::path& dir) {
  std::ofstream out(dir / "interventions.geojson");
  out << R"({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
"features": [
{"type": "Feature", "properties": {"id": "AG1", "type": "alley gating", "name": "Alley gates, Sutton Central", "start": "2023-10"}, "geometry": {"type": "Point", "coordinates": [449700, 359000]}},
{"type": "Feature", "properties": {"id": "CC1", "type": "CCTV", "name": "CCTV extension, Kirkby", "start": "2023-07"}, "geometry": {"type": "Point", "coordinates": [450480, 356070]}},
{"type": "Feature", "properties": {"id": "SL1", "type": "street lighting", "name": "Street lighting, Hucknall", "start": "2024-01"}, "geometry": {"type": "Point", "coordinates": [453360, 349053]}}
]}
)";
}

void write_kde(const std::filesystem::path& dir) {
  GDALAllRegister();
  GDALDriverH drv = GDALGetDriverByName("GTiff");
  const std::string path = (dir / "kde.tif").string();
  GDALDatasetH ds = GDALCreate(drv, path.c_str(), fx::kKdeN, fx::kKdeN, 1, GDT_Float32, nullptr);
  double gt[6] = {fx::kKdeX0, fx::kKdeCellM, 0, fx::kKdeY0 + fx::kKdeN * fx::kKdeCellM, 0, -fx::kKdeCellM};
  GDALSetGeoTransform(ds, gt);
  OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
  OSRImportFromEPSG(srs, 27700);
  GDALSetSpatialRef(ds, srs);
  OSRDestroySpatialReference(srs);
  std::vector<float> v(static_cast<std::size_t>(fx::kKdeN * fx::kKdeN));
  for (int r = 0; r < fx::kKdeN; ++r)
    for (int c = 0; c < fx::kKdeN; ++c) {
      const double x = fx::kKdeX0 + (c + 0.5) * fx::kKdeCellM, y = fx::kKdeY0 + (fx::kKdeN - r - 0.5) * fx::kKdeCellM;
      const double d2 = (x - fx::kKdePeakX) * (x - fx::kKdePeakX) + (y - fx::kKdePeakY) * (y - fx::kKdePeakY);
      v[static_cast<std::size_t>(r * fx::kKdeN + c)] = static_cast<float>(100.0 * std::exp(-d2 / (2 * 300.0 * 300.0)));
    }
  GDALRasterBandH band = GDALGetRasterBand(ds, 1);
  if (GDALRasterIO(band, GF_Write, 0, 0, fx::kKdeN, fx::kKdeN, v.data(), fx::kKdeN, fx::kKdeN, GDT_Float32, 0, 0) != CE_None)
    std::fprintf(stderr, "make_fixtures: cannot write %s\n", path.c_str());
  GDALSetDescription(band, "Burglary density");
  GDALClose(ds);
}

// A GeoPackage with raster tables and a vector layer (after write_grid and write_kde).
void write_raster_gpkg(const std::filesystem::path& dir) {
  const std::string path = (dir / "rasters.gpkg").string();
  std::filesystem::remove(path);
  GDALDriverH gpkg = GDALGetDriverByName("GPKG");
  GDALDatasetH src = GDALOpen((dir / "kde.tif").string().c_str(), GA_ReadOnly);
  if (src == nullptr || gpkg == nullptr) throw std::runtime_error("cannot open kde.tif or the GPKG driver");
  for (const char* table : {"kde_all", "kde_burglary"}) {
    const std::string t = std::string("RASTER_TABLE=") + table;
    const char* options[] = {t.c_str(), "APPEND_SUBDATASET=YES", nullptr};
    GDALDatasetH out = GDALCreateCopy(gpkg, path.c_str(), src, FALSE, const_cast<char**>(options), nullptr, nullptr);
    if (out == nullptr) throw std::runtime_error("cannot write " + path);
    GDALClose(out);
  }
  GDALClose(src);
  GDALDatasetH grid = GDALOpenEx((dir / "gistar_grid.gpkg").string().c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
  GDALDatasetH out = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr);
  if (grid == nullptr || out == nullptr) throw std::runtime_error("cannot add a vector layer to " + path);
  GDALDatasetCopyLayer(out, GDALDatasetGetLayerByName(grid, "gistar_cells"), "gistar_cells", nullptr);
  GDALClose(out);
  GDALClose(grid);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_viewer_fixtures DIR\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  try {
    write_grid(dir);
    write_emerging(dir);
    write_ranked(dir);
    write_interventions(dir);
    write_kde(dir);
    write_raster_gpkg(dir);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_viewer_fixtures: %s\n", e.what());
    return 1;
  }
  return 0;
}
