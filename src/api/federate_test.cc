#include <gmock/gmock.h>

#include "api/api_test_util.h"
#include "config/config.h"

namespace argus::api {
namespace {

class FederateTest : public ApiTest {
 protected:
  FederateTest() {
    sources_.lookback_delta_ms = 5 * 60 * 1000;
    auto loaded = std::make_shared<LoadedConfig>();
    loaded->config.global.external_labels = model::Labels{{"cluster", "eu"}, {"zone", "a"}};
    sources_.config = [loaded] { return loaded; };
  }
};

TEST_F(FederateTest, WritesTheLatestSampleOfEachSeriesWithExternalLabels) {
  int64_t now = NowMs();
  Append({{"__name__", "up"}, {"job", "api"}, {"instance", "a:1"}}, now - 20000, 0);
  Append({{"__name__", "up"}, {"job", "api"}, {"instance", "a:1"}}, now - 5000, 1);
  Append({{"__name__", "up"}, {"job", "db"}, {"zone", "b"}}, now - 1000, 0.25);
  Append({{"__name__", "job:rate"}, {"Job", "x"}}, now - 1000, 1e21);
  auto r = Get("/federate?match[]=up&match[]=%7B__name__%3D~%22job.*%7Cup%22%7D");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
  std::string t5 = std::to_string(now - 5000), t1 = std::to_string(now - 1000);
  EXPECT_EQ(r.body,
            "# TYPE job:rate untyped\n"
            "job:rate{Job=\"x\",cluster=\"eu\",instance=\"\",zone=\"a\"} 1e+21 " +
                t1 +
                "\n"
                "# TYPE up untyped\n"
                "up{instance=\"a:1\",job=\"api\",cluster=\"eu\",zone=\"a\"} 1 " +
                t5 +
                "\n"
                "up{job=\"db\",zone=\"b\",cluster=\"eu\",instance=\"\"} 0.25 " +
                t1 + "\n");
}

TEST_F(FederateTest, LeavesOutStaleAndOldSeries) {
  int64_t now = NowMs();
  Append({{"__name__", "gone"}}, now - 2000, 1);
  Append({{"__name__", "gone"}}, now - 1000, storage::StaleNaN());
  Append({{"__name__", "old"}}, now - 301000, 1);
  Append({{"__name__", "nan"}}, now - 1000, std::nan(""));
  auto r = Get("/federate?match[]=%7B__name__%3D~%22.%2B%22%7D");
  EXPECT_EQ(r.body, "# TYPE nan untyped\nnan{cluster=\"eu\",instance=\"\",zone=\"a\"} NaN " +
                        std::to_string(now - 1000) + "\n");
}

TEST_F(FederateTest, EscapesLabelValuesAndRejectsBadSelectors) {
  Append({{"__name__", "m"}, {"path", "a\"b\\c\nd"}}, NowMs(), 2);
  EXPECT_THAT(Get("/federate?match[]=m").body,
              ::testing::HasSubstr(R"(m{path="a\"b\\c\nd",cluster="eu")"));
  auto r = Get("/federate?match[]=m%7B");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, ::testing::HasSubstr("1:"));
  EXPECT_EQ(Get("/federate").body, "");
}

}  // namespace
}  // namespace argus::api
