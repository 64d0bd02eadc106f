#pragma once
// Result<T>: a value or an error code with a message, for data-dependent failures
// inside core (H3's H3Error / S2's S2Error pattern; std::expected arrives with C++23).
//
//   Result<GridRef> r = parse_grid_reference("SK 52 58");
//   if (!r) std::cerr << r.error().message;   // "... letters 'SZ' are not a ..."
//   else use(r.value());

#include <string>
#include <utility>
#include <variant>

#include "core/base/assert.hpp"

namespace hotspot {

// An error as a value: a stable code (an enum of the module) plus a human message.
template <typename Code>
struct ErrorOf {
  Code code;
  std::string message;
};

template <typename T, typename Code>
class Result {
 public:
  Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(ErrorOf<Code> error) : m_v(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  static Result failure(Code code, std::string message) {
    return Result(ErrorOf<Code>{code, std::move(message)});
  }

  [[nodiscard]] bool ok() const { return m_v.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Requires: ok().
  const T& value() const& {
    HOTSPOT_ASSERT(ok());
    return std::get<0>(m_v);
  }
  T&& value() && {
    HOTSPOT_ASSERT(ok());
    return std::get<0>(std::move(m_v));
  }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

  // Requires: !ok().
  const ErrorOf<Code>& error() const {
    HOTSPOT_ASSERT(!ok());
    return std::get<1>(m_v);
  }

 private:
  std::variant<T, ErrorOf<Code>> m_v;
};

}  // namespace hotspot
