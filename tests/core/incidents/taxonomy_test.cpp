#include "core/incidents/taxonomy.hpp"

#include <gtest/gtest.h>

using namespace hotspot::core;

TEST(Taxonomy, HoldsEveryPoliceUkCrimeTypeExactlyAsPublished) {
  const Taxonomy t = Taxonomy::police_uk();
  const char* published[] = {"Anti-social behaviour", "Burglary", "Violence and sexual offences",
                             "Criminal damage and arson", "Vehicle crime", "Shoplifting",
                             "Public order", "Other theft", "Theft from the person",
                             "Bicycle theft", "Robbery", "Drugs", "Possession of weapons",
                             "Other crime"};
  for (const char* name : published) {
    auto id = t.find(name);
    ASSERT_TRUE(id.has_value()) << name;
    EXPECT_EQ(t.get(*id).name, name);
    EXPECT_EQ(t.get(*id).kind, CategoryKind::police_uk);
  }
  EXPECT_EQ(t.size(), 15u);  // 14 current + 1 historic
}

TEST(Taxonomy, UsesPoliceUkApiSlugs) {
  const Taxonomy t = Taxonomy::police_uk();
  EXPECT_EQ(t.get(*t.find("Criminal damage and arson")).slug, "criminal-damage-arson");
  EXPECT_EQ(t.get(*t.find("Violence and sexual offences")).slug, "violent-crime");
  EXPECT_EQ(*t.find_slug("anti-social-behaviour"), *t.find("Anti-social behaviour"));
}

TEST(Taxonomy, MapsHistoricTypes) {
  const Taxonomy t = Taxonomy::police_uk();
  EXPECT_EQ(t.find("Violent crime"), t.find("Violence and sexual offences"));
  auto pdw = t.find("Public disorder and weapons");
  ASSERT_TRUE(pdw);
  EXPECT_EQ(t.get(*pdw).kind, CategoryKind::police_uk_historic);
}

TEST(Taxonomy, LookupIgnoresCaseAndSpacingButNotSpelling) {
  const Taxonomy t = Taxonomy::police_uk();
  EXPECT_EQ(t.find("  anti-social   BEHAVIOUR "), t.find("Anti-social behaviour"));
  EXPECT_FALSE(t.find("Anti social behaviour").has_value());
  EXPECT_FALSE(t.find("Burglery").has_value());
  EXPECT_FALSE(t.find("").has_value());
}

TEST(Taxonomy, AddsLocalCategoriesAndAliases) {
  Taxonomy t = Taxonomy::police_uk();
  const CategoryId fly = t.add_local("Fly-tipping", "environmental");
  EXPECT_EQ(t.get(fly).kind, CategoryKind::local);
  EXPECT_EQ(t.get(fly).slug, "fly-tipping");
  EXPECT_EQ(t.add_local("Fly-tipping"), fly);  // idempotent
  t.add_alias("ASB - Nuisance", *t.find("Anti-social behaviour"));
  EXPECT_EQ(t.find("asb - nuisance"), t.find("Anti-social behaviour"));
}

TEST(Slugify, LowercasesAndCollapsesPunctuation) {
  EXPECT_EQ(slugify("Criminal damage & Arson!"), "criminal-damage-arson");
  EXPECT_EQ(slugify("  ASB -- Personal "), "asb-personal");
  EXPECT_EQ(slugify("Théft"), "th-ft");
}
