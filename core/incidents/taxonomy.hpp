#pragma once
// Taxonomy: the crime and incident categories a study knows, as dense 16-bit ids.
//
// It starts with every data.police.uk street-level crime type exactly as published
// (14 current types), the two historic types used before May 2013, and then holds
// study-defined local categories (council ASB sub-types, fly-tipping, ...) and
// aliases mapping other spellings onto any of them.
//
//   Taxonomy tax = Taxonomy::police_uk();
//   std::optional<CategoryId> id = tax.find("Burglary");          // exact
//   tax.add_alias("ASB - Nuisance", *tax.find("Anti-social behaviour"));
//   CategoryId fly = tax.add_local("Fly-tipping", "environmental");
//
// Lookup order: exact name, then alias, then the same two ignoring case and
// repeated/surrounding whitespace. Anything else is unknown: readers reject the
// row (IssueCode::unknown_category); nothing is guessed.
//
// Ids are stable for a given construction sequence: police.uk types first in the
// order of kPoliceUkTypes, historic types next, then local categories in the order
// they were added. Ids are not meant to be stored across runs; names are.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hotspot::core {

using CategoryId = uint16_t;

enum class CategoryKind : uint8_t {
  police_uk,           // a current data.police.uk crime type
  police_uk_historic,  // published before May 2013 only
  local,               // defined by the study (council/partner categories)
};

struct Category {
  CategoryId id;
  std::string name;   // as published / as defined, e.g. "Criminal damage and arson"
  std::string slug;   // machine name, e.g. "criminal-damage-arson" (police.uk API slug)
  std::string group;  // CSP priority group: asb, neighbourhood, violence, acquisitive, ...
  CategoryKind kind;
};

// The 14 current data.police.uk street-level crime types, exactly as published,
// with their API slugs and our priority group (see core/README.md).
struct PoliceUkType {
  std::string_view name;
  std::string_view slug;
  std::string_view group;
};
inline constexpr PoliceUkType kPoliceUkTypes[] = {
    {"Anti-social behaviour", "anti-social-behaviour", "asb"},
    {"Bicycle theft", "bicycle-theft", "acquisitive"},
    {"Burglary", "burglary", "neighbourhood"},
    {"Criminal damage and arson", "criminal-damage-arson", "damage"},
    {"Drugs", "drugs", "drugs"},
    {"Other crime", "other-crime", "other"},
    {"Other theft", "other-theft", "acquisitive"},
    {"Possession of weapons", "possession-of-weapons", "violence"},
    {"Public order", "public-order", "disorder"},
    {"Robbery", "robbery", "neighbourhood"},
    {"Shoplifting", "shoplifting", "acquisitive"},
    {"Theft from the person", "theft-from-the-person", "neighbourhood"},
    {"Vehicle crime", "vehicle-crime", "neighbourhood"},
    {"Violence and sexual offences", "violent-crime", "violence"},
};

class Taxonomy {
 public:
  // The police.uk taxonomy: 14 current types, plus "Public disorder and weapons"
  // (historic, its own category: it was split into two current types, so it cannot
  // be mapped onto one) and the alias "Violent crime" -> "Violence and sexual
  // offences" (a rename in May 2013).
  static Taxonomy police_uk();

  // Adds a study-defined category. Returns the existing id if `name` is already a
  // category (same name, any kind). Requires: name not empty; fewer than 65535 ids.
  CategoryId add_local(std::string_view name, std::string_view group = "local");

  // Maps another spelling onto an existing category. Requires: id < size().
  void add_alias(std::string_view alias, CategoryId id);

  // See the lookup order above. nullopt when unknown.
  [[nodiscard]] std::optional<CategoryId> find(std::string_view raw) const;
  // By slug ("burglary", "anti-social-behaviour").
  [[nodiscard]] std::optional<CategoryId> find_slug(std::string_view slug) const;

  // Requires: id < size().
  [[nodiscard]] const Category& get(CategoryId id) const { return m_categories[id]; }
  [[nodiscard]] std::size_t size() const { return m_categories.size(); }
  [[nodiscard]] const std::vector<Category>& categories() const { return m_categories; }

 private:
  CategoryId add(std::string_view name, std::string_view slug, std::string_view group,
                 CategoryKind kind);
  static std::string fold(std::string_view s);  // lower case, single spaces, trimmed

  // Transparent hashing: find(std::string_view) without building a std::string
  // (ingest looks up a crime type per row).
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Map = std::unordered_map<std::string, CategoryId, Hash, std::equal_to<>>;

  std::vector<Category> m_categories;
  Map m_exact;   // names and aliases
  Map m_folded;  // fold(name or alias)
};

// "Criminal damage & Arson!" -> "criminal-damage-arson": lower case ASCII letters
// and digits, other runs collapsed to one '-'. Used for local category slugs and
// field names.
std::string slugify(std::string_view name);

}  // namespace hotspot::core
