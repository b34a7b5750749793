#include "base/rfc3339.h"

#include <gtest/gtest.h>

namespace argus {
namespace {

TEST(Rfc3339Test, FormatsTimesAsGoFormatsThemInUtc) {
  EXPECT_EQ(FormatRfc3339(1435781451781), "2015-07-01T20:10:51.781Z");
  EXPECT_EQ(FormatRfc3339(1435781451780), "2015-07-01T20:10:51.78Z");
  EXPECT_EQ(FormatRfc3339(1435781451000), "2015-07-01T20:10:51Z");
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59.999Z");
  // Go's zero time, which Alertmanager writes for an alert that has not ended.
  EXPECT_EQ(FormatRfc3339(-62135596800000), "0001-01-01T00:00:00Z");
}

}  // namespace
}  // namespace argus
