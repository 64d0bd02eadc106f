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
            "categories, synth");
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
