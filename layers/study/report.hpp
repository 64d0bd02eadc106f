#pragma once
// The tasking pack's HTML: report.html is rendered from report.md so the two never
// disagree. markdown_to_html() understands the Markdown the pipeline writes:
// headings (# to ####), paragraphs, pipe tables (with :---: / ---: alignment),
// "- " lists, images ![alt](src) on their own line, **bold**, *italic* and `code`;
// everything else is escaped text. The page is self-contained (inline CSS, print
// friendly) and refers to the PNG maps by relative path, beside it in DIR/maps/.
//
//   std::string html = markdown_to_html(md, "Ashfield CSP: tasking pack");

#include <string>

namespace hotspot::layers {

std::string markdown_to_html(const std::string& markdown, const std::string& title);

// HTML-escapes & < > " (for text and attribute values).
std::string html_escape(const std::string& text);

}  // namespace hotspot::layers
