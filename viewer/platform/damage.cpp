#include "viewer/platform/damage.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace hotspot::viewer {

namespace {

DamageRect unite(const DamageRect& a, const DamageRect& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

DamageRect intersect(const DamageRect& a, const DamageRect& b) {
  return {std::max(a.x0, b.x0), std::max(a.y0, b.y0), std::min(a.x1, b.x1), std::min(a.y1, b.y1)};
}

bool overlaps(const DamageRect& a, const DamageRect& b) {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

const char* owner_of(const ImDrawList& list) { return list._OwnerName != nullptr ? list._OwnerName : ""; }

bool same_commands(const ImVector<ImDrawCmd>& a, const std::vector<ImDrawCmd>& b) {
  if (static_cast<std::size_t>(a.Size) != b.size()) return false;
  for (std::size_t i = 0; i < b.size(); ++i) {
    const ImDrawCmd& x = a[static_cast<int>(i)];
    const ImDrawCmd& y = b[i];
    if (x.ClipRect.x != y.ClipRect.x || x.ClipRect.y != y.ClipRect.y || x.ClipRect.z != y.ClipRect.z ||
        x.ClipRect.w != y.ClipRect.w || x.TextureId != y.TextureId || x.VtxOffset != y.VtxOffset ||
        x.IdxOffset != y.IdxOffset || x.ElemCount != y.ElemCount || x.UserCallback != y.UserCallback ||
        x.UserCallbackData != y.UserCallbackData)
      return false;
  }
  return true;
}

template <typename T>
bool same_bytes(const ImVector<T>& a, const std::vector<T>& b) {
  return static_cast<std::size_t>(a.Size) == b.size() &&
         (b.empty() || std::memcmp(a.Data, b.data(), b.size() * sizeof(T)) == 0);
}

}  // namespace

DamageRect draw_list_bounds(const ImDrawList& list, const ImDrawData& draw_data) {
  if (list.VtxBuffer.Size == 0 || list.CmdBuffer.Size == 0) return {};
  float x0 = std::numeric_limits<float>::max(), y0 = x0;
  float x1 = std::numeric_limits<float>::lowest(), y1 = x1;
  for (const ImDrawVert& v : list.VtxBuffer) {
    x0 = std::min(x0, v.pos.x);
    y0 = std::min(y0, v.pos.y);
    x1 = std::max(x1, v.pos.x);
    y1 = std::max(y1, v.pos.y);
  }
  DamageRect clip;
  for (const ImDrawCmd& c : list.CmdBuffer)
    if (c.ElemCount > 0 || c.UserCallback != nullptr) clip = unite(clip, {c.ClipRect.x, c.ClipRect.y, c.ClipRect.z, c.ClipRect.w});
  const DamageRect display{draw_data.DisplayPos.x, draw_data.DisplayPos.y, draw_data.DisplayPos.x + draw_data.DisplaySize.x,
                           draw_data.DisplayPos.y + draw_data.DisplaySize.y};
  DamageRect r = intersect(intersect({x0, y0, x1, y1}, clip), display);
  if (r.empty()) return {};
  r = {std::floor(r.x0) - 1, std::floor(r.y0) - 1, std::ceil(r.x1) + 1, std::ceil(r.y1) + 1};
  return intersect(r, display);
}

std::vector<DamageRect> merge_rects(std::vector<DamageRect> rects, int max_rects) {
  rects.erase(std::remove_if(rects.begin(), rects.end(), [](const DamageRect& r) { return r.empty(); }), rects.end());
  const std::size_t limit = static_cast<std::size_t>(std::max(1, max_rects));
  while (true) {
    // Overlapping rectangles become their union (repeat: a union can overlap a third).
    for (bool merged = true; merged;) {
      merged = false;
      for (std::size_t i = 0; i < rects.size() && !merged; ++i)
        for (std::size_t j = i + 1; j < rects.size(); ++j)
          if (overlaps(rects[i], rects[j])) {
            rects[i] = unite(rects[i], rects[j]);
            rects.erase(rects.begin() + static_cast<std::ptrdiff_t>(j));
            merged = true;
            break;
          }
    }
    if (rects.size() <= limit) return rects;
    // Too many: join the pair whose union adds the least area.
    std::size_t bi = 0, bj = 1;
    float best = std::numeric_limits<float>::max();
    for (std::size_t i = 0; i < rects.size(); ++i)
      for (std::size_t j = i + 1; j < rects.size(); ++j) {
        const float growth = unite(rects[i], rects[j]).area() - rects[i].area() - rects[j].area();
        if (growth < best) {
          best = growth;
          bi = i;
          bj = j;
        }
      }
    rects[bi] = unite(rects[bi], rects[bj]);
    rects.erase(rects.begin() + static_cast<std::ptrdiff_t>(bj));
  }
}

std::vector<DamageRect> subtract(const DamageRect& r, const DamageRect& hole) {
  if (r.empty()) return {};
  const DamageRect h = intersect(r, hole);
  if (h.empty()) return {r};
  std::vector<DamageRect> out;
  const DamageRect pieces[4] = {{r.x0, r.y0, r.x1, h.y0},   // above
                                {r.x0, h.y1, r.x1, r.y1},   // below
                                {r.x0, h.y0, h.x0, h.y1},   // left
                                {h.x1, h.y0, r.x1, h.y1}};  // right
  for (const DamageRect& p : pieces)
    if (!p.empty()) out.push_back(p);
  return out;
}

Damage DamageTracker::update(const ImDrawData& d) {
  Damage out;
  const bool resized = d.DisplayPos.x != m_display_pos.x || d.DisplayPos.y != m_display_pos.y ||
                       d.DisplaySize.x != m_display_size.x || d.DisplaySize.y != m_display_size.y;
  out.full = m_full || resized;
  m_full = false;
  m_display_pos = d.DisplayPos;
  m_display_size = d.DisplaySize;

  std::vector<ListCopy> next;
  next.reserve(static_cast<std::size_t>(d.CmdListsCount));
  std::vector<bool> matched(m_prev.size(), false);
  std::vector<DamageRect> rects;
  std::size_t last_match = 0;  // stacking order: matches must keep increasing
  bool any_match = false;
  for (int n = 0; n < d.CmdListsCount; ++n) {
    const ImDrawList& list = *d.CmdLists[n];
    const char* owner = owner_of(list);
    // The previous frame's list of the same owner (first unmatched one, in order).
    std::size_t found = m_prev.size();
    for (std::size_t i = 0; i < m_prev.size(); ++i)
      if (!matched[i] && m_prev[i].owner == owner) {
        found = i;
        break;
      }
    const bool in_order = found < m_prev.size() && (!any_match || found > last_match);
    const bool same = in_order && same_bytes(list.VtxBuffer, m_prev[found].vtx) && same_bytes(list.IdxBuffer, m_prev[found].idx) &&
                      same_commands(list.CmdBuffer, m_prev[found].cmd);
    ListCopy copy;
    if (same) {
      copy = std::move(m_prev[found]);  // identical: keep the stored bytes and bounds
    } else {
      copy.owner = owner;
      copy.vtx.assign(list.VtxBuffer.begin(), list.VtxBuffer.end());
      copy.idx.assign(list.IdxBuffer.begin(), list.IdxBuffer.end());
      copy.cmd.assign(list.CmdBuffer.begin(), list.CmdBuffer.end());
      copy.bounds = draw_list_bounds(list, d);
      rects.push_back(copy.bounds);
      if (found < m_prev.size()) rects.push_back(m_prev[found].bounds);
    }
    if (found < m_prev.size()) {
      matched[found] = true;
      if (in_order) {
        last_match = found;
        any_match = true;
      }
    }
    next.push_back(std::move(copy));
  }
  for (std::size_t i = 0; i < m_prev.size(); ++i)
    if (!matched[i]) rects.push_back(m_prev[i].bounds);  // gone: uncover what it hid
  m_prev = std::move(next);
  if (out.full) return out;

  out.rects = merge_rects(std::move(rects), m_options.max_rects);
  float area = 0;
  for (const DamageRect& r : out.rects) area += r.area();
  if (area > m_options.full_fraction * d.DisplaySize.x * d.DisplaySize.y) {
    out.full = true;
    out.rects.clear();
  }
  return out;
}

}  // namespace hotspot::viewer
