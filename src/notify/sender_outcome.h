#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "http/client.h"

namespace argus::notify {

// How the sender judges one HTTP exchange with a receiver, as Alertmanager's notifiers do.
//
//   connection error, timeout             retried                      reason "other"
//   5xx                                   retried                      reason "serverError"
//   429                                   retried, after Retry-After   reason "clientError"
//   any other 4xx                         failed for good              reason "clientError"
//   3xx (follow_redirects off)            failed for good              reason "other"
//   2xx from Slack whose body is not      failed for good              reason "other"
//     "ok" (an HTML page, say) or whose
//     JSON says "ok": false
//   2xx from Slack with JSON that does    retried                      reason "other"
//     not decode
//   other 2xx                             delivered
//
// A failure's description names what the receiver said (Slack's reason from the body, such as
// "channel_not_found", "invalid_token", "no_service"), and how many redirects were followed to
// get that answer, if any; never the URL, which is a secret.

// The `reason` label of alertmanager_notifications_failed_total (Alertmanager 0.25+).
enum class FailureReason { kClientError, kServerError, kOther };
std::string_view ReasonLabel(FailureReason reason);

struct AttemptOutcome {
  enum class Kind { kDelivered, kRetry, kFailed };
  Kind kind = Kind::kDelivered;
  FailureReason reason = FailureReason::kOther;  // For kRetry and kFailed.
  std::string description;                       // For kRetry and kFailed.
  // For kRetry: how long the receiver asked us to wait (Retry-After), when it said.
  std::optional<std::chrono::milliseconds> retry_after;
};

// Judges the result of one request to `integration` ("slack", "webhook", ...). `url` is the URL
// that was requested: it is cut out of any error text. `now` reads an HTTP-date Retry-After.
AttemptOutcome JudgeResponse(std::string_view integration,
                             const Result<http::ClientResponse>& result, std::string_view url,
                             Clock::time_point now);

// A Retry-After header's delay: delay-seconds ("120") or an HTTP-date ("Wed, 21 Oct 2015
// 07:28:00 GMT", as of `now`; a date past gives 0). nullopt when the value is neither.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         Clock::time_point now);

// What a Slack error body says, for a log line: the "error" of a JSON body, or the first line of a
// plain-text one ("channel_not_found"), cut to a readable length; "an HTML page" for HTML.
std::string SlackReason(std::string_view content_type, std::string_view body);

}  // namespace argus::notify
