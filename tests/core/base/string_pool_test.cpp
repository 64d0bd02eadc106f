#include "core/base/string_pool.hpp"

#include <gtest/gtest.h>

using hotspot::StringPool;

TEST(StringPool, EmptyStringIsIdZero) {
  StringPool p;
  EXPECT_EQ(p.intern(""), StringPool::kEmpty);
  EXPECT_EQ(p.get(StringPool::kEmpty), "");
}

TEST(StringPool, InternIsIdempotentAndViewsStayValid) {
  StringPool p;
  const auto a = p.intern("E01027925");
  for (int i = 0; i < 10000; ++i) p.intern("code" + std::to_string(i));  // force growth
  EXPECT_EQ(p.intern("E01027925"), a);
  EXPECT_EQ(p.get(a), "E01027925");
  EXPECT_EQ(p.find("code9999"), p.intern("code9999"));
  EXPECT_EQ(p.find("absent"), StringPool::kNotFound);
}

TEST(StringPool, CopyAndMoveKeepContents) {
  StringPool p;
  const auto a = p.intern("x");
  StringPool copy(p);
  EXPECT_EQ(copy.get(a), "x");
  StringPool moved(std::move(copy));
  EXPECT_EQ(moved.get(a), "x");
  EXPECT_EQ(moved.find("x"), a);
}
