// The geocoding hook of ingest(): address columns become incidents through the
// geocoder, with its method and score; rows it cannot place are not_geocoded rejects.

#include <gtest/gtest.h>

#include "core/base/error.hpp"
#include "core/geocode/geocoder.hpp"
#include "layers/io/ingest.hpp"
#include "tests/core/geocode/test_gazetteer.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hotspot;
using namespace hotspot::layers;
namespace geo = hotspot::core::geocode;

TEST(IngestGeocode, AddressColumnsAreGeocodedWithMethodAndScore) {
  test::TempDir d;
  const geo::Gazetteer gz = geo::test::make_test_gazetteer();
  const geo::Geocoder geocoder(gz);
  const auto csv = d.write("asb.csv",
                           "Reported,Type,House,Street,Postcode\n"
                           "03/05/2023,Anti-social behaviour,14A,Station Rd,NG17 5FG\n"
                           "04/05/2023,Anti-social behaviour,,Station Road,NG17 5FF\n"
                           "05/05/2023,Burglary,4,Station Road,\n"
                           "06/05/2023,Burglary,,,NG17 5FH\n");
  IngestOptions o;
  o.location.address = {"House", "Street"};
  o.location.postcode = "Postcode";
  o.date_column = "Reported";
  o.category_column = "Type";
  o.geocoder = &geocoder;
  o.threads = 2;
  const std::vector<std::string> files = {csv.string()};
  const IngestResult r = ingest(files, core::Taxonomy::police_uk(), o);
  EXPECT_EQ(r.counts.read, 4u);
  EXPECT_EQ(r.counts.accepted, 3u);
  EXPECT_EQ(r.counts.rejected, 1u);
  EXPECT_TRUE(r.counts.balanced());
  ASSERT_EQ(r.table.size(), 3u);
  EXPECT_EQ(r.table.row(0).method, core::GeocodeMethod::address);
  EXPECT_EQ(r.table.row(0).score, 100);
  EXPECT_DOUBLE_EQ(r.table.row(0).x_m, 449840.0);
  EXPECT_EQ(r.table.row(1).method, core::GeocodeMethod::street);
  EXPECT_EQ(r.table.row(1).score, 75);
  EXPECT_EQ(r.table.row(2).method, core::GeocodeMethod::postcode);
  EXPECT_EQ(r.table.row(2).line, 5u);
  ASSERT_EQ(r.issues.kept().size(), 1u);
  const core::RowIssue& issue = r.issues.kept()[0];
  EXPECT_EQ(issue.code, core::IssueCode::not_geocoded);
  EXPECT_EQ(issue.line, 4u);
  EXPECT_EQ(issue.field, "House");
  EXPECT_EQ(issue.message.rfind("not geocoded (ambiguous): ", 0), 0u) << issue.message;
  EXPECT_EQ(r.counts.by_code[static_cast<std::size_t>(core::IssueCode::not_geocoded)], 1u);
}

TEST(IngestGeocode, AddressColumnsNeedAGeocoder) {
  test::TempDir d;
  const auto csv = d.write("asb.csv", "Reported,Type,Address\n03/05/2023,Burglary,14 Station Road\n");
  IngestOptions o;
  o.location.address = {"Address"};
  o.date_column = "Reported";
  o.category_column = "Type";
  const std::vector<std::string> files = {csv.string()};
  try {
    (void)ingest(files, core::Taxonomy::police_uk(), o);
    ADD_FAILURE() << "no UsageError";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "--address needs a gazetteer to geocode with (--gazetteer / --postcodes)");
  }
  const geo::Gazetteer gz = geo::test::make_test_gazetteer();
  const geo::Geocoder geocoder(gz);
  o.geocoder = &geocoder;
  o.location.address = {"Adress"};
  EXPECT_THROW((void)ingest(files, core::Taxonomy::police_uk(), o), UsageError);
}
