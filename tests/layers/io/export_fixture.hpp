#pragma once
// A small study GeoPackage for the export tests: wards (4 squares in a row), grid
// cells with Gi* bins, emerging hot spot cells, incident points and a monthly table,
// all in British National Grid near Sutton-in-Ashfield.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "layers/io/vector_writer.hpp"

namespace hotspot::test {

// Four 1 km squares in a row from (450000, 355000), ids A..D.
inline core::MultiPolygon square_km(double x0, double y0, double side = 1000) {
  core::Polygon p;
  // clockwise (core's convention)
  p.outer() = {{x0, y0}, {x0, y0 + side}, {x0 + side, y0 + side}, {x0 + side, y0}, {x0, y0}};
  return core::MultiPolygon{p};
}

struct WardRow {
  std::string code;
  int64_t total, burglary, asb;
};

inline void write_export_fixture(const std::filesystem::path& gpkg, const std::vector<WardRow>& wards,
                                 const std::vector<int64_t>& cell_counts) {
  using layers::FieldType;
  layers::VectorWriter w(gpkg);
  {
    auto& l = w.add_layer({"wards_counts", layers::GeometryKind::multipolygon, 27700,
                           {{"code", FieldType::text},
                            {"name", FieldType::text},
                            {"area_km2", FieldType::real},
                            {"total", FieldType::integer},
                            {"burglary", FieldType::integer},
                            {"anti_social_behaviour", FieldType::integer}}});
    layers::FeatureValues f;
    for (std::size_t i = 0; i < wards.size(); ++i) {
      f.geometry = square_km(450000 + 1000.0 * static_cast<double>(i), 355000);
      f.values = {wards[i].code, "Ward " + wards[i].code, 1.0, wards[i].total, wards[i].burglary, wards[i].asb};
      l.add(f);
    }
  }
  {
    auto& l = w.add_layer({"cells", layers::GeometryKind::multipolygon, 27700,
                           {{"cell_id", FieldType::integer},
                            {"count", FieldType::integer},
                            {"z", FieldType::real},
                            {"bin", FieldType::integer}}});
    layers::FeatureValues f;
    for (std::size_t i = 0; i < cell_counts.size(); ++i) {
      const double x = 450000 + 250.0 * static_cast<double>(i % 16), y = 356000 + 250.0 * static_cast<double>(i / 16);
      f.geometry = square_km(x, y, 250);
      const double z = (static_cast<double>(cell_counts[i]) - 5.0) / 2.0;
      f.values = {static_cast<int64_t>(1000 + i), cell_counts[i], z,
                  int64_t{z > 2.58 ? 3 : z > 1.96 ? 2 : z > 1.65 ? 1 : z < -1.65 ? -1 : 0}};
      l.add(f);
    }
  }
  {
    auto& l = w.add_layer({"emerging", layers::GeometryKind::multipolygon, 27700,
                           {{"cell_id", FieldType::integer}, {"category", FieldType::text}}});
    layers::FeatureValues f;
    const char* cats[] = {"New Hot Spot", "Persistent Cold Spot", "No Pattern Detected"};
    for (int i = 0; i < 3; ++i) {
      f.geometry = square_km(452000 + 250.0 * i, 357000, 250);
      f.values = {int64_t{2000 + i}, std::string(cats[i])};
      l.add(f);
    }
  }
  {
    auto& l = w.add_layer({"incidents", layers::GeometryKind::point, 27700,
                           {{"category", FieldType::text}, {"month", FieldType::text}}});
    layers::FeatureValues f;
    f.geometry = core::Point(451234, 355678);
    f.values = {std::string("Burglary"), std::string("2023-05")};
    l.add(f);
    f.geometry = core::Point(451990, 355010);
    f.values = {std::string("Anti-social behaviour"), std::string("2023-06")};
    l.add(f);
  }
  {
    auto& l = w.add_layer({"monthly_counts", layers::GeometryKind::none, 27700,
                           {{"month", FieldType::text}, {"total", FieldType::integer}}});
    layers::FeatureValues f;
    f.values = {std::string("2023-05"), int64_t{12}};
    l.add(f);
  }
  w.close();
}

}  // namespace hotspot::test
