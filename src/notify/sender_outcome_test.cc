#include "notify/sender_outcome.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

namespace argus::notify {
namespace {

using namespace std::chrono_literals;
using Kind = AttemptOutcome::Kind;

constexpr std::string_view kUrl = "https://hooks.slack.com/services/T0/B0/SECRET";

http::ClientResponse Response(int status, std::string content_type, std::string body,
                              std::map<std::string, std::string> headers = {}) {
  return http::ClientResponse{status, std::move(content_type), std::move(headers), std::move(body)};
}

// `response`, as got after following `redirects` redirects.
http::ClientResponse Redirected(http::ClientResponse response, int redirects) {
  response.redirects = redirects;
  return response;
}

// 2015-10-21T07:28:00Z, the date in the Retry-After examples below.
Clock::time_point Oct21() { return Clock::time_point(std::chrono::seconds(1445412480)); }

struct Case {
  std::string name;
  std::string integration;
  Result<http::ClientResponse> result;
  Kind kind;
  FailureReason reason;
  std::string description_has;  // For failures; "" when any.
  std::optional<std::chrono::milliseconds> retry_after = std::nullopt;
};

TEST(JudgeResponseTest, EveryKindOfAnswer) {
  std::vector<Case> cases = {
      {"slack ok", "slack", Response(200, "text/html", "ok"), Kind::kDelivered,
       FailureReason::kOther, ""},
      {"slack ok with a newline", "slack", Response(200, "text/plain", "ok\n"), Kind::kDelivered,
       FailureReason::kOther, ""},
      {"slack HTML page with 200", "slack",
       Response(200, "text/html; charset=utf-8", "<html><body>Sign in</body></html>"),
       Kind::kFailed, FailureReason::kOther, "status 200 with an HTML page instead of \"ok\""},
      {"slack HTML page without a content type", "slack",
       Response(200, "", "  <!DOCTYPE html><html></html>"), Kind::kFailed, FailureReason::kOther,
       "an HTML page"},
      {"slack HTML page behind redirects", "slack",
       Redirected(Response(200, "text/html", "<html><body>Sign in</body></html>"), 2),
       Kind::kFailed, FailureReason::kOther, "an HTML page instead of \"ok\" (after 2 redirects)"},
      {"slack ok behind a redirect", "slack", Redirected(Response(200, "text/plain", "ok"), 1),
       Kind::kDelivered, FailureReason::kOther, ""},
      {"slack other text with 200", "slack", Response(200, "text/plain", "no_channel"),
       Kind::kFailed, FailureReason::kOther, "\"no_channel\" instead of \"ok\""},
      {"chat.postMessage ok", "slack",
       Response(200, "application/json; charset=utf-8", R"({"ok":true,"ts":"1.2"})"),
       Kind::kDelivered, FailureReason::kOther, ""},
      {"chat.postMessage refused", "slack",
       Response(200, "application/json", R"({"ok":false,"error":"channel_not_found"})"),
       Kind::kFailed, FailureReason::kOther, "status 200: channel_not_found"},
      {"chat.postMessage with broken JSON", "slack", Response(200, "application/json", "{\"ok\":"),
       Kind::kRetry, FailureReason::kOther, "does not decode"},
      {"webhook accepts any 2xx", "webhook", Response(204, "text/html", "<html></html>"),
       Kind::kDelivered, FailureReason::kOther, ""},
      {"404 channel_not_found", "slack", Response(404, "text/plain", "channel_not_found"),
       Kind::kFailed, FailureReason::kClientError, "status 404: channel_not_found"},
      {"403 invalid_token", "slack", Response(403, "text/plain", "invalid_token"), Kind::kFailed,
       FailureReason::kClientError, "status 403: invalid_token"},
      {"404 no_service", "slack", Response(404, "text/plain", "no_service\n"), Kind::kFailed,
       FailureReason::kClientError, "status 404: no_service"},
      {"410 channel_is_archived", "slack", Response(410, "text/plain", "channel_is_archived"),
       Kind::kFailed, FailureReason::kClientError, "status 410: channel_is_archived"},
      {"400 with an empty body", "webhook", Response(400, "text/plain", ""), Kind::kFailed,
       FailureReason::kClientError, "status 400: an empty body"},
      {"500", "slack", Response(500, "text/plain", "rollup_error"), Kind::kRetry,
       FailureReason::kServerError, "status 500: rollup_error"},
      {"503 with Retry-After", "webhook", Response(503, "text/plain", "", {{"retry-after", "30"}}),
       Kind::kRetry, FailureReason::kServerError, "status 503", 30s},
      {"429 with Retry-After seconds", "slack",
       Response(429, "text/plain", "rate_limited", {{"retry-after", "7"}}), Kind::kRetry,
       FailureReason::kClientError, "status 429: rate_limited", 7s},
      {"429 with Retry-After date", "slack",
       Response(429, "text/plain", "", {{"retry-after", "Wed, 21 Oct 2015 07:30:00 GMT"}}),
       Kind::kRetry, FailureReason::kClientError, "status 429", 120s},
      {"429 without Retry-After", "slack", Response(429, "text/plain", ""), Kind::kRetry,
       FailureReason::kClientError, "status 429", std::nullopt},
      {"redirect not followed", "slack",
       Response(302, "text/plain", "", {{"location", "https://example.com/"}}), Kind::kFailed,
       FailureReason::kOther, "status 302: a redirect that was not followed"},
      {"timeout", "slack",
       Status::Errorf(Status::Code::kTimeout, "request to {} timed out after 10000ms", kUrl),
       Kind::kRetry, FailureReason::kOther, "request to <secret URL> timed out after 10000ms"},
      {"connection refused", "slack",
       Status::Error("cannot connect to hooks.slack.com:443: Connection refused",
                     Status::Code::kIOError),
       Kind::kRetry, FailureReason::kOther, "Connection refused"},
      {"invalid URL", "webhook",
       Status::Errorf(Status::Code::kInvalidInput, "invalid URL \"{}\"", kUrl), Kind::kFailed,
       FailureReason::kOther, "invalid URL \"<secret URL>\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    AttemptOutcome outcome = JudgeResponse(c.integration, c.result, kUrl, Oct21());
    EXPECT_EQ(outcome.kind, c.kind);
    if (c.kind == Kind::kDelivered) continue;
    EXPECT_EQ(ReasonLabel(outcome.reason), ReasonLabel(c.reason));
    EXPECT_NE(outcome.description.find(c.description_has), std::string::npos)
        << outcome.description;
    EXPECT_EQ(outcome.description.find("SECRET"), std::string::npos) << outcome.description;
    EXPECT_EQ(outcome.retry_after, c.retry_after);
  }
}

TEST(JudgeResponseTest, ReasonLabelsAreAlertmanagers) {
  EXPECT_EQ(ReasonLabel(FailureReason::kClientError), "clientError");
  EXPECT_EQ(ReasonLabel(FailureReason::kServerError), "serverError");
  EXPECT_EQ(ReasonLabel(FailureReason::kOther), "other");
}

TEST(ParseRetryAfterTest, SecondsAndDates) {
  struct {
    std::string value;
    std::optional<std::chrono::milliseconds> want;
  } cases[] = {
      {"120", 120s},
      {" 5 ", 5s},
      {"0", 0s},
      {"-1", std::nullopt},
      {"1.5", std::nullopt},
      {"soon", std::nullopt},
      {"", std::nullopt},
      {"Wed, 21 Oct 2015 07:28:10 GMT", 10s},
      {"Wed, 21 Oct 2015 07:00:00 GMT", 0s},  // Past: at once.
      {"21 Oct 2015 07:28:10", std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ParseRetryAfter(c.value, Oct21()), c.want) << c.value;
  }
}

TEST(SlackReasonTest, SaysWhatSlackSaid) {
  EXPECT_EQ(SlackReason("application/json", R"({"ok":false,"error":"invalid_auth"})"),
            "invalid_auth");
  EXPECT_EQ(SlackReason("text/plain", "no_text\nmore"), "no_text");
  EXPECT_EQ(SlackReason("text/html", "<p>x</p>"), "an HTML page");
  EXPECT_EQ(SlackReason("text/plain", std::string(500, 'x')), std::string(200, 'x') + "...");
}

}  // namespace
}  // namespace argus::notify
