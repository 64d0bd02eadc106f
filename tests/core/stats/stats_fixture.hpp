#pragma once
// Reads the committed reference tables of tests/fixtures/stats/ (plain CSV with a
// header, no quoting) for the statistics tests.

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace hotspot::test {

struct Table {
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> rows;
  [[nodiscard]] std::size_t col(const std::string& name) const {
    for (std::size_t k = 0; k < names.size(); ++k)
      if (names[k] == name) return k;
    ADD_FAILURE() << "no column " << name;
    return 0;
  }
  [[nodiscard]] std::vector<double> numbers(const std::string& name) const {
    const std::size_t c = col(name);
    std::vector<double> v;
    for (const auto& r : rows) v.push_back(r[c] == "NA" || r[c].empty() ? std::nan("") : std::strtod(r[c].c_str(), nullptr));
    return v;
  }
  [[nodiscard]] std::vector<std::string> texts(const std::string& name) const {
    const std::size_t c = col(name);
    std::vector<std::string> v;
    for (const auto& r : rows) v.push_back(r[c]);
    return v;
  }
};

inline Table read_table(const std::string& path) {
  Table t;
  std::ifstream in(path);
  std::string line;
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string f;
    while (std::getline(ss, f, ',')) out.push_back(f);
    if (!s.empty() && s.back() == ',') out.emplace_back();
    return out;
  };
  if (std::getline(in, line)) t.names = split(line);
  while (std::getline(in, line))
    if (!line.empty()) t.rows.push_back(split(line));
  return t;
}

inline std::string stats_fixture(const std::string& name) { return std::string(HOTSPOT_FIXTURES_DIR) + "/stats/" + name; }

}  // namespace hotspot::test
