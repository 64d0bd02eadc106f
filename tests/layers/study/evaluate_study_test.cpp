#include "layers/study/evaluate_study.hpp"

#include <gtest/gtest.h>

#include <gdal.h>
#include <ogr_api.h>

#include <cmath>
#include <fstream>

#include "core/base/error.hpp"
#include "core/spatial/area_set.hpp"
#include "layers/study/synth_study.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hotspot;
using namespace hotspot::layers;
using hotspot::test::TempDir;
using nlohmann::json;

namespace {

int64_t layer_count(const std::filesystem::path& gpkg, const char* layer) {
  GDALAllRegister();
  GDALDatasetH ds = GDALOpenEx(gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  if (!ds) return -1;
  OGRLayerH l = GDALDatasetGetLayerByName(ds, layer);
  const int64_t n = l ? OGR_L_GetFeatureCount(l, 1) : -1;
  GDALClose(ds);
  return n;
}

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

core::MultiPolygon square(double x0, double y0, double x1, double y1) {
  core::MultiPolygon m;
  m.resize(1);
  for (auto [x, y] : {std::pair{x0, y0}, {x0, y1}, {x1, y1}, {x1, y0}, {x0, y0}}) m[0].outer().emplace_back(x, y);
  return m;
}

}  // namespace

TEST(EvaluateAndWrite, WritesEveryOutputWithTheContractsFields) {
  TempDir d;
  const core::Taxonomy tax = core::Taxonomy::police_uk();
  const auto burglary = *tax.find("Burglary");
  core::IncidentTable t;
  for (int m = 0; m < 12; ++m) {
    const core::MonthIndex month = core::month_index(2023, 1) + m;
    const int target = m < 6 ? 8 : 4;
    for (int k = 0; k < target; ++k) t.push_back({.x_m = 1010, .y_m = 1000, .month = month, .category = burglary});
    for (int k = 0; k < 5; ++k) t.push_back({.x_m = 1150, .y_m = 1000, .month = month, .category = burglary});
    for (int k = 0; k < 40 + m; ++k) t.push_back({.x_m = 3000, .y_m = 3000, .month = month, .category = burglary});
  }
  const auto iv_path = d.write("iv.csv", "id,type,name,start,categories,radius_m,buffer_m,x,y\n"
                                         "G1,alleygate,Gates,2023-07,Burglary,100,100,1000,1000\n"
                                         "G2,alleygate,Later gates,2024-06,Burglary,100,100,2000,2000\n");
  const InterventionReadResult read = read_interventions(iv_path, tax);
  core::AreaSet study;
  study.add("S", "study", square(0, 0, 5000, 5000));
  study.build();
  core::ControlAreas controls;
  controls.study_area = &study;
  core::EvaluationSettings s;
  s.before_months = 6;
  s.after_months = 6;
  EvaluationContext ctx{"Test evaluation", "iv.csv", "the rest of the square"};
  const EvaluationRun r = evaluate_and_write(t, tax, read, s, controls, ctx, EvaluationOutputs::in(d / "out"));
  EXPECT_EQ(r.interventions, 2u);
  EXPECT_EQ(r.evaluated, 1u);
  EXPECT_EQ(r.written.size(), 8u);  // json, md, 5 tables, gpkg
  // evaluation.json: the DESIGN.md contract.
  const json j = json::parse(test::read_file(d / "out" / "evaluation.json"));
  ASSERT_EQ(j["interventions"].size(), 2u);
  const json& g1 = j["interventions"][0];
  EXPECT_EQ(g1["id"], "G1");
  EXPECT_EQ(g1["status"], "evaluated");
  EXPECT_EQ(g1["target"]["before"], 48);
  EXPECT_EQ(g1["target"]["after"], 24);
  EXPECT_EQ(g1["buffer"]["before"], 30);
  EXPECT_EQ(g1["buffer"]["after"], 30);
  EXPECT_EQ(g1["control"]["before"], 255);  // 40+41+...+45
  EXPECT_EQ(g1["control"]["after"], 291);
  EXPECT_NEAR(g1["odds_ratio"].get<double>(), (48.0 * 291) / (24.0 * 255), 1e-12);
  ASSERT_EQ(g1["odds_ratio_ci"].size(), 2u);
  EXPECT_LT(g1["odds_ratio_ci"][0].get<double>(), g1["odds_ratio"].get<double>());
  EXPECT_TRUE(g1["wdq"].is_number());
  for (const char* k : {"estimate", "se", "z"}) EXPECT_TRUE(g1["wdd"][k].is_number()) << k;
  EXPECT_EQ(g1["windows"]["before"], json({"2023-01", "2023-06"}));
  EXPECT_EQ(g1["target"]["by_category"]["Burglary"]["before"], 48);
  const json& g2 = j["interventions"][1];
  EXPECT_EQ(g2["status"], "not_evaluated");
  EXPECT_EQ(g2["reason"], "the after window would start in 2024-06, after the data end in 2023-12: not yet evaluable");
  EXPECT_TRUE(g2["odds_ratio"].is_null());
  EXPECT_EQ(j["pooled"]["sites"], 1);
  EXPECT_NEAR(j["pooled"]["fixed"]["ratio"].get<double>(), g1["odds_ratio"].get<double>(), 1e-12);
  EXPECT_EQ(j["pooled"]["by_scheme"][0]["scheme"], "alleygate");
  EXPECT_EQ(j["data_period"], json({"2023-01", "2023-12"}));
  EXPECT_EQ(j["settings"]["control_description"], "the rest of the square");
  // The Markdown section and file.
  EXPECT_EQ(r.markdown.rfind("## Interventions: before and after\n", 0), 0u);
  EXPECT_NE(r.markdown.find("| G1 | Gates (alley gates) | 2023-07 | Burglary | 48 → 24 (-50%) |"), std::string::npos)
      << r.markdown;
  EXPECT_NE(r.markdown.find("- **G2, Later gates** (alley gates, live 2024-06): not evaluated: the after window"),
            std::string::npos);
  EXPECT_EQ(test::read_file(d / "out" / "evaluation.md").rfind("# Test evaluation\n\n## Interventions", 0), 0u);
  // Tables: one monthly row per month of the series (12) of the evaluated intervention.
  EXPECT_EQ(lines(test::read_file(d / "out" / "tables" / "evaluation_monthly.csv")), 1u + 12u);
  EXPECT_EQ(lines(test::read_file(d / "out" / "tables" / "evaluation_interventions.csv")), 1u + 2u);
  EXPECT_EQ(lines(test::read_file(d / "out" / "tables" / "evaluation_schemes.csv")), 1u + 2u);  // alleygate + all
  const std::string cats = test::read_file(d / "out" / "tables" / "evaluation_categories.csv");
  EXPECT_NE(cats.find("G1,Burglary,target,48,24,-50.0\n"), std::string::npos) << cats;
  // GeoPackage layers with the results.
  EXPECT_EQ(layer_count(d / "out" / "evaluation.gpkg", "evaluation_targets"), 2);
  EXPECT_EQ(layer_count(d / "out" / "evaluation.gpkg", "evaluation_buffers"), 2);
  EXPECT_EQ(layer_count(d / "out" / "evaluation.gpkg", "evaluation_controls"), 1);
  // Warnings carry the intervention's id.
  bool said = false;
  for (const auto& w : r.warnings) said = said || w.rfind("G2: not evaluated: ", 0) == 0;
  EXPECT_TRUE(said);
}

TEST(EvaluationSettingsFromStudy, TypesAndCategoriesAreResolved) {
  const Study s = load_study(test::ashfield() / "study.toml");
  const core::Taxonomy tax = s.taxonomy();
  const core::EvaluationSettings e = evaluation_settings(s, tax);
  EXPECT_EQ(e.before_months, 12);
  EXPECT_EQ(e.radius_m[static_cast<std::size_t>(core::InterventionType::cctv)], 100.0);
  EXPECT_EQ(e.categories[static_cast<std::size_t>(core::InterventionType::alleygate)],
            std::vector<core::CategoryId>{*tax.find("Burglary")});
  EXPECT_EQ(e.control, core::ControlKind::rest);
  EXPECT_EQ(e.overdispersion, core::OverdispersionMode::monthly);
  EXPECT_EQ(e.data_first, core::month_index(2022, 4));
  EXPECT_EQ(e.data_last, core::month_index(2025, 3));
  Study none = s;
  none.evaluate.reset();
  EXPECT_THROW(evaluation_settings(none, tax), UsageError);
}

// The bundled study, end to end, on its synthetic incidents (generated once).
class AshfieldEvaluation : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_dir = new std::filesystem::path(test::process_temp_dir("AshfieldEvaluation"));
    std::filesystem::remove_all(*s_dir);
    s_study = new Study(load_study(test::ashfield() / "study.toml"));
    s_study->synth->out = *s_dir / "incidents";
    s_study->inputs[0].paths = {(*s_dir / "incidents" / "*-street.csv").string()};
    synthesize_study(*s_study, 0);
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    std::filesystem::remove_all(*s_dir, ec);
    delete s_study;
    delete s_dir;
  }
  static inline std::filesystem::path* s_dir = nullptr;
  static inline Study* s_study = nullptr;
};

TEST_F(AshfieldEvaluation, PlantedEffectsAreInsideTheIntervalsAndTheOthersShowNone) {
  const EvaluationRun r = run_evaluate_study(*s_study, {*s_dir / "rest"});
  EXPECT_EQ(r.interventions, 7u);
  EXPECT_EQ(r.evaluated, 7u);
  EXPECT_EQ(r.summary["ingest"]["rejected"], 0);
  const json truth = json::parse(test::read_file(*s_dir / "incidents" / "truth.json"));
  std::map<std::string, double> planted;  // name -> drop %
  for (const auto& e : truth["effects"]) planted[e["name"].get<std::string>()] = e["drop_pct"].get<double>();
  for (const auto& iv : r.json["interventions"]) {
    SCOPED_TRACE(iv["id"].get<std::string>());
    ASSERT_EQ(iv["status"], "evaluated");
    ASSERT_TRUE(iv["odds_ratio"].is_number());
    const double low = iv["odds_ratio_ci"][0].get<double>(), high = iv["odds_ratio_ci"][1].get<double>();
    const auto it = planted.find(iv["name"].get<std::string>());
    const double true_or = it == planted.end() ? 1.0 : 1.0 / (1.0 - it->second / 100.0);
    EXPECT_LT(low, true_or);
    EXPECT_GT(high, true_or);
  }
  const json& c = r.json["counts"];
  EXPECT_EQ(c["in_targets"].get<uint64_t>() + c["in_buffers"].get<uint64_t>() + c["in_controls"].get<uint64_t>() +
                c["elsewhere"].get<uint64_t>(),
            c["incidents_considered"].get<uint64_t>());
  EXPECT_TRUE(std::filesystem::exists(*s_dir / "rest" / "evaluation.gpkg"));
}

TEST_F(AshfieldEvaluation, WardsAsControlAgreeWithTheRestOfTheDistrict) {
  const EvaluationRun rest = run_evaluate_study(*s_study, {*s_dir / "rest2"});
  Study wards = *s_study;
  wards.evaluate->control = "wards";
  const EvaluationRun w = run_evaluate_study(wards, {*s_dir / "wards"});
  ASSERT_EQ(w.evaluated, 7u);
  for (std::size_t i = 0; i < 7; ++i) {
    const json& a = rest.json["interventions"][i]["control"];
    const json& b = w.json["interventions"][i]["control"];
    EXPECT_EQ(b["label"], "all 23 control polygons");
    // The wards tile the district (generalised edges leave slivers): within 1%.
    EXPECT_NEAR(b["before"].get<double>(), a["before"].get<double>(), 0.01 * a["before"].get<double>());
  }
  EXPECT_EQ(layer_count(*s_dir / "wards" / "evaluation.gpkg", "evaluation_controls"), 23);
}

TEST_F(AshfieldEvaluation, MatchedCellsControl) {
  Study m = *s_study;
  m.evaluate->control = "matched";
  const EvaluationRun r = run_evaluate_study(m, {*s_dir / "matched"});
  ASSERT_EQ(r.evaluated, 7u);
  for (const auto& iv : r.json["interventions"]) {
    EXPECT_EQ(iv["control"]["label"], "10 matched 250 m cells");
    EXPECT_EQ(iv["control"]["matched_cells"].size(), 10u);
  }
  EXPECT_GT(layer_count(*s_dir / "matched" / "evaluation.gpkg", "evaluation_controls"), 9);
  EXPECT_NE(r.markdown.find("comparison cells of 250 m matched to each target's pre-period level and trend"),
            std::string::npos);
}

TEST(RunEvaluateStudy, AStudyWithoutAnEvaluateSectionIsAUsageError) {
  TempDir d;
  const auto p = d.write("study.toml", "[study]\nname = \"x\"\n");
  try {
    run_evaluate_study(load_study(p), {d / "out"});
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), p.string() + ": error: the study has no [evaluate] section (see data/ashfield/study.toml)");
  }
}
