#include "base/status.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

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

TEST(ResultTest, ConstructingFromAnOkStatusIsABug) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // Re-executes the binary: safe with threads.
  EXPECT_DEATH({ Result<int> r = Status::Ok(); }, "CHECK failed");
}

Result<std::unique_ptr<int>> Parse(std::string_view text) {
  if (text.empty()) return Status::Error("empty", Status::Code::kInvalidInput);
  return std::make_unique<int>(static_cast<int>(text.size()));
}

// Declares a new variable, and assigns to an existing one, from move-only values.
Result<int> SumOfLengths(std::string_view a, std::string_view b) {
  ARGUS_ASSIGN_OR_RETURN(auto first, Parse(a));
  std::unique_ptr<int> second;
  ARGUS_ASSIGN_OR_RETURN(second, Parse(b));
  return *first + *second;
}

Status CheckLength(std::string_view text, int* length) {
  ARGUS_ASSIGN_OR_RETURN(std::unique_ptr<int> parsed, Parse(text));
  *length = *parsed;
  return Status::Ok();
}

TEST(ResultTest, AssignOrReturnTakesTheValueOrReturnsTheError) {
  Result<int> sum = SumOfLengths("ab", "cde");
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_EQ(*sum, 5);

  Result<int> second_failed = SumOfLengths("ab", "");
  ASSERT_FALSE(second_failed.ok());
  EXPECT_EQ(second_failed.status().code(), Status::Code::kInvalidInput);
  EXPECT_EQ(second_failed.status().message(), "empty");

  int length = -1;
  EXPECT_TRUE(CheckLength("abcd", &length).ok());
  EXPECT_EQ(length, 4);
  length = -1;
  EXPECT_EQ(CheckLength("", &length).code(), Status::Code::kInvalidInput);
  EXPECT_EQ(length, -1);
}

}  // namespace
}  // namespace argus
