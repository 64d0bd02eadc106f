#include "core/grid/counts.hpp"

#include <gtest/gtest.h>

using namespace hotspot::core;

TEST(PeriodScheme, MonthsQuartersYearsAndFinancialYears) {
  const MonthIndex a = month_index(2022, 4), b = month_index(2025, 3);
  EXPECT_EQ(PeriodScheme::months(a, b).size(), 36u);
  const auto q = PeriodScheme::quarters(a, b);
  ASSERT_EQ(q.size(), 12u);
  EXPECT_EQ(q[0].label, "2022-Q2");
  EXPECT_EQ(q[11].label, "2025-Q1");
  const auto fy = PeriodScheme::years(a, b, 4);
  ASSERT_EQ(fy.size(), 3u);
  EXPECT_EQ(fy[0].label, "FY2022/23");
  EXPECT_EQ(fy.period_of(month_index(2023, 3)), 0);
  EXPECT_EQ(fy.period_of(month_index(2023, 4)), 1);
  const auto cy = PeriodScheme::years(a, b, 1);
  ASSERT_EQ(cy.size(), 4u);
  EXPECT_EQ(cy[0].label, "2022");
  EXPECT_EQ(cy[0].months, 9);  // April-December only
  EXPECT_EQ(cy[0].full_months, 12);
  EXPECT_EQ(cy.period_of(month_index(2021, 12)), -1);
  const auto c = PeriodScheme::custom({{"before", a, month_index(2023, 9), 0, 0}, {"after", month_index(2023, 10), b, 0, 0}});
  EXPECT_EQ(c.period_of(month_index(2023, 10)), 1);
  EXPECT_EQ(c[0].months, 18);
}

TEST(Counts, EveryIncidentIsCountedInAZoneOrAsUnzonedOrUnkeyed) {
  const std::vector<uint32_t> zone{0, 1, 1, kNoZone, 2, 2, 2};
  const std::vector<uint16_t> cat{0, 1, 1, 0, 2, 0, 2};
  const std::vector<MonthIndex> month{10, 10, 11, 10, 12, 30, 11};
  uint64_t unzoned = 0;
  EXPECT_EQ(count_by_zone(zone, 3, &unzoned), (std::vector<uint32_t>{1, 2, 3}));
  EXPECT_EQ(unzoned, 1u);
  const CountTable byc = count_by_key(zone, 3, cat, 3);
  EXPECT_EQ(byc.at(1, 1), 2u);
  EXPECT_EQ(byc.at(2, 2), 2u);
  EXPECT_EQ(byc.zone_total(2), 3u);
  const CountTable byp = count_by_period(zone, 3, month, PeriodScheme::months(10, 12));
  EXPECT_EQ(byp.unzoned, 1u);
  EXPECT_EQ(byp.unkeyed, 1u);  // month 30
  uint64_t sum = 0;
  for (uint32_t v : byp.counts) sum += v;
  EXPECT_EQ(sum + byp.unzoned + byp.unkeyed, zone.size());
  const SpaceTimeCube cube = SpaceTimeCube::build(zone, 3, month, PeriodScheme::months(10, 12));
  EXPECT_EQ(cube.periods(), 3u);
  EXPECT_EQ(cube.count(2, 1), 1u);
  EXPECT_EQ(cube.slice(0)[1], 1u);
  EXPECT_EQ(cube.series(2), (std::vector<uint32_t>{0, 1, 1}));
  EXPECT_EQ(cube.outside_periods(), 1u);
  EXPECT_EQ(cube.values().size(), 9u);
}
