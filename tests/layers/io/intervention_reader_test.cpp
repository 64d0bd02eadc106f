#include "layers/io/intervention_reader.hpp"

#include <gtest/gtest.h>

#include "core/base/error.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hotspot;
using namespace hotspot::layers;
using hotspot::test::TempDir;

namespace {

const core::Taxonomy kTax = core::Taxonomy::police_uk();

std::string input_error(const std::filesystem::path& p, const InterventionReadOptions& o = {}) {
  try {
    read_interventions(p, kTax, o);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(InterventionReader, CsvWithEastingNorthingAndEveryOptionalColumn) {
  TempDir d;
  const auto p = d.write("iv.csv",
                         "id,type,name,start,end,scheme,categories,radius_m,buffer_m,control,x,y\n"
                         "G1,alley gate,\"Gates, North St\",2023-10,,SS4,Burglary;Criminal damage and arson,80,150,E1;E2,449700,359000\n"
                         "C1,CCTV,Camera 7,2023-07-15,2023-08,,,,,,450480.5,356070.25\n");
  const InterventionReadResult r = read_interventions(p, kTax);
  ASSERT_EQ(r.interventions.size(), 2u);
  EXPECT_EQ(r.rows, 2u);
  EXPECT_TRUE(r.warnings.empty());
  const core::Intervention& g = r.interventions[0];
  EXPECT_EQ(g.id, "G1");
  EXPECT_EQ(g.type, core::InterventionType::alleygate);
  EXPECT_EQ(g.name, "Gates, North St");
  EXPECT_EQ(g.start_month, core::month_index(2023, 10));
  EXPECT_EQ(g.start_day, core::kNoDay);
  EXPECT_FALSE(g.end_month.has_value());
  EXPECT_EQ(g.scheme, "SS4");
  EXPECT_EQ(g.categories, (std::vector<core::CategoryId>{*kTax.find("Burglary"), *kTax.find("Criminal damage and arson")}));
  EXPECT_EQ(g.radius_m, 80.0);
  EXPECT_EQ(g.buffer_m, 150.0);
  EXPECT_EQ(g.control_codes, (std::vector<std::string>{"E1", "E2"}));
  ASSERT_TRUE(std::holds_alternative<core::MultiPoint>(g.geometry));
  EXPECT_DOUBLE_EQ(std::get<core::MultiPoint>(g.geometry)[0].x(), 449700.0);
  EXPECT_EQ(g.source, p.string() + ":2");
  const core::Intervention& c = r.interventions[1];
  EXPECT_EQ(c.type, core::InterventionType::cctv);
  EXPECT_EQ(c.start_month, core::month_index(2023, 7));
  EXPECT_EQ(c.start_day, core::days_from_civil(2023, 7, 15));
  EXPECT_EQ(c.end_month, core::month_index(2023, 8));
  EXPECT_TRUE(c.categories.empty());
  EXPECT_FALSE(c.radius_m.has_value());
  EXPECT_DOUBLE_EQ(std::get<core::MultiPoint>(c.geometry)[0].y(), 356070.25);
}

TEST(InterventionReader, CsvWithWktLinesAndPolygons) {
  TempDir d;
  const auto p = d.write("iv.csv",
                         "id,type,name,start,wkt\n"
                         "L,street_lighting,Lit road,2023-04,\"LINESTRING (0 0, 100 0, 200 50)\"\n"
                         "P,target_hardening,Estate,2024-03,\"POLYGON ((0 0, 0 100, 100 100, 100 0, 0 0))\"\n"
                         "M,cctv,Two cameras,2024-03,\"MULTIPOINT ((10 10), (20 20))\"\n");
  const InterventionReadResult r = read_interventions(p, kTax);
  ASSERT_EQ(r.interventions.size(), 3u);
  ASSERT_TRUE(std::holds_alternative<core::MultiLineString>(r.interventions[0].geometry));
  EXPECT_EQ(std::get<core::MultiLineString>(r.interventions[0].geometry)[0].size(), 3u);
  ASSERT_TRUE(std::holds_alternative<core::MultiPolygon>(r.interventions[1].geometry));
  EXPECT_EQ(std::get<core::MultiPolygon>(r.interventions[1].geometry)[0].outer().size(), 5u);
  ASSERT_TRUE(std::holds_alternative<core::MultiPoint>(r.interventions[2].geometry));
  EXPECT_EQ(std::get<core::MultiPoint>(r.interventions[2].geometry).size(), 2u);
}

TEST(InterventionReader, CsvWithLonLatIsTransformedToBng) {
  TempDir d;
  const auto p = d.write("iv.csv", "id,type,name,start,lon,lat,notes\nC,cctv,Cam,2023-07,-1.2475418,53.0994512,ok\n");
  const InterventionReadResult r = read_interventions(p, kTax);
  ASSERT_EQ(r.interventions.size(), 1u);
  const auto& pt = std::get<core::MultiPoint>(r.interventions[0].geometry)[0];
  EXPECT_NEAR(pt.x(), 450480, 0.05);
  EXPECT_NEAR(pt.y(), 356070, 0.05);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0], p.string() + ": warning: columns not used: notes");
}

TEST(InterventionReader, GeoJsonPointsLinesAndPolygonsInWgs84) {
  const auto path = test::fixtures() / "evaluate" / "interventions.geojson";
  const InterventionReadResult r = read_interventions(path, kTax);
  ASSERT_EQ(r.interventions.size(), 3u);
  const auto& p1 = r.interventions[0];
  EXPECT_EQ(p1.type, core::InterventionType::cctv);
  EXPECT_EQ(p1.radius_m, 120.0);
  EXPECT_EQ(p1.categories, std::vector<core::CategoryId>{*kTax.find("Anti-social behaviour")});
  EXPECT_NEAR(std::get<core::MultiPoint>(p1.geometry)[0].x(), 450480, 0.05);
  EXPECT_NEAR(std::get<core::MultiPoint>(p1.geometry)[0].y(), 356070, 0.05);
  EXPECT_EQ(p1.source, path.string() + ":feature 1");
  const auto& l1 = r.interventions[1];
  EXPECT_EQ(l1.type, core::InterventionType::street_lighting);
  EXPECT_EQ(l1.start_day, core::days_from_civil(2023, 10, 16));
  EXPECT_EQ(l1.end_month, core::month_index(2023, 11));
  const auto& line = std::get<core::MultiLineString>(l1.geometry)[0];
  ASSERT_EQ(line.size(), 3u);
  EXPECT_NEAR(line[2].x(), 447250, 0.05);
  EXPECT_NEAR(line[2].y(), 353650, 0.05);
  const auto& a1 = r.interventions[2];
  EXPECT_EQ(a1.type, core::InterventionType::alleygate);
  EXPECT_EQ(a1.scheme, "Safer Streets 4");
  EXPECT_EQ(a1.buffer_m, 200.0);
  const auto& ring = std::get<core::MultiPolygon>(a1.geometry)[0].outer();
  EXPECT_NEAR(ring[1].x(), 449450, 0.05);
  EXPECT_NEAR(ring[2].y(), 354380, 0.05);
}

TEST(InterventionReader, EveryBadRowIsListedWithItsLine) {
  TempDir d;
  const auto p = d.write("iv.csv",
                         "id,type,name,start,end,categories,radius_m,buffer_m,x,y\n"
                         "A,drone,Drone,2023-07,,,,,1,1\n"
                         "B,cctv,Cam,2023-13,,,,,1,1\n"
                         "C,cctv,Cam,23/07/2023,,,,,1,1\n"
                         "D,cctv,Cam,2023-07,2023-05,,,,1,1\n"
                         "E,cctv,Cam,2023-07,,Burglarly,,,1,1\n"
                         "F,cctv,Cam,2023-07,,,-5,x,1,1\n"
                         "G,cctv,Cam,2023-07,,,,,abc,1\n"
                         "A,cctv,Cam,2023-07,,,,,1,1\n"
                         ",cctv,Cam,2023-07,,,,,1,1\n"
                         "H,cctv,Cam,2023-07,,,,\n"
                         "OK,cctv,Cam,2023-07,,,,,1,1\n");
  const std::string f = p.string();
  EXPECT_EQ(input_error(p),
            f + ":2: error: type 'drone' is not one of cctv, street_lighting, alleygate, alleyway_closure, "
                "safe_space, target_hardening, other\n" +
            f + ":3: error: start '2023-13': month '2023-13' is out of range\n" +
            f + ":4: error: start '23/07/2023' must be YYYY-MM or YYYY-MM-DD\n" +
            f + ":5: error: end 2023-05 is before start 2023-07\n" +
            f + ":6: error: categories: 'Burglarly' is not a known crime type\n" +
            f + ":7: error: radius_m -5 must be > 0 metres\n" +
            f + ":7: error: buffer_m 'x' is not a number\n" +
            f + ":8: error: location 'abc', '1' is not a pair of numbers\n" +
            f + ":9: error: duplicate id 'A' (first at " + f + ":2)\n" +
            f + ":10: error: id is empty\n" +
            f + ":11: error: has 8 fields, the header has 10");
}

TEST(InterventionReader, MissingColumnsAreUsageErrors) {
  TempDir d;
  const auto p = d.write("iv.csv", "id,kind,name,x,y\nA,cctv,Cam,1,1\n");
  try {
    read_interventions(p, kTax);
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), p.string() + ": interventions need the fields id, type, name and start; "
                                                  "missing: type, start; the fields are: id, kind, name, x, y");
  }
  const auto q = d.write("nogeom.csv", "id,type,name,start\nA,cctv,Cam,2023-01\n");
  EXPECT_THROW(read_interventions(q, kTax), UsageError);
  EXPECT_THROW(read_interventions(d / "missing.csv", kTax), IoError);
}

TEST(InterventionReader, GeoJsonProblemsNameTheFeature) {
  TempDir d;
  const auto p = d.write("iv.geojson", R"({"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"id":"N","type":"cctv","name":"No geometry","start":"2023-01"},"geometry":null},
 {"type":"Feature","properties":{"id":"M","type":"cctv","name":"Mixed","start":"2023-01"},
  "geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[-1.25,53.1]},
   {"type":"LineString","coordinates":[[-1.25,53.1],[-1.24,53.1]]}]}}]})");
  const std::string f = p.string();
  EXPECT_EQ(input_error(p), f + ":feature 1: error: has no geometry\n" + f +
                                ":feature 2: error: mixes points, lines and polygons in one feature (split it into one "
                                "feature per kind)");
}

TEST(InterventionReader, InvalidPolygonIsRepairedWithAWarning) {
  TempDir d;
  // A bow tie: self-intersecting. MakeValid splits it into two triangles.
  const auto p = d.write("iv.csv", "id,type,name,start,wkt\nB,target_hardening,Bow,2023-01,\"POLYGON ((0 0, 100 100, 100 0, 0 100, 0 0))\"\n");
  const InterventionReadResult r = read_interventions(p, kTax);
  ASSERT_EQ(r.interventions.size(), 1u);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find(p.string() + ":2: warning: invalid polygon"), std::string::npos) << r.warnings[0];
  EXPECT_EQ(std::get<core::MultiPolygon>(r.interventions[0].geometry).size(), 2u);
}

TEST(InterventionReader, TheBundledAshfieldInterventions) {
  const InterventionReadResult r = read_interventions(test::ashfield() / "interventions.csv", kTax);
  ASSERT_EQ(r.interventions.size(), 7u);
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(r.interventions[0].id, "AG1");
  EXPECT_EQ(r.interventions[0].start_month, core::month_index(2023, 10));
  EXPECT_EQ(r.interventions[0].radius_m, 250.0);  // as planted by [[synth.effects]]
  EXPECT_EQ(r.interventions[4].end_month, core::month_index(2024, 4));
}
