#include <gmock/gmock.h>

#include "api/api_test_util.h"
#include "api/handlers.h"
#include "api/params.h"

namespace argus::api {
namespace {

using ::testing::HasSubstr;

// The API over a list of events in memory: what the server's event store does, without files.
class EventsApiTest : public ApiTest {
 protected:
  EventsApiTest() {
    sources_.record_event = [this](const events::Event& e) {
      Status valid = events::Validate(e);
      if (valid.ok()) recorded_.push_back(e);
      return valid;
    };
    sources_.query_events = [this](int64_t start, int64_t end,
                                   const std::vector<std::vector<model::Matcher>>& selectors) {
      queries_.push_back({start, end, selectors.size()});
      std::vector<events::Event> out;
      for (const auto& e : recorded_) {
        if (e.time_ms >= start && e.time_ms <= end) out.push_back(e);
      }
      return Result<std::vector<events::Event>>(out);
    };
  }

  struct QueryArgs {
    int64_t start, end;
    size_t selectors;
    bool operator==(const QueryArgs&) const = default;
  };
  std::vector<events::Event> recorded_;
  std::vector<QueryArgs> queries_;
};

TEST_F(EventsApiTest, PostRecordsTheEventAndAnswersWithIt) {
  auto r = PostBody("/api/v1/events",
                    R"({"kind":"deploy","labels":{"version":"1.4.2","service":"api"},)"
                    R"("text":"api 1.4.2 by ci","link":"https://ci/runs/7","time":1700000000.5})");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"status":"success","data":{"time":1700000000.500,"kind":"deploy",)"
                    R"("labels":{"service":"api","version":"1.4.2"},"text":"api 1.4.2 by ci",)"
                    R"("link":"https://ci/runs/7"}})");
  ASSERT_EQ(recorded_.size(), 1u);
  EXPECT_EQ(recorded_[0], (events::Event{1'700'000'000'500,
                                         "deploy",
                                         {{"service", "api"}, {"version", "1.4.2"}},
                                         "api 1.4.2 by ci",
                                         "https://ci/runs/7"}));
}

TEST_F(EventsApiTest, TheTimeIsTheServersUnlessGivenInAnyOfTheAPIsForms) {
  struct Case {
    std::string time;  // JSON
    int64_t want_ms;
  };
  const Case cases[] = {
      {"", NowMs()},
      {R"("2023-11-14T22:13:20.25Z")", 1'700'000'000'250},
      {R"("2023-11-15T00:13:20+02:00")", 1'700'000'000'000},
      {R"("1700000000")", 1'700'000'000'000},
      {"1700000000", 1'700'000'000'000},
      {"1.7e9", 1'700'000'000'000},
  };
  for (const Case& c : cases) {
    recorded_.clear();
    std::string body = R"({"kind":"restart")";
    if (!c.time.empty()) body += R"(,"time":)" + c.time;
    auto r = PostBody("/api/v1/events", body + "}");
    ASSERT_EQ(r.status, 200) << c.time << " " << r.body;
    ASSERT_EQ(recorded_.size(), 1u);
    EXPECT_EQ(recorded_[0].time_ms, c.want_ms) << c.time;
  }
}

TEST_F(EventsApiTest, BadBodiesAreBadDataNamingWhatIsWrong) {
  struct Case {
    std::string body;
    std::string error;
  };
  const Case cases[] = {
      {"", "invalid event: the body is not JSON: "},
      {"{\"kind\":", "invalid event: the body is not JSON: "},
      {"[1,2]", "invalid event: the body must be a JSON object"},
      {"{}", "invalid event: kind is missing"},
      {R"({"kind":7})", "invalid event: kind must be a string"},
      {R"({"kind":"Deploy"})", R"(invalid event: kind \"Deploy\" is not valid)"},
      {R"({"kind":"deploy","labels":["a"]})",
       "invalid event: labels must be an object of label names and string values"},
      {R"({"kind":"deploy","labels":{"version":2}})",
       R"(invalid event: labels: the value of \"version\" must be a string)"},
      {R"({"kind":"deploy","labels":{"a-b":"c"}})",
       R"(invalid event: label name \"a-b\" is not valid)"},
      {R"({"kind":"deploy","text":null})", "invalid event: text must be a string"},
      {R"({"kind":"deploy","link":"ci/runs/1"})",
       R"(invalid event: link \"ci/runs/1\" is not an absolute http or https URL)"},
      {R"({"kind":"deploy","time":"yesterday"})",
       R"(invalid event: time: cannot parse \"yesterday\" to a valid timestamp)"},
      {R"({"kind":"deploy","time":true})",
       "invalid event: time must be an RFC 3339 time or Unix seconds"},
      {R"({"kind":"deploy","service":"api"})",
       R"(invalid event: unknown field \"service\": an event has kind, labels, text, link and )"
       R"(time)"},
  };
  for (const Case& c : cases) {
    auto r = PostBody("/api/v1/events", c.body);
    EXPECT_EQ(r.status, 400) << c.body;
    EXPECT_THAT(r.body,
                HasSubstr(R"({"status":"error","errorType":"bad_data","error":")" + c.error))
        << c.body;
  }
  EXPECT_TRUE(recorded_.empty());
}

TEST_F(EventsApiTest, ABodyOverTheLimitIs413) {
  std::string text(kMaxEventBodyBytes, 'x');
  auto r = PostBody("/api/v1/events", R"({"kind":"deploy","text":")" + text + "\"}");
  EXPECT_EQ(r.status, 413);
  EXPECT_THAT(r.body, HasSubstr(R"("errorType":"bad_data","error":"the body is 65563 bytes )"
                                R"(long; an event takes at most 65536")"));
  EXPECT_TRUE(recorded_.empty());
}

TEST_F(EventsApiTest, AStoreFailureIsAnInternalError) {
  sources_.record_event = [](const events::Event&) {
    return Status::Error("write /data/events/00000003: no space left on device",
                         Status::Code::kIOError);
  };
  auto r = PostBody("/api/v1/events", R"({"kind":"deploy"})");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, ErrorBody("internal", "write /data/events/00000003: no space left on device"));
}

TEST_F(EventsApiTest, GetListsTheEventsOfTheRangeOldestFirst) {
  recorded_ = {{1'000, "deploy", {{"service", "api"}}, "one", ""},
               {2'500, "oom_kill", {{"pod", "web-0"}}, "", "http://x/2"},
               {9'000, "restart", {}, "", ""}};
  auto r = Get("/api/v1/events?start=1&end=2.5");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"success","data":[)"
                    R"({"time":1,"kind":"deploy","labels":{"service":"api"},"text":"one"},)"
                    R"({"time":2.500,"kind":"oom_kill","labels":{"pod":"web-0"},"text":"",)"
                    R"("link":"http://x/2"}]})");
  EXPECT_EQ(Get("/api/v1/events?start=2023-11-14T22:13:20Z").body,
            R"({"status":"success","data":[]})");
  ASSERT_EQ(Get("/api/v1/events?match[]={service=\"api\"}&match[]={pod=~\"web.*\"}").status, 200);
  EXPECT_EQ(queries_.back(), (QueryArgs{kMinTime, kMaxTime, 2}));
}

TEST_F(EventsApiTest, BadGetParametersAreBadData) {
  EXPECT_EQ(Get("/api/v1/events?start=x").body,
            ErrorBody("bad_data", R"(invalid parameter \"start\": invalid time value for 'start': )"
                                  R"(cannot parse \"x\" to a valid timestamp)"));
  EXPECT_EQ(Get("/api/v1/events?start=10&end=5").body,
            ErrorBody("bad_data",
                      R"(invalid parameter \"end\": end timestamp must not be before start time)"));
  auto r = Get("/api/v1/events?match[]={service=~\".*\"}");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("match[] must contain at least one non-empty matcher"));
  EXPECT_TRUE(queries_.empty());
}

TEST_F(EventsApiTest, WithoutAnEventStoreTheEndpointIsUnavailable) {
  sources_.record_event = nullptr;
  sources_.query_events = nullptr;
  EXPECT_EQ(Get("/api/v1/events").status, 503);
  EXPECT_EQ(PostBody("/api/v1/events", R"({"kind":"deploy"})").status, 503);
}

}  // namespace
}  // namespace argus::api
