#include <gmock/gmock.h>

#include "api/api_test_util.h"
#include "config/config.h"
#include "http/gzip.h"
#include "textparse/parser.h"

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

// What Prometheus 2.42 sends when it scrapes.
constexpr const char* kScrapeAccept =
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
    "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

TEST_F(FederateTest, WritesOpenMetricsToAClientThatPrefersIt) {
  ASSERT_EQ(NowMs(), 1'700'000'000'000);
  Append({{"__name__", "up"}, {"job", "api"}}, NowMs() - 877, 1);
  Append({{"__name__", "job:rate"}, {"job", "api"}}, NowMs() - 1000, 0.5);
  auto r = GetWithHeaders("/federate?match[]=%7Bjob%3D%22api%22%7D", {{"accept", kScrapeAccept}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/openmetrics-text; version=1.0.0; charset=utf-8");
  EXPECT_EQ(r.body,
            "# TYPE job:rate unknown\n"
            "job:rate{job=\"api\",cluster=\"eu\",instance=\"\",zone=\"a\"} 0.5 1699999999\n"
            "# TYPE up unknown\n"
            "up{job=\"api\",cluster=\"eu\",instance=\"\",zone=\"a\"} 1 1699999999.123\n"
            "# EOF\n");
  Status valid = textparse::Validate(textparse::Format::kOpenMetrics, r.body);
  EXPECT_TRUE(valid.ok()) << valid.message();

  // Read back as a scrape reads it: the same series (an empty label is no label), values and
  // millisecond timestamps.
  auto parser = textparse::NewParser(textparse::FormatFromContentType(r.content_type), r.body);
  std::vector<std::string> read;
  for (auto e = parser->Next(); e != textparse::Entry::kEof; e = parser->Next()) {
    ASSERT_NE(e, textparse::Entry::kError) << parser->Err().message();
    if (e != textparse::Entry::kSeries) continue;
    model::LabelsBuilder labels;
    parser->Labels(&labels);
    read.push_back(labels.Build().ToString() + " " + std::to_string(parser->Value()) + " " +
                   std::to_string(parser->TimestampMs().value_or(-1)));
  }
  EXPECT_THAT(read, ::testing::ElementsAre(R"(job:rate{cluster="eu", job="api", zone="a"})"
                                           " 0.500000 1699999999000",
                                           R"(up{cluster="eu", job="api", zone="a"})"
                                           " 1.000000 1699999999123"));
}

TEST_F(FederateTest, NegotiatesByQualityAndFallsBackToText) {
  Append({{"__name__", "up"}}, NowMs(), 1);
  const std::string om = "application/openmetrics-text; version=0.0.1; charset=utf-8";
  const std::string text = "text/plain; version=0.0.4; charset=utf-8";
  for (const auto& [accept, want] : std::vector<std::pair<std::string, std::string>>{
           {"", text},
           {"*/*", text},
           {"application/json", text},
           {"application/openmetrics-text", om},
           {"text/plain;q=0.4, application/openmetrics-text;q=0.9", om},
           {"application/openmetrics-text;q=0.4, text/plain", text},
           {"application/openmetrics-text;version=2.0.0, text/plain;version=0.0.4;q=0.1", text},
           {"application/openmetrics-text;q=0, text/plain;q=0.1", text},
       }) {
    auto r = GetWithHeaders("/federate?match[]=up", {{"accept", accept}});
    EXPECT_EQ(r.content_type, want) << accept;
    EXPECT_EQ(r.body.ends_with("# EOF\n"), want == om) << accept;
  }
}

TEST_F(FederateTest, GzipsTheBodyForAClientThatTakesGzipHoweverSmall) {
  Append({{"__name__", "up"}}, NowMs(), 1);
  const std::string plain = Get("/federate?match[]=up").body;
  ASSERT_FALSE(plain.empty());
  auto r = GetWithHeaders("/federate?match[]=up", {{"accept-encoding", "deflate, gzip"}});
  EXPECT_EQ(r.headers["Content-Encoding"], "gzip");
  std::string inflated;
  ASSERT_TRUE(http::Inflate(r.body, 0, &inflated).ok());
  EXPECT_EQ(inflated, plain);
  for (const char* other : {"deflate", "gzip;q=0", "identity"}) {
    r = GetWithHeaders("/federate?match[]=up", {{"accept-encoding", other}});
    EXPECT_EQ(r.headers.count("Content-Encoding"), 0u) << other;
    EXPECT_EQ(r.body, plain) << other;
  }
}

}  // namespace
}  // namespace argus::api
