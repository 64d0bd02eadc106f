#pragma once
// StringPool: dictionary encoding of repeated strings (LSOA codes, source file
// names) into dense 32-bit ids, so per-incident columns stay 4 bytes wide.
//
//   StringPool pool;
//   uint32_t id = pool.intern("E01027925");   // same string -> same id
//   std::string_view s = pool.get(id);
//
// Id 0 is always the empty string (StringPool::kEmpty), used for "no value".
// Strings are stored once; views returned by get() stay valid for the pool's life.

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hotspot {

class StringPool {
 public:
  static constexpr uint32_t kEmpty = 0;

  StringPool() { intern(std::string_view{}); }
  StringPool(const StringPool& other) : StringPool() {
    for (std::size_t i = 1; i < other.size(); ++i) intern(other.get(static_cast<uint32_t>(i)));
  }
  StringPool& operator=(const StringPool& other) {
    if (this != &other) {
      StringPool copy(other);
      swap(copy);
    }
    return *this;
  }
  StringPool(StringPool&&) noexcept = default;
  StringPool& operator=(StringPool&&) noexcept = default;

  uint32_t intern(std::string_view s) {
    if (auto it = m_index.find(s); it != m_index.end()) return it->second;
    m_store.emplace_back(s);
    const auto id = static_cast<uint32_t>(m_views.size());
    m_views.push_back(m_store.back());
    m_index.emplace(m_views.back(), id);
    return id;
  }

  // Returns the id of `s` if it was interned, else kNotFound.
  static constexpr uint32_t kNotFound = 0xFFFFFFFFu;
  [[nodiscard]] uint32_t find(std::string_view s) const {
    auto it = m_index.find(s);
    return it == m_index.end() ? kNotFound : it->second;
  }

  // Requires: id < size().
  [[nodiscard]] std::string_view get(uint32_t id) const { return m_views[id]; }
  [[nodiscard]] std::size_t size() const { return m_views.size(); }

  void swap(StringPool& other) noexcept {
    m_store.swap(other.m_store);
    m_views.swap(other.m_views);
    m_index.swap(other.m_index);
  }

 private:
  std::deque<std::string> m_store;  // deque: stable addresses for the views
  std::vector<std::string_view> m_views;
  std::unordered_map<std::string_view, uint32_t> m_index;
};

}  // namespace hotspot
