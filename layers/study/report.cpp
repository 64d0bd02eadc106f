#include "layers/study/report.hpp"

#include <sstream>
#include <vector>

namespace hotspot::layers {

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

namespace {

// Inline markup: `code`, **bold**, *italic*, escaped text.
std::string inline_html(const std::string& s) {
  std::string out;
  std::size_t i = 0;
  auto span = [&](const std::string& open, const std::string& close, const std::string& tag) {
    if (s.compare(i, open.size(), open) != 0) return false;
    const std::size_t end = s.find(close, i + open.size());
    if (end == std::string::npos || end == i + open.size()) return false;
    const std::string inner = s.substr(i + open.size(), end - i - open.size());
    out.append("<").append(tag).append(">");
    out.append(tag == "code" ? html_escape(inner) : inline_html(inner));
    out.append("</").append(tag).append(">");
    i = end + close.size();
    return true;
  };
  while (i < s.size()) {
    if (span("`", "`", "code") || span("**", "**", "strong")) continue;
    if (s[i] == '*' && i + 1 < s.size() && s[i + 1] != ' ' && span("*", "*", "em")) continue;
    out.append(html_escape(std::string(1, s[i])));
    ++i;
  }
  return out;
}

std::vector<std::string> split_row(const std::string& line) {
  std::vector<std::string> cells;
  std::string t = line;
  if (!t.empty() && t.front() == '|') t.erase(0, 1);
  if (!t.empty() && t.back() == '|') t.pop_back();
  std::string cur;
  bool in_code = false;
  for (char c : t) {
    if (c == '`') in_code = !in_code;
    if (c == '|' && !in_code) {
      cells.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  cells.push_back(cur);
  for (auto& c : cells) {
    const auto a = c.find_first_not_of(' ');
    const auto b = c.find_last_not_of(' ');
    c = a == std::string::npos ? "" : c.substr(a, b - a + 1);
  }
  return cells;
}

bool is_separator(const std::string& line) {
  if (line.empty() || line[0] != '|') return false;
  for (char c : line)
    if (c != '|' && c != '-' && c != ':' && c != ' ') return false;
  return line.find('-') != std::string::npos;
}

}  // namespace

std::string markdown_to_html(const std::string& markdown, const std::string& title) {
  std::vector<std::string> lines;
  {
    std::istringstream in(markdown);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
  }
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" << html_escape(title)
    << "</title>\n<style>\n"
       "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;"
       "color:#222;line-height:1.45}\n"
       "h1{border-bottom:3px solid #b2182b;padding-bottom:.2em}h2{border-bottom:1px solid #ccc;margin-top:1.8em}\n"
       "table{border-collapse:collapse;margin:1em 0;font-size:.92em}th,td{border:1px solid #ccc;padding:.3em .6em}"
       "th{background:#f2f2f2}tr:nth-child(even) td{background:#fafafa}\n"
       "img{max-width:100%;border:1px solid #ddd;margin:.5em 0}code{background:#f4f4f4;padding:0 .2em}\n"
       "@media print{h2{page-break-before:auto}img,table{page-break-inside:avoid}}\n"
       "</style>\n</head>\n<body>\n";
  std::size_t i = 0;
  while (i < lines.size()) {
    const std::string& l = lines[i];
    if (l.empty()) {
      ++i;
      continue;
    }
    // Headings.
    std::size_t level = 0;
    while (level < l.size() && l[level] == '#') ++level;
    if (level >= 1 && level <= 6 && level < l.size() && l[level] == ' ') {
      h << "<h" << level << ">" << inline_html(l.substr(level + 1)) << "</h" << level << ">\n";
      ++i;
      continue;
    }
    // Images on their own line.
    if (l.rfind("![", 0) == 0) {
      const auto mid = l.find("](");
      const auto end = l.rfind(')');
      if (mid != std::string::npos && end != std::string::npos && end > mid) {
        const std::string alt = l.substr(2, mid - 2), src = l.substr(mid + 2, end - mid - 2);
        h << "<figure><img src=\"" << html_escape(src) << "\" alt=\"" << html_escape(alt) << "\"><figcaption>"
          << inline_html(alt) << "</figcaption></figure>\n";
        ++i;
        continue;
      }
    }
    // Tables.
    if (l[0] == '|' && i + 1 < lines.size() && is_separator(lines[i + 1])) {
      const auto head = split_row(l);
      const auto seps = split_row(lines[i + 1]);
      std::vector<std::string> align;
      for (const auto& s : seps)
        align.push_back(s.size() > 1 && s.back() == ':' ? (s.front() == ':' ? "center" : "right") : "left");
      auto cell = [&](const char* tag, std::size_t k, const std::string& text) {
        h << "<" << tag << " style=\"text-align:" << (k < align.size() ? align[k] : "left") << "\">" << inline_html(text)
          << "</" << tag << ">";
      };
      h << "<table>\n<thead><tr>";
      for (std::size_t k = 0; k < head.size(); ++k) cell("th", k, head[k]);
      h << "</tr></thead>\n<tbody>\n";
      i += 2;
      while (i < lines.size() && !lines[i].empty() && lines[i][0] == '|') {
        const auto row = split_row(lines[i]);
        h << "<tr>";
        for (std::size_t k = 0; k < row.size(); ++k) cell("td", k, row[k]);
        h << "</tr>\n";
        ++i;
      }
      h << "</tbody>\n</table>\n";
      continue;
    }
    // Lists (continuation lines indented).
    if (l.rfind("- ", 0) == 0) {
      h << "<ul>\n";
      while (i < lines.size() && lines[i].rfind("- ", 0) == 0) {
        std::string item = lines[i].substr(2);
        ++i;
        while (i < lines.size() && lines[i].rfind("  ", 0) == 0) {
          item.push_back(' ');
          item.append(lines[i++], 2);
        }
        h << "<li>" << inline_html(item) << "</li>\n";
      }
      h << "</ul>\n";
      continue;
    }
    // Paragraph: consecutive plain lines.
    std::string para = l;
    ++i;
    while (i < lines.size() && !lines[i].empty() && lines[i][0] != '#' && lines[i][0] != '|' &&
           lines[i].rfind("- ", 0) != 0 && lines[i].rfind("![", 0) != 0)
    {
      para.push_back(' ');
      para.append(lines[i++]);
    }
    h << "<p>" << inline_html(para) << "</p>\n";
  }
  h << "</body>\n</html>\n";
  return h.str();
}

}  // namespace hotspot::layers
