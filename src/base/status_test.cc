#include "base/status.h"

#include <gtest/gtest.h>

namespace argus {
namespace {

Status FailsWith(Status s) {
  ARGUS_RETURN_IF_ERROR(s);
  return Status::Error("not reached");
}

TEST(StatusTest, OkAndErrors) {
  EXPECT_TRUE(Status::Ok().ok());
  Status e = Status::Errorf(Status::Code::kIOError, "cannot open {}", "x.yml");
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(e.code(), Status::Code::kIOError);
  EXPECT_EQ(e.Wrap("config").message(), "config: cannot open x.yml");
  EXPECT_EQ(e.Wrap("config").code(), Status::Code::kIOError);
  EXPECT_TRUE(Status::Ok().Wrap("config").ok());
}

TEST(StatusTest, ReturnIfErrorPropagatesTheFirstError) {
  EXPECT_EQ(FailsWith(Status::Error("first")).message(), "first");
  EXPECT_EQ(FailsWith(Status::Ok()).message(), "not reached");
}

TEST(ResultTest, HoldsValueOrError) {
  Result<int> v = 42;
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 42);
  Result<int> e = Status::Error("bad");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().message(), "bad");
}

}  // namespace
}  // namespace argus
