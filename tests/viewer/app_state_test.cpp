// The view model, driven as the UI drives it, on the generated study (hotspot synth +
// hotspot run, tests/viewer/make_study.sh) and the generated fixtures (make_fixtures.cpp).
#include "viewer/app/app_state.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <fstream>
#include <chrono>

#include "tests/support/temp_dir.hpp"
#include "tests/viewer/fixtures.hpp"
#include "viewer/app/commands.hpp"
#include "viewer/app/export.hpp"

using namespace hotspot;
using namespace hotspot::viewer;
namespace fx = hotspot::viewer::test;

namespace {

const std::string kStudy = std::string(HOTSPOT_VIEWER_STUDY) + "/out/study.gpkg";
const std::string kFixtures = HOTSPOT_VIEWER_FIXTURES;

AppState& loaded(AppState& s, const std::string& path) {
  LoadResult r = load_now({path, "", false}, {});
  EXPECT_TRUE(r.error.empty()) << r.error;
  apply_load(s, std::move(r));
  s.camera.set_viewport(900, 900);
  s.legend_measured = true;  // as after the map's first frame (the legend measured: none here)
  update_fly(s, 0);
  return s;
}

std::vector<double> stored(const Layer& l, const char* field) {
  return l.features->fields[static_cast<std::size_t>(l.features->field_index(field))].numbers;
}

}  // namespace

TEST(AppState, OpensAStudyGeoPackageWithRolesAndDefaultStyles) {
  AppState s;
  loaded(s, kStudy);
  ASSERT_NE(s.incidents, nullptr);
  EXPECT_GT(s.incidents->table.size(), 15000u);
  EXPECT_EQ(s.window, s.incidents->period);
  EXPECT_EQ(format_month_range(s.window), "Apr 2022 \u2013 Mar 2025");
  const Layer* wards = find_layer(s, std::string_view("wards_counts"));
  ASSERT_NE(wards, nullptr);
  EXPECT_EQ(wards->role, LayerRole::area_counts);
  EXPECT_TRUE(wards->visible);
  EXPECT_EQ(wards->style.field, "total");
  EXPECT_EQ(wards->style.label_field, "name");
  const Layer* district = find_layer(s, std::string_view("district_counts"));
  ASSERT_NE(district, nullptr);
  EXPECT_FALSE(district->style.fill_on);  // a frame, not a choropleth
  EXPECT_EQ(find_layer(s, s.incidents_layer)->role, LayerRole::incidents);
  // Tables are listed in the log, not drawn.
  EXPECT_EQ(find_layer(s, std::string_view("monthly_counts")), nullptr);
  EXPECT_TRUE(std::any_of(s.log.begin(), s.log.end(), [](const LogEntry& e) { return e.text.find("'monthly_counts' is a table") != std::string::npos; }));
  // Draw order: choropleth under the points, the district frame on top of both.
  auto index = [&](const char* name) {
    return std::find_if(s.layers.begin(), s.layers.end(), [&](const Layer& l) { return l.name == name; }) - s.layers.begin();
  };
  EXPECT_LT(index("wards_counts"), index("incidents"));
  EXPECT_LT(index("incidents"), index("district_counts"));
  // The camera was fitted once the map had a size.
  EXPECT_TRUE(s.camera_fitted);
  EXPECT_GT(s.camera.centre_x_m, 440000);
}

TEST(AppState, RecountOverTheWholePeriodEqualsTheCountsHotspotRunStored) {
  AppState s;
  loaded(s, kStudy);
  const Layer& wards = *find_layer(s, std::string_view("wards_counts"));
  EXPECT_EQ(field_values(s, wards, "total", s.incidents->period, false), stored(wards, "total"));
  EXPECT_EQ(field_values(s, wards, "burglary", s.incidents->period, false), stored(wards, "burglary"));
  EXPECT_EQ(field_values(s, wards, "anti_social_behaviour", s.incidents->period, false), stored(wards, "anti_social_behaviour"));
}

TEST(AppState, TheMonthWindowAndCrimeTypesChangeWhatIsCounted) {
  AppState s;
  loaded(s, kStudy);
  const Layer& wards = *find_layer(s, std::string_view("wards_counts"));
  const MonthRange q{core::month_index(2023, 4), core::month_index(2023, 6)};
  set_window(s, q);
  const std::vector<double> quarter = field_values(s, wards, "total", s.window, false);
  double sum = 0;
  for (double v : quarter) sum += v;
  std::size_t naive = 0;
  const AreaCounts* ac = area_counts(s, wards);
  for (std::size_t i = 0; i < s.incidents->table.size(); ++i)
    if (q.contains(s.incidents->table.month()[i]) && ac->area_of()[i] != core::AreaSet::kNone) ++naive;
  EXPECT_EQ(sum, static_cast<double>(naive));
  // Only burglary: "total" follows the filter, the burglary field equals it.
  const core::CategoryId burglary = *s.incidents->taxonomy.find("Burglary");
  set_all_categories(s, false);
  set_category(s, burglary, true);
  EXPECT_EQ(field_values(s, wards, "total", s.window, false), field_values(s, wards, "burglary", s.window, false));
  // Clipping: a window beyond the data is pulled back inside the period.
  set_window(s, {core::month_index(2030, 1), core::month_index(2031, 1)});
  EXPECT_EQ(s.window.last, s.incidents->period.last);
}

TEST(AppState, PaintGivesEveryWardAClassAndALegendThatAddsUp) {
  AppState s;
  loaded(s, kStudy);
  const Layer& wards = *find_layer(s, std::string_view("wards_counts"));
  const auto vs = views(s);
  ASSERT_EQ(vs.size(), 1u);
  const LayerPaint& p = paint(s, wards, vs[0], 0);
  EXPECT_EQ(p.classes.method, ClassMethod::quantile);
  std::size_t n = 0;
  for (const auto& r : p.legend) n += r.count;
  EXPECT_EQ(n, wards.features->size());
  EXPECT_EQ(p.colours.size(), wards.features->size());
  EXPECT_NE(p.title.find("Incidents, Apr 2022"), std::string::npos) << p.title;
  // Cached: same key, same object and version; a new window repaints.
  const uint64_t v = p.version;
  EXPECT_EQ(paint(s, wards, views(s)[0], 0).version, v);
  set_window(s, {s.window.first, s.window.first + 5});
  EXPECT_NE(paint(s, wards, views(s)[0], 0).version, v);
}

TEST(AppState, HitTestFindsTheWardUnderTheCursorAndSelectionToggles) {
  AppState s;
  loaded(s, kStudy);
  find_layer(s, s.incidents_layer)->visible = false;
  Layer& wards = *find_layer(s, std::string_view("wards_counts"));
  const auto vs = views(s);
  for (uint32_t f = 0; f < wards.features->size(); f += 5) {
    const WorldPoint w = (*wards.label_points)[f];
    const Hit h = hit_test(s, s.camera, vs[0], s.camera.to_screen(w.x_m, w.y_m));
    EXPECT_EQ(h.layer, wards.id) << "ward " << f;
    EXPECT_EQ(h.feature, f);
  }
  s.selection.set(wards.id, 3);
  s.selection.toggle(wards.id, 5);
  s.selection.toggle(wards.id, 3);
  EXPECT_EQ(s.selection.features, (std::vector<uint32_t>{5}));
  EXPECT_FALSE(hit_test(s, s.camera, vs[0], {-5000, -5000}).valid());
}

TEST(AppState, CompareTakesTheGoLiveMonthFromAnInterventionAndCountsBeforeAndAfter) {
  AppState s;
  loaded(s, kStudy);
  loaded(s, kFixtures + "/interventions.geojson");
  Layer& iv = *find_layer(s, std::string_view("interventions"));
  EXPECT_EQ(iv.role, LayerRole::interventions);
  const auto f = find_feature(iv, "AG1");
  ASSERT_TRUE(f.has_value());
  compare_feature(s, iv.id, *f);
  EXPECT_EQ(s.compare.mode, CompareMode::side_by_side);
  EXPECT_EQ(s.compare.go_live, core::month_index(2023, 10));
  const auto vs = views(s);
  ASSERT_EQ(vs.size(), 2u);
  EXPECT_EQ(vs[0].window, (MonthRange{core::month_index(2022, 10), core::month_index(2023, 9)}));
  const auto& c = compare_counts(s);
  ASSERT_TRUE(c.has_value());
  EXPECT_GT(c->target.before + c->target.after, 0u);
  EXPECT_NEAR(c->target_area_km2, 3.14159 * 0.25 * 0.25, 0.01);
  // Side by side: both maps share the classification of the two windows.
  const Layer& wards = *find_layer(s, std::string_view("wards_counts"));
  EXPECT_EQ(paint(s, wards, vs[0], 0).classes.edges, paint(s, wards, vs[1], 1).classes.edges);
  // Difference: one map, diverging classes centred on zero.
  s.compare.mode = CompareMode::difference;
  const auto dv = views(s);
  ASSERT_EQ(dv.size(), 1u);
  const LayerPaint& d = paint(s, wards, dv[0], 0);
  ASSERT_FALSE(d.classes.edges.empty());
  EXPECT_DOUBLE_EQ(d.classes.edges.front(), -d.classes.edges.back());
}

TEST(AppState, PlayStepsOneMonthAndWrapsAtTheEnd) {
  AppState s;
  loaded(s, kStudy);
  const MonthRange p = s.incidents->period;
  set_window(s, {p.last - 2, p.last});
  s.play.playing = true;
  EXPECT_TRUE(step_play(s, 10.0));
  EXPECT_EQ(s.window, (MonthRange{p.first, p.first + 2}));  // wrapped, same width
  EXPECT_FALSE(step_play(s, 10.1));                        // not yet time
  EXPECT_TRUE(step_play(s, 11.0));
  EXPECT_EQ(s.window, (MonthRange{p.first + 1, p.first + 3}));
}

TEST(AppState, LaterStagesLayersGetTheirStylesWithoutViewerChanges) {
  AppState s;
  loaded(s, kFixtures + "/gistar_grid.gpkg");
  loaded(s, kFixtures + "/emerging.gpkg");
  loaded(s, kFixtures + "/ranked.gpkg");
  loaded(s, kFixtures + "/kde.tif");
  const Layer& gi = *find_layer(s, std::string_view("gistar_cells"));
  EXPECT_EQ(gi.role, LayerRole::hotspot_grid);
  EXPECT_EQ(gi.style.method, ClassMethod::gi_bins);
  const auto vs = views(s);
  const LayerPaint& gp = paint(s, gi, vs[0], 0);
  const uint32_t hot = static_cast<uint32_t>(fx::kHotRow * fx::kGridN + fx::kHotCol);
  EXPECT_EQ(gp.colours[hot], hex("d73027").packed());
  EXPECT_EQ(gp.legend.front().label, "Hot spot, 99% confidence");
  EXPECT_EQ(gp.legend.front().count, 1u);
  s.colour_blind = true;
  EXPECT_EQ(paint(s, gi, vs[0], 0).colours[hot], hex("b35806").packed());
  const Layer& em = *find_layer(s, std::string_view("emerging_cells"));
  EXPECT_EQ(em.style.method, ClassMethod::ehsa);
  const LayerPaint& ep = paint(s, em, vs[0], 0);
  EXPECT_EQ(ep.legend.size(), 4u);  // only the categories present
  EXPECT_EQ(find_layer(s, std::string_view("targets"))->role, LayerRole::targets);
  const Layer& kde = *find_layer(s, std::string_view("kde"));
  EXPECT_EQ(kde.role, LayerRole::density);
  const LayerPaint& kp = paint(s, kde, vs[0], 0);
  ASSERT_EQ(kp.colours.size(), static_cast<std::size_t>(fx::kKdeN * fx::kKdeN));
  EXPECT_EQ(kp.title, "Burglary density");
  // The peak cell has the top class colour; the far corner (density near 0) the lowest.
  const int peak_c = static_cast<int>((fx::kKdePeakX - fx::kKdeX0) / fx::kKdeCellM);
  const int peak_r = fx::kKdeN - 1 - static_cast<int>((fx::kKdePeakY - fx::kKdeY0) / fx::kKdeCellM);
  EXPECT_EQ(kp.colours[static_cast<std::size_t>(peak_r * fx::kKdeN + peak_c)], kp.classes.colours.back().packed());
  EXPECT_EQ(kp.colours[static_cast<std::size_t>(fx::kKdeN * fx::kKdeN - 1)], kp.classes.colours.front().packed());
}

namespace {

// An in-memory polygon layer of one square with the given numeric and text fields.
Layer square_layer(const std::string& name, const std::vector<std::pair<std::string, double>>& numbers,
                   const std::vector<std::pair<std::string, std::string>>& texts) {
  auto fs = std::make_shared<layers::FeatureSet>();
  fs->geometry = layers::GeometryClass::polygon;
  fs->begin_feature(layers::GeometryClass::polygon, 1);
  fs->add_part();
  fs->add_ring();
  for (const auto& [x, y] : {std::pair{0.0, 0.0}, {0.0, 10.0}, {10.0, 10.0}, {10.0, 0.0}, {0.0, 0.0}}) fs->add_vertex(x, y);
  fs->finish();
  for (const auto& [field, v] : numbers) {
    layers::FieldColumn c;
    c.name = field;
    c.kind = layers::FieldKind::real;
    c.numbers = {v};
    fs->fields.push_back(std::move(c));
  }
  for (const auto& [field, v] : texts) {
    layers::FieldColumn c;
    c.name = field;
    c.kind = layers::FieldKind::text;
    c.codes = {0};
    c.dictionary = {v};
    fs->fields.push_back(std::move(c));
  }
  Layer l;
  l.name = name;
  l.features = std::move(fs);
  apply_default_style(l, false);
  return l;
}

}  // namespace

TEST(AppState, HotspotRunLayersAreStyledByTheirMeaning) {
  // Ranked targets carry gi_bin and an emerging category as reasons: the rank wins.
  const Layer targets = square_layer("targets_cells", {{"rank", 1}, {"score", 0.9}, {"gi_bin", 3}},
                                     {{"emerging", "Intensifying Hot Spot"}});
  EXPECT_EQ(targets.role, LayerRole::targets);
  EXPECT_EQ(targets.style.field, "rank");
  // A grid with both Gi* bins and emerging categories: Gi* bins, unless it is the
  // emerging layer, which is coloured by its category.
  const Layer grid = square_layer("grid_cells", {{"bin", 3}, {"z", 3.1}}, {{"category", "New Hot Spot"}});
  EXPECT_EQ(grid.style.method, ClassMethod::gi_bins);
  const Layer emerging = square_layer("emerging", {{"bin", 3}, {"z", 3.1}}, {{"category", "New Hot Spot"}});
  EXPECT_EQ(emerging.role, LayerRole::hotspot_grid);
  EXPECT_EQ(emerging.style.method, ClassMethod::ehsa);
  EXPECT_EQ(emerging.style.field, "category");
  // hotspot evaluate's target areas (type + go_live) are interventions, outlined.
  const Layer eval = square_layer("evaluation_targets", {{"odds_ratio", 1.2}},
                                  {{"id", "AG1"}, {"type", "alleygate"}, {"go_live", "2023-10"}});
  EXPECT_EQ(eval.role, LayerRole::interventions);
  EXPECT_FALSE(eval.style.fill_on);
}

TEST(AppState, AStudyTomlOpensItsGeoPackageAndItsInterventions) {
  // The viewer test study with an [evaluate] section: its study.gpkg is newer than the
  // study file and the inputs, so it is reused (not re-run); the interventions come
  // from interventions.csv with the study's radii and buffers.
  hotspot::test::TempDir dir;
  const std::filesystem::path study_dir = HOTSPOT_VIEWER_STUDY;
  const std::filesystem::path toml = dir.path() / "study.toml";
  {
    std::ifstream in(study_dir / "study.toml");
    std::stringstream text;
    text << in.rdbuf();
    std::string t = text.str();
    // Appended piece by piece (GCC 12's false -Wrestrict on `const char* + string`).
    const std::string rel = "\"incidents/";
    std::string abs("\"");
    abs += (study_dir / "incidents/").string();
    for (std::size_t at = t.find(rel); at != std::string::npos; at = t.find(rel, at + abs.size())) t.replace(at, rel.size(), abs);
    const std::string study_line = "boundary = \"district\"\n";
    ASSERT_NE(t.find(study_line), std::string::npos);
    std::string output_line("output = \"");
    output_line += (study_dir / "out").string();
    output_line += "\"\n";
    t.insert(t.find(study_line) + study_line.size(), output_line);
    std::ofstream out(toml);
    out << t;
    out << "\n[evaluate]\ninterventions = \"" << HOTSPOT_SOURCE_DIR << "/data/ashfield/interventions.csv\"\n"
        << "buffer_m = 200\nbefore_months = 9\nimplementation_months = 1\nconfidence = 0.9\n";
  }
  // Older than the GeoPackage, as after `hotspot run`.
  std::filesystem::last_write_time(toml, std::filesystem::last_write_time(study_dir / "out" / "study.gpkg") -
                                             std::chrono::hours(1));
  LoadResult r = load_now({toml.string(), "", false}, {});
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_TRUE(std::any_of(r.info.begin(), r.info.end(), [](const std::string& i) { return i.find("reusing") != std::string::npos; }));
  const auto iv = std::find_if(r.layers.begin(), r.layers.end(), [](const Layer& l) { return l.name == "interventions"; });
  ASSERT_NE(iv, r.layers.end());
  EXPECT_EQ(iv->role, LayerRole::interventions);
  EXPECT_EQ(iv->features->size(), 7u);  // data/ashfield/interventions.csv
  EXPECT_EQ(iv->field_text("id", 0), "AG1");
  EXPECT_EQ(iv->field_text("start", 0), "2023-10");
  EXPECT_EQ(iv->field_text("categories", 0), "Burglary");
  EXPECT_EQ(iv->field_text("radius_m", 0), "250");
  EXPECT_EQ(iv->field_text("buffer_m", 0), "250");  // its own buffer_m column
  EXPECT_EQ(iv->field_text("buffer_m", 3), "300");
  // Compare on it takes go-live, radius and crime types from the intervention.
  AppState s;
  apply_load(s, std::move(r));
  // Compare starts from the study's [evaluate] settings.
  EXPECT_EQ(s.compare.before_months, 9);
  EXPECT_EQ(s.compare.implementation_months, 1);
  EXPECT_DOUBLE_EQ(s.compare.buffer_m, 200);
  Layer* l = find_layer(s, std::string_view("interventions"));
  ASSERT_NE(l, nullptr);
  compare_feature(s, l->id, 0);
  EXPECT_EQ(s.compare.go_live, core::month_index(2023, 10));
  EXPECT_DOUBLE_EQ(s.compare.radius_m, 250);
  EXPECT_EQ(s.categories.count(), 1u);
  EXPECT_TRUE(s.categories.allows(*s.incidents->taxonomy.find("Burglary")));
  // ... and core/evaluate evaluates it in process (the study boundary as the control's extent).
  const auto& e = compare_evaluation(s);
  ASSERT_TRUE(e.has_value());
  ASSERT_TRUE(e->evaluated) << e->reason;
  EXPECT_EQ(e->control_label, "rest of the study area");
  EXPECT_DOUBLE_EQ(e->confidence, 0.9);
  EXPECT_EQ(compare_counts(s)->after.first, core::month_index(2023, 11));  // one month left out
  EXPECT_EQ(e->target_before, compare_counts(s)->target.before);
  EXPECT_EQ(e->target_after, compare_counts(s)->target.after);
  EXPECT_TRUE(e->odds_ratio.has_value());
}

TEST(AppState, RasterTablesOfAGeoPackageOpenBesideItsVectorLayers) {
  LoadResult r = load_now({kFixtures + "/rasters.gpkg", "", false}, {});
  ASSERT_TRUE(r.error.empty()) << r.error;
  std::vector<std::string> names;
  for (const Layer& l : r.layers) names.push_back(l.name);
  EXPECT_EQ(names, (std::vector<std::string>{"gistar_cells", "kde_all", "kde_burglary"}));
  const Layer& kde = r.layers[2];
  EXPECT_EQ(kde.role, LayerRole::density);
  ASSERT_NE(kde.raster, nullptr);
  EXPECT_EQ(kde.raster->width, fx::kKdeN);
  EXPECT_EQ(kde.raster->description, "kde_burglary");  // GDAL's generic "Height" replaced
  // The peak is where kde.tif has it.
  EXPECT_NEAR(kde.raster->sample(fx::kKdePeakX + 1, fx::kKdePeakY + 1), 100.0, 1.0);
  // One raster table asked for by name.
  LoadResult one = load_now({kFixtures + "/rasters.gpkg", "kde_all", false}, {});
  ASSERT_TRUE(one.error.empty()) << one.error;
  ASSERT_EQ(one.layers.size(), 1u);
  EXPECT_EQ(one.layers[0].name, "kde_all");
}

TEST(AppState, RemovingTheIncidentLayerDropsEverythingDerivedFromIt) {
  AppState s;
  loaded(s, kStudy);
  const LayerId id = s.incidents_layer;
  remove_layer(s, id);
  EXPECT_EQ(s.incidents, nullptr);
  EXPECT_EQ(find_layer(s, id), nullptr);
  const Layer& wards = *find_layer(s, std::string_view("wards_counts"));
  EXPECT_FALSE(is_windowed_field(s, wards, "total"));
}

TEST(AppState, AFileThatCannotBeOpenedIsLoggedAsAnError) {
  AppState s;
  LoadResult r = load_now({"/nonexistent/none.gpkg", "", false}, {});
  EXPECT_NE(r.error.find("no such file"), std::string::npos) << r.error;
  apply_load(s, std::move(r));
  ASSERT_FALSE(s.log.empty());
  EXPECT_EQ(s.log.back().level, LogLevel::error);
  EXPECT_TRUE(s.layers.empty());
}

TEST(Commands, RunTheScriptVerbsAgainstTheState) {
  AppState s;
  loaded(s, kStudy);
  const std::filesystem::path base = kFixtures;
  auto run = [&](const std::string& line) {
    auto parsed = parse_script(line, "t");
    EXPECT_TRUE(parsed.ok()) << line;
    return run_command(s, parsed.value().front(), base);
  };
  EXPECT_EQ(run("hide incidents"), "");
  EXPECT_FALSE(find_layer(s, s.incidents_layer)->visible);
  EXPECT_EQ(run("months 2023-01 2023-12"), "");
  EXPECT_EQ(format_month_range(s.window), "Jan 2023 \u2013 Dec 2023");
  EXPECT_EQ(run("style wards_counts burglary jenks classes 4 ramp Viridis per-km2"), "");
  const Layer& w = *find_layer(s, std::string_view("wards_counts"));
  EXPECT_EQ(w.style.method, ClassMethod::natural_breaks);
  EXPECT_EQ(w.style.ramp, Ramp::viridis);
  EXPECT_TRUE(w.style.per_km2);
  EXPECT_EQ(run("categories Burglary \"Vehicle crime\""), "");
  EXPECT_EQ(s.categories.count(), 2u);
  EXPECT_EQ(run("select wards_counts #1 #2"), "");
  EXPECT_EQ(s.selection.features.size(), 2u);
  EXPECT_EQ(run("zoom centre 450000 356000 5"), "");
  EXPECT_DOUBLE_EQ(s.camera.m_per_px, 5);
  EXPECT_EQ(run("show nope"), "no layer 'nope' (layers: " + [&] {
              std::string names;
              for (const auto& l : s.layers) names += (names.empty() ? "" : ", ") + l.name;
              return names;
            }() + ")");
  EXPECT_NE(run("style wards_counts nosuchfield").find("has no field 'nosuchfield' (fields: "), std::string::npos);
  EXPECT_EQ(run("categories Arson"), "unknown crime type 'Arson'");
  EXPECT_EQ(run("zoom feature wards_counts \"Nowhere Ward\""), "layer 'wards_counts' has no feature 'Nowhere Ward'");
}

TEST(Export, TheSelectionIsWrittenAsGeoJsonWithTheWindowCounts) {
  hotspot::test::TempDir dir;
  AppState s;
  loaded(s, kStudy);
  const Layer& wards = *find_layer(s, std::string_view("wards_counts"));
  s.selection.add(wards.id, {0, 4});
  const auto path = dir.path() / "selected.geojson";
  EXPECT_EQ(export_selection_geojson(s, path), "");
  const layers::FeatureSet back = layers::read_features(path.string(), {});
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back.geometry, layers::GeometryClass::polygon);
  const int wc = back.field_index("window_count");
  ASSERT_GE(wc, 0);
  EXPECT_EQ(back.fields[static_cast<std::size_t>(wc)].number(0), stored(wards, "total")[0]);
  AppState empty;
  EXPECT_EQ(export_selection_geojson(empty, path), "nothing is selected");
}

// Script input becomes frames: arrive, press, release (a click); ten steps between
// press and release (a drag); positions through the camera and the pane rectangle.
TEST(ScriptInput, CommandsBecomeFramesAtTheirScreenPositions) {
  AppState s;
  s.camera.centre_x_m = 450000;
  s.camera.centre_y_m = 356000;
  s.camera.m_per_px = 10;
  s.camera.set_viewport(800, 600);
  s.ui_rects["pane0"] = {300, 20, 800, 600};
  s.ui_rects["play"] = {10, 700, 40, 20};
  ASSERT_EQ(queue_input(s, {1, "click", {"world", "450100", "356000", "shift"}}), "");
  ASSERT_EQ(s.input_queue.size(), 4u);  // arrive and rest, press, release
  EXPECT_DOUBLE_EQ(s.input_queue[0].x, 300 + 400 + 10);
  EXPECT_DOUBLE_EQ(s.input_queue[0].y, 20 + 300);
  EXPECT_FALSE(s.input_queue[1].left);
  EXPECT_TRUE(s.input_queue[2].left);
  EXPECT_FALSE(s.input_queue[3].left);
  EXPECT_TRUE(s.input_queue[2].shift);
  s.input_queue.clear();
  ASSERT_EQ(queue_input(s, {2, "drag", {"ui", "play", "to", "100", "710"}}), "");
  ASSERT_EQ(s.input_queue.size(), 14u);
  EXPECT_DOUBLE_EQ(s.input_queue.front().x, 30);
  EXPECT_DOUBLE_EQ(s.input_queue.back().x, 100);
  EXPECT_FALSE(s.input_queue.back().left);
  EXPECT_TRUE(s.input_queue[12].left);
  // Keys and drops happen where the pointer was left.
  s.input_queue.clear();
  ASSERT_EQ(queue_input(s, {3, "key", {"+"}}), "");
  ASSERT_EQ(s.input_queue.size(), 2u);
  EXPECT_EQ(s.input_queue[0].character, static_cast<uint32_t>('+'));
  EXPECT_DOUBLE_EQ(s.input_queue[0].x, 100);
  // Unknown UI elements and hidden panes are errors naming what exists.
  const std::string e = queue_input(s, {4, "click", {"ui", "nope"}});
  EXPECT_NE(e.find("no UI element 'nope'"), std::string::npos) << e;
  EXPECT_NE(e.find("play"), std::string::npos) << e;
  EXPECT_NE(queue_input(s, {5, "mouse", {"world", "1", "2", "pane", "1"}}).find("map pane 1 is not shown"), std::string::npos);
}

// A grid cell's place in the ranked list comes from targets_cells, matched on its
// geometry (the cell ids are 64-bit and lose digits as numbers); a ward's on its code.
TEST(AppState, TheInspectorFindsAFeaturesRankInTheRankedLayer) {
  AppState s;
  Layer grid = square_layer("grid_cells", {{"bin", 3}, {"z", 3.1}, {"cell_id", 576463168759400168.0}}, {});
  Layer targets = square_layer("targets_cells", {{"rank", 2}, {"score", 3.5}}, {{"id", "576463168759400168"}});
  Layer ward = square_layer("wards_counts", {{"total", 12}}, {{"code", "E05012345"}});
  Layer ranked_wards = square_layer("targets_wards", {{"rank", 1}, {"score", 4}}, {{"id", "E05012345"}});
  Layer other_ward = square_layer("wards_b", {{"total", 3}}, {{"code", "E05099999"}});
  LoadResult r;
  for (Layer* l : {&grid, &targets, &ward, &ranked_wards, &other_ward}) r.layers.push_back(std::move(*l));
  apply_load(s, std::move(r));
  const auto cell = ranked_place(s, *find_layer(s, std::string_view("grid_cells")), 0);
  ASSERT_TRUE(cell.has_value());
  EXPECT_EQ(cell->layer->name, "targets_cells");
  EXPECT_DOUBLE_EQ(cell->rank, 2);
  EXPECT_EQ(cell->of, 1u);
  const auto w = ranked_place(s, *find_layer(s, std::string_view("wards_counts")), 0);
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->layer->name, "targets_wards");  // by code, not the first same-shaped target
  EXPECT_FALSE(ranked_place(s, *find_layer(s, std::string_view("wards_b")), 0).has_value());  // a code no list has
  const auto own = ranked_place(s, *find_layer(s, std::string_view("targets_cells")), 0);
  ASSERT_TRUE(own.has_value());
  EXPECT_EQ(own->layer->name, "targets_cells");
}
