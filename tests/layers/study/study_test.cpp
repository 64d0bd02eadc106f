#include "layers/study/study.hpp"

#include <gtest/gtest.h>

#include "core/base/error.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hotspot;
using namespace hotspot::layers;
using hotspot::test::TempDir;

namespace {

std::string load_error(const std::string& toml) {
  TempDir d;
  const auto p = d.write("study.toml", toml);
  try {
    load_study(p);
  } catch (const UsageError& e) {
    std::string m = e.what();
    const auto at = m.find("study.toml");
    return at == std::string::npos ? m : m.substr(at);
  }
  return "no error";
}

const char* const kMinimal = "[study]\nname = \"x\"\n";

}  // namespace

TEST(Study, LoadsTheBundledAshfieldStudy) {
  const Study s = load_study(test::ashfield() / "study.toml");
  EXPECT_EQ(s.name, "Ashfield Community Safety Partnership");
  EXPECT_EQ(s.first_month, core::month_index(2022, 4));
  EXPECT_EQ(s.last_month, core::month_index(2025, 3));
  EXPECT_EQ(s.study_area, "district");
  ASSERT_EQ(s.boundaries.size(), 3u);
  const BoundarySpec* wards = s.boundary("wards");
  ASSERT_NE(wards, nullptr);
  EXPECT_EQ(wards->code_field, "WD24CD");
  EXPECT_TRUE(std::filesystem::exists(wards->path));
  ASSERT_EQ(s.inputs.size(), 1u);
  EXPECT_EQ(s.inputs[0].format, InputFormat::police_uk);
  EXPECT_EQ(s.inputs[0].area_layer, "lsoas");
  ASSERT_TRUE(s.synth.has_value());
  EXPECT_EQ(s.synth->effects.size(), 3u);
  EXPECT_EQ(s.synth->effects[0].categories, std::vector<std::string>{"Burglary"});
  EXPECT_EQ(s.synth->effects[0].from, core::month_index(2023, 10));
  const core::Taxonomy tax = s.taxonomy();
  EXPECT_TRUE(tax.find("Fly-tipping").has_value());
  EXPECT_EQ(tax.find("ASB - Nuisance"), tax.find("Anti-social behaviour"));
}

TEST(Study, UnknownKeyNamesTheLineAndTheKnownKeys) {
  EXPECT_EQ(load_error("[study]\nname = \"x\"\nperiods = 3\n"),
            "study.toml:3:1: error: unknown key 'periods' in [study]; known keys: name, description, period, "
            "boundary, output");
  EXPECT_EQ(load_error(std::string(kMinimal) + "[exports]\nx = 1\n"),
            "study.toml:3:2: error: unknown key 'exports' in the study file; known keys: study, boundaries, inputs, "
            "categories, synth, evaluate, geocode, grid, stats, spacetime, rank, export");
}

TEST(Study, WrongTypesAndValuesNameTheKey) {
  EXPECT_EQ(load_error("[study]\nname = 3\n"), "study.toml:2:8: error: [study] name must be a string, got an integer");
  EXPECT_EQ(load_error("[study]\nname = \"x\"\nperiod = { from = \"2022-13\", to = \"2023-01\" }\n"),
            "study.toml:3:19: error: [study] period from '2022-13': month '2022-13' is out of range");
  EXPECT_EQ(load_error("[study]\nname = \"x\"\nperiod = { from = \"2023-01\", to = \"2022-01\" }\n"),
            "study.toml:3:10: error: [study] period ends before it starts");
}

TEST(Study, MissingRequiredKeys) {
  EXPECT_EQ(load_error("[study]\n"), "study.toml:1:1: error: [study] needs the key 'name'");
  EXPECT_EQ(load_error(std::string(kMinimal) + "[[inputs]]\nformat = \"police-uk\"\n"),
            "study.toml:3:1: error: [[inputs]] needs the key 'paths'");
}

TEST(Study, ReferencesMustExist) {
  EXPECT_EQ(load_error("[study]\nname = \"x\"\nboundary = \"nope\"\n"),
            "study.toml: error: [study] boundary = 'nope' is not a [boundaries.*] table");
  EXPECT_EQ(load_error(std::string(kMinimal) + "[categories.aliases]\n\"ASB\" = \"Antisocial\"\n"),
            "study.toml: error: [categories.aliases] 'ASB' maps to unknown category 'Antisocial'");
  EXPECT_EQ(load_error(std::string(kMinimal) + "[[inputs]]\npaths = \"x.csv\"\nformat = \"excel\"\n"),
            "study.toml:5:10: error: [[inputs]] format 'excel' is not one of police-uk, csv, ogr, auto");
}

TEST(Study, TomlSyntaxErrorsCarryLineAndColumn) {
  const std::string e = load_error("[study]\nname = \"x\n");
  EXPECT_EQ(e.rfind("study.toml:2:", 0), 0u) << e;
}

TEST(Study, RelativePathsAreResolvedAgainstTheStudyFolder) {
  TempDir d;
  const auto p = d.write("sub/study.toml", std::string(kMinimal) +
                                               "[boundaries.w]\npath = \"b/w.geojson\"\ncode = \"C\"\n"
                                               "[[inputs]]\npaths = [\"in/*.csv\"]\n");
  const Study s = load_study(p);
  EXPECT_EQ(s.boundaries[0].path, d.path() / "sub" / "b/w.geojson");
  EXPECT_EQ(s.inputs[0].paths[0], (d.path() / "sub" / "in/*.csv").string());
}

TEST(Study, MissingFileIsAnIoError) { EXPECT_THROW(load_study("/nonexistent/study.toml"), IoError); }

// [evaluate] (issue 6): before/after evaluation of interventions.
TEST(StudyEvaluate, TheBundledStudyHasAnEvaluateSection) {
  const Study s = load_study(test::ashfield() / "study.toml");
  ASSERT_TRUE(s.evaluate.has_value());
  const EvaluateSpec& e = *s.evaluate;
  EXPECT_EQ(e.interventions, test::ashfield() / "interventions.csv");
  EXPECT_TRUE(std::filesystem::exists(e.interventions));
  EXPECT_EQ(e.before_months, 12);
  EXPECT_EQ(e.after_months, 12);
  EXPECT_EQ(e.implementation_months, 0);
  EXPECT_EQ(e.buffer_m, 250.0);
  EXPECT_EQ(e.control, "rest");
  EXPECT_EQ(e.overdispersion, "monthly");
  EXPECT_EQ(e.confidence, 0.95);
  EXPECT_TRUE(e.wdd_area_weights);
  bool cctv = false;
  for (const auto& [type, radius] : e.radius_m) cctv = cctv || (type == "cctv" && radius == 100.0);
  EXPECT_TRUE(cctv);
  bool alleygate = false;
  for (const auto& [type, cats] : e.categories)
    if (type == "alleygate") alleygate = cats == std::vector<std::string>{"Burglary"};
  EXPECT_TRUE(alleygate);
}

TEST(StudyEvaluate, DefaultsAndAFactorForOverdispersion) {
  TempDir d;
  const auto p = d.write("study.toml", std::string(kMinimal) +
                                           "[evaluate]\ninterventions = \"iv.gpkg\"\nlayer = \"sites\"\n"
                                           "overdispersion = 1.8\ncontrol = \"matched\"\nmatched_cells = 5\n");
  const Study s = load_study(p);
  ASSERT_TRUE(s.evaluate.has_value());
  EXPECT_EQ(s.evaluate->interventions, d.path() / "iv.gpkg");
  EXPECT_EQ(s.evaluate->layer, "sites");
  EXPECT_EQ(s.evaluate->crs, "EPSG:27700");
  EXPECT_EQ(s.evaluate->overdispersion, "fixed");
  EXPECT_EQ(s.evaluate->overdispersion_factor, 1.8);
  EXPECT_EQ(s.evaluate->control, "matched");
  EXPECT_EQ(s.evaluate->matched_cells, 5);
  EXPECT_EQ(s.evaluate->matched_cell_m, 250.0);
  const auto q = d.write("plain.toml", kMinimal);
  EXPECT_FALSE(load_study(q).evaluate.has_value());
}

TEST(StudyEvaluate, BadValuesNameTheLineAndTheKey) {
  const std::string base = std::string(kMinimal) + "[evaluate]\ninterventions = \"iv.csv\"\n";
  EXPECT_EQ(load_error(base + "befor_months = 12\n"),
            "study.toml:5:1: error: unknown key 'befor_months' in [evaluate]; known keys: interventions, layer, crs, "
            "before_months, after_months, implementation_months, buffer_m, matched_cell_m, matched_cells, radius_m, "
            "categories, control, overdispersion, confidence, wdd_area_weights");
  EXPECT_EQ(load_error(base + "before_months = 0\n"),
            "study.toml:5:17: error: [evaluate] before_months must be between 1 and 240 months");
  EXPECT_EQ(load_error(base + "buffer_m = -5\n"), "study.toml:5:12: error: [evaluate] buffer_m must be >= 0 metres");
  EXPECT_EQ(load_error(base + "control = \"wards\"\n"),
            "study.toml:5:11: error: [evaluate] control 'wards' is not \"rest\", \"matched\" or a [boundaries.*] table");
  EXPECT_EQ(load_error(base + "overdispersion = \"quasi\"\n"),
            "study.toml:5:18: error: [evaluate] overdispersion 'quasi' is not \"monthly\", \"farrington\", \"none\" or a "
            "factor >= 1");
  EXPECT_EQ(load_error(base + "overdispersion = 0.5\n"),
            "study.toml:5:18: error: [evaluate] overdispersion must be \"monthly\", \"farrington\", \"none\" or a factor >= 1");
  EXPECT_EQ(load_error(base + "confidence = 95\n"),
            "study.toml:5:14: error: [evaluate] confidence must be at least 0.5 and below 1 (e.g. 0.95)");
  EXPECT_EQ(load_error(base + "wdd_area_weights = \"yes\"\n"),
            "study.toml:5:20: error: [evaluate] wdd_area_weights must be true or false, got a string");
  EXPECT_EQ(load_error(base + "[evaluate.radius_m]\ndrone = 50\n"),
            "study.toml:6:9: error: [evaluate.radius_m] 'drone' is not an intervention type (cctv, street_lighting, "
            "alleygate, alleyway_closure, safe_space, target_hardening, other)");
  EXPECT_EQ(load_error(base + "[evaluate.radius_m]\ncctv = 0\n"),
            "study.toml:6:8: error: [evaluate.radius_m] cctv must be a number > 0 (metres)");
  EXPECT_EQ(load_error(base + "[evaluate.categories]\ncctv = [\"Antisocial\"]\n"),
            "study.toml:6:8: error: [evaluate.categories] cctv: 'Antisocial' is not a known crime type");
  EXPECT_EQ(load_error(std::string(kMinimal) + "[evaluate]\nbefore_months = 6\n"),
            "study.toml:3:1: error: [evaluate] needs the key 'interventions'");
}

TEST(StudyEvaluate, ControlMayNameABoundaryLayer) {
  TempDir d;
  const auto p = d.write("study.toml", std::string(kMinimal) +
                                           "[boundaries.wards]\npath = \"w.geojson\"\ncode = \"C\"\n"
                                           "[evaluate]\ninterventions = \"iv.csv\"\ncontrol = \"wards\"\n"
                                           "[evaluate.categories]\nalley_gate = \"Burglary\"\n");
  const Study s = load_study(p);
  ASSERT_TRUE(s.evaluate.has_value());
  EXPECT_EQ(s.evaluate->control, "wards");
  ASSERT_EQ(s.evaluate->categories.size(), 1u);
  EXPECT_EQ(s.evaluate->categories[0].second, std::vector<std::string>{"Burglary"});
}

// [SECTION] issue 7: [geocode], [grid], [stats], [spacetime], [rank], [export]

TEST(StudyRun, TheBundledStudyHasEveryAnalysisSection) {
  const Study s = load_study(test::ashfield() / "study.toml");
  ASSERT_TRUE(s.grid && s.stats && s.spacetime && s.rank && s.exports);
  EXPECT_FALSE(s.grid->hex);
  EXPECT_EQ(s.grid->cell_m, 200);
  EXPECT_EQ(s.grid->boundary, "district");
  EXPECT_TRUE(s.grid->categories.empty());
  EXPECT_TRUE(s.stats->gistar);
  EXPECT_EQ(s.stats->band_m, 450);
  EXPECT_EQ(s.stats->kde_radius_m, 400);
  EXPECT_EQ(s.stats->kde_cell_m, 25);
  EXPECT_EQ(s.stats->kernel, "quartic");
  EXPECT_EQ(s.spacetime->period, "month");
  EXPECT_EQ(s.spacetime->time_window, 1u);
  EXPECT_EQ(s.rank->units, (std::vector<std::string>{"wards", "cells"}));
  EXPECT_EQ(s.rank->top, 10);
  EXPECT_TRUE(s.exports->gpkg);
  EXPECT_FALSE(s.exports->public_release);
  EXPECT_EQ(s.exports->min_count, 5);
  EXPECT_EQ(s.exports->precision, 6);
  EXPECT_EQ(s.exports->postgis_schema, "hotspot");
  EXPECT_FALSE(s.geocode.has_value());
}

TEST(StudyRun, SectionDefaults) {
  TempDir d;
  const auto p = d.write("study.toml", std::string(kMinimal) + "[grid]\n[stats]\n[spacetime]\n[rank]\n[export]\n");
  const Study s = load_study(p);
  ASSERT_TRUE(s.grid && s.stats && s.spacetime && s.rank && s.exports);
  EXPECT_EQ(s.grid->cell_m, 0);     // chosen from the data
  EXPECT_EQ(s.grid->boundary, "");  // no study boundary: cells with incidents
  EXPECT_EQ(s.stats->band_m, 0);
  EXPECT_TRUE(s.stats->kde);
  EXPECT_EQ(s.spacetime->band_m, 0);
  EXPECT_EQ(s.rank->units, std::vector<std::string>{"cells"});
  EXPECT_EQ(s.rank->top, 10);
  EXPECT_EQ(s.exports->geojson, std::vector<std::string>{"all"});
  EXPECT_EQ(s.exports->min_count, 0);
  EXPECT_EQ(s.exports->point_precision_m, 0);
  EXPECT_TRUE(s.exports->maps);
}

TEST(StudyRun, BadValuesNameTheLineAndTheKey) {
  const std::string grid = std::string(kMinimal) + "[grid]\n";
  EXPECT_EQ(load_error(grid + "cel_m = 200\n"),
            "study.toml:4:1: error: unknown key 'cel_m' in [grid]; known keys: shape, cell_m, boundary, categories");
  EXPECT_EQ(load_error(grid + "cell_m = \"200\"\n"), "study.toml:4:10: error: [grid] cell_m must be a number, got a string");
  EXPECT_EQ(load_error(grid + "shape = \"round\"\n"),
            "study.toml:4:9: error: [grid] shape 'round' is not \"square\" or \"hex\"");
  EXPECT_EQ(load_error(grid + "boundary = \"wards\"\n"),
            "study.toml:4:12: error: [grid] boundary 'wards' is not a [boundaries.*] table");
  EXPECT_EQ(load_error(grid + "categories = [\"Burglery\"]\n"),
            "study.toml:4:14: error: [grid] categories 'Burglery' is not a known crime type");
  EXPECT_EQ(load_error(grid + "[stats]\nkernel = \"box\"\n"),
            "study.toml:5:10: error: [stats] kernel 'box' is not quartic, triangular, uniform, epanechnikov, triweight or "
            "gaussian");
  EXPECT_EQ(load_error(grid + "[stats]\nkde = 1\n"), "study.toml:5:7: error: [stats] kde must be true or false, got an integer");
  EXPECT_EQ(load_error(grid + "[stats]\nband_m = -1\n"),
            "study.toml:5:10: error: [stats] band_m must be between 0 and 100000 metres (0 = automatic)");
  EXPECT_EQ(load_error(grid + "[spacetime]\nperiod = \"week\"\n"),
            "study.toml:5:10: error: [spacetime] period 'week' is not \"month\" or \"quarter\"");
  EXPECT_EQ(load_error(grid + "[rank]\nunits = [\"cells\", \"wards\"]\n"),
            "study.toml:5:9: error: [rank] units 'wards' is not \"cells\" or a [boundaries.*] table");
  EXPECT_EQ(load_error(grid + "[rank]\ntop = 0\n"), "study.toml:5:7: error: [rank] top must be between 1 and 1000");
  EXPECT_EQ(load_error(grid + "[rank.harm]\n\"Burglary\" = \"high\"\n"),
            "study.toml:5:14: error: [rank.harm] 'Burglary' must be a number >= 0 (a harm weight)");
  EXPECT_EQ(load_error(grid + "[export]\nprecision = 20\n"),
            "study.toml:5:13: error: [export] precision must be between 0 and 15 decimals");
  EXPECT_EQ(load_error(grid + "[export]\npostgis = \"dbname=x\"\n"),
            "study.toml:5:11: error: [export] postgis must be a GDAL connection string starting \"PG:\"");
  EXPECT_EQ(load_error(grid + "[export]\npublic = \"yes\"\n"),
            "study.toml:5:10: error: [export] public must be true or false, got a string");
}

TEST(StudyRun, SectionsThatNeedAGrid) {
  EXPECT_EQ(load_error(std::string(kMinimal) + "[stats]\n"),
            "study.toml:3:1: error: [stats] needs a [grid] section (the cells Gi* runs on)");
  EXPECT_EQ(load_error(std::string(kMinimal) + "[spacetime]\n"),
            "study.toml:3:1: error: [spacetime] needs a [grid] section (the cells of the space-time cube)");
  EXPECT_EQ(load_error(std::string(kMinimal) + "[rank]\n"),
            "study.toml:3:1: error: [rank] ranks \"cells\" but the study has no [grid] section");
}

TEST(StudyRun, AddressInputsNeedAGeocodeSection) {
  const std::string in = std::string(kMinimal) +
                         "[[inputs]]\nformat = \"csv\"\npaths = \"a.csv\"\naddress = [\"Street\", \"Town\"]\n"
                         "postcode = \"Postcode\"\n";
  EXPECT_EQ(load_error(in),
            "study.toml:3: error: [[inputs]] 'input 1' is located by address but the study has no [geocode] section "
            "(gazetteer, postcodes)");
  EXPECT_EQ(load_error(in + "[geocode]\nmin_score = 5\n"),
            "study.toml:8:1: error: [geocode] needs at least one of gazetteer, postcodes, streets");
  TempDir d;
  const auto p = d.write("study.toml", in + "[geocode]\npostcodes = \"cp.csv\"\n");
  const Study s = load_study(p);
  EXPECT_EQ(s.inputs[0].location.address, (std::vector<std::string>{"Street", "Town"}));
  EXPECT_EQ(s.inputs[0].location.postcode, "Postcode");
  EXPECT_EQ(s.geocode->postcodes, d.path() / "cp.csv");
}
