#pragma once
// HOTSPOT_ASSERT: catches programmer misuse (a broken precondition), never bad data.
// Bad data is reported through IssueCode / Result values (see core/base/result.hpp).
// Asserts stay on in every build type: the cost is a predictable branch, and a
// broken invariant in an analysis must stop the program rather than publish a map.

#include <cstdio>
#include <cstdlib>

namespace hotspot::detail {
[[noreturn]] inline void assert_fail(const char* expr, const char* file, int line, const char* msg) {
  std::fprintf(stderr, "%s:%d: internal error: assertion '%s' failed%s%s\n", file, line, expr,
               msg ? ": " : "", msg ? msg : "");
  std::abort();
}
}  // namespace hotspot::detail

#define HOTSPOT_ASSERT(expr)                                                          \
  ((expr) ? static_cast<void>(0)                                                      \
          : ::hotspot::detail::assert_fail(#expr, __FILE__, __LINE__, nullptr))
#define HOTSPOT_ASSERT_MSG(expr, msg)                                                 \
  ((expr) ? static_cast<void>(0)                                                      \
          : ::hotspot::detail::assert_fail(#expr, __FILE__, __LINE__, (msg)))
