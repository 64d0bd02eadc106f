#include "viewer/app/script.hpp"

#include <gtest/gtest.h>

using namespace hotspot::viewer;

TEST(Script, ParsesCommandsWithQuotesAndComments) {
  auto r = parse_script(
      "# a comment\n"
      "#\n"
      "open out/study.gpkg\n"
      "\n"
      "zoom feature wards_counts \"Kirkby Cross & Portland\"  # trailing comment\n"
      "months 2023-04 2024-03\n",
      "steps.txt");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& c = r.value();
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].line, 3);
  EXPECT_EQ(c[0].verb, "open");
  EXPECT_EQ(c[1].args, (std::vector<std::string>{"feature", "wards_counts", "Kirkby Cross & Portland"}));
  EXPECT_EQ(c[2].line, 6);
}

TEST(Script, AHashFollowedByTextIsAWordNotAComment) {
  auto r = parse_script("select wards #12 #3 # the two worst wards\n", "s.txt");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value()[0].args, (std::vector<std::string>{"wards", "#12", "#3"}));
}

TEST(Script, UnknownCommandNamesTheLineAndTheKnownCommands) {
  auto r = parse_script("open a.gpkg\nzom layer x\n", "steps.txt");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ScriptError::unknown_command);
  EXPECT_EQ(r.error().message.rfind("steps.txt:2: error: unknown command 'zom' (known: open, ", 0), 0u) << r.error().message;
}

TEST(Script, UnterminatedQuoteIsASyntaxError) {
  auto r = parse_script("select wards \"Abbey Hill\n", "s.txt");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ScriptError::syntax);
  EXPECT_EQ(r.error().message, "s.txt:1: error: unterminated quote");
}

TEST(Script, ChecksArgumentsBeforeAnythingRuns) {
  struct Case {
    const char* line;
    const char* message;
  };
  const Case cases[] = {
      {"months 2024-03 2023-04", "s.txt:1: error: months: TO is before FROM"},
      {"months 2024-13 2024-14", "s.txt:1: error: months: expected FROM TO as YYYY-MM YYYY-MM"},
      {"opacity wards 1.5", "s.txt:1: error: opacity: expected LAYER VALUE with VALUE in 0..1"},
      {"style wards total quantile classes 12", "s.txt:1: error: style: classes must be 1..9, not '12'"},
      {"panel map", "s.txt:1: error: panel: expected inspector, compare, targets or log"},
      {"compare wards E05 before 12", "s.txt:1: error: compare: needs 'golive YYYY-MM'"},
      {"zoom box 1 2", "s.txt:1: error: zoom: unknown target 'box' (layer, feature, extent, centre)"},
      {"zoom extent 1 2 3", "s.txt:1: error: zoom: expected 4 numbers after 'extent'"},
      {"points incidents rainbow", "s.txt:1: error: points: expected LAYER single|group|category [radius PX]"},
      {"wait now", "s.txt:1: error: wait: expected nothing, or SECONDS (0..600) to keep drawing for"},
  };
  for (const auto& c : cases) {
    auto r = parse_script(c.line, "s.txt");
    ASSERT_FALSE(r.ok()) << c.line;
    EXPECT_EQ(r.error().code, ScriptError::bad_arguments) << c.line;
    EXPECT_EQ(r.error().message, c.message) << c.line;
  }
}

TEST(Script, UnknownRampListsTheRamps) {
  auto r = parse_script("style wards total quantile ramp jet", "s.txt");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("unknown ramp 'jet' (known: YlOrRd, Viridis"), std::string::npos) << r.error().message;
}

TEST(Script, AcceptsEveryDocumentedForm) {
  auto r = parse_script(
      "open a.gpkg layer cells\nbasemap roads.gpkg\nshow x\nhide x\nstyle x total quantile classes 5 ramp YlOrRd reverse per-km2\n"
      "style cells bin gi\nopacity x 0.6\nlabels x name\nlabels x off\npoints incidents group radius 2\n"
      "categories Burglary \"Vehicle crime\"\ncategories all\nmonths 2023-04 2024-03\n"
      "compare x E05 golive 2023-10 before 12 after 12 buffer 250 radius 200 mode difference\ncompare off\n"
      "zoom layer x\nzoom feature x \"A B\"\nzoom extent 1 2 3 4\nzoom centre 450000 356000 5\nselect x a b\nselect none\n"
      "panel compare\ncolourblind on\nwait\nscreenshot a.png\n",
      "all.txt");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value().size(), 25u);
}

TEST(Script, OptionHelpers) {
  const std::vector<std::string> a{"x", "classes", "5", "reverse"};
  EXPECT_EQ(option_value(a, "classes"), "5");
  EXPECT_EQ(option_value(a, "ramp"), "");
  EXPECT_TRUE(has_flag(a, "reverse"));
  EXPECT_FALSE(has_flag(a, "per-km2"));
}

TEST(Script, InputCommandsAreCheckedBeforeAnythingRuns) {
  for (const char* ok : {"mouse 10 20", "mouse world 449700 358700", "mouse world 449700 358700 pane 1", "mouse ui play",
                         "click world 1 2 shift", "click 5 5 ctrl double", "drag 1 2 to 3 4",
                         "drag world 1 2 to world 3 4 ctrl", "wheel 800 500 -2", "key +", "key escape", "drop a.gpkg",
                         "export png v.png", "export selection s.geojson", "wait", "wait 1.5"}) {
    auto r = parse_script(ok, "s.txt");
    EXPECT_TRUE(r.ok()) << ok << ": " << r.error().message;
  }
  const std::pair<const char*, const char*> bad[] = {
      {"mouse 10", "expected AT"},
      {"mouse world 1", "expected AT"},
      {"click world 1 2 twice", "unexpected 'twice'"},
      {"drag 1 2 3 4", "expected AT to AT"},
      {"drag 1 2 to", "expected AT after 'to'"},
      {"wheel 1 2", "expected AT STEPS"},
      {"key space", "expected one key"},
      {"export pdf x.pdf", "expected 'png PATH' or 'selection PATH'"},
      {"wait soon", "SECONDS"},
  };
  for (const auto& [text, why] : bad) {
    auto r = parse_script(text, "s.txt");
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_NE(r.error().message.find(why), std::string::npos) << text << ": " << r.error().message;
    EXPECT_EQ(r.error().message.rfind("s.txt:1: error: ", 0), 0u) << r.error().message;
  }
}
