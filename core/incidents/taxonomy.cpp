#include "core/incidents/taxonomy.hpp"

#include <cctype>

#include "core/base/assert.hpp"

namespace hotspot::core {

Taxonomy Taxonomy::police_uk() {
  Taxonomy t;
  for (const auto& type : kPoliceUkTypes) t.add(type.name, type.slug, type.group, CategoryKind::police_uk);
  t.add("Public disorder and weapons", "public-disorder-weapons", "disorder",
        CategoryKind::police_uk_historic);
  t.add_alias("Violent crime", *t.find("Violence and sexual offences"));
  return t;
}

CategoryId Taxonomy::add(std::string_view name, std::string_view slug, std::string_view group,
                         CategoryKind kind) {
  HOTSPOT_ASSERT(!name.empty());
  HOTSPOT_ASSERT(m_categories.size() < 0xFFFF);
  if (auto it = m_exact.find(name); it != m_exact.end()) return it->second;
  const auto id = static_cast<CategoryId>(m_categories.size());
  m_categories.push_back(Category{id, std::string(name), std::string(slug), std::string(group), kind});
  m_exact.emplace(std::string(name), id);
  m_folded.emplace(fold(name), id);
  return id;
}

CategoryId Taxonomy::add_local(std::string_view name, std::string_view group) {
  return add(name, slugify(name), group, CategoryKind::local);
}

void Taxonomy::add_alias(std::string_view alias, CategoryId id) {
  HOTSPOT_ASSERT(id < m_categories.size());
  m_exact.insert_or_assign(std::string(alias), id);
  m_folded.insert_or_assign(fold(alias), id);
}

std::optional<CategoryId> Taxonomy::find(std::string_view raw) const {
  if (auto it = m_exact.find(raw); it != m_exact.end()) return it->second;
  if (auto it = m_folded.find(fold(raw)); it != m_folded.end()) return it->second;
  return std::nullopt;
}

std::optional<CategoryId> Taxonomy::find_slug(std::string_view slug) const {
  for (const auto& c : m_categories)
    if (c.slug == slug) return c.id;
  return std::nullopt;
}

std::string Taxonomy::fold(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isspace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out;
}

std::string slugify(std::string_view name) {
  std::string out;
  bool dash = false;
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) && c < 0x80) {
      if (dash && !out.empty()) out.push_back('-');
      dash = false;
      out.push_back(static_cast<char>(std::tolower(c)));
    } else if (ch == '&') {
      dash = true;  // "damage & arson" -> "damage-arson"
    } else {
      dash = true;
    }
  }
  return out;
}

}  // namespace hotspot::core
