#include "notify/sender_outcome.h"

#include <absl/time/time.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace argus::notify {
namespace {

constexpr size_t kMaxReasonLength = 200;

using Kind = AttemptOutcome::Kind;

AttemptOutcome Outcome(Kind kind, FailureReason reason, std::string description) {
  return AttemptOutcome{kind, reason, std::move(description), std::nullopt};
}

std::string_view Trim(std::string_view s) {
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         });
}

bool IsHtml(std::string_view content_type, std::string_view body) {
  return StartsWithNoCase(content_type, "text/html") || Trim(body).starts_with("<");
}

bool IsJson(std::string_view content_type) {
  return StartsWithNoCase(content_type, "application/json");
}

// `text` with every occurrence of `secret` replaced by a placeholder.
std::string Redact(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  constexpr std::string_view kPlaceholder = "<secret URL>";
  for (size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + kPlaceholder.size())) {
    text.replace(at, secret.size(), kPlaceholder);
  }
  return text;
}

// Slack's incoming webhooks answer "ok"; chat.postMessage answers JSON with "ok": true.
AttemptOutcome JudgeSlackSuccess(const http::ClientResponse& response) {
  if (IsJson(response.content_type)) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    bool ok = false;
    if (parser.parse(response.body).get(doc) != simdjson::SUCCESS ||
        doc["ok"].get(ok) != simdjson::SUCCESS) {
      return Outcome(Kind::kRetry, FailureReason::kOther,
                     fmt::format("status {} with JSON that does not decode", response.status));
    }
    if (ok) return {};
    return Outcome(Kind::kFailed, FailureReason::kOther,
                   fmt::format("status {}: {}", response.status,
                               SlackReason(response.content_type, response.body)));
  }
  if (Trim(response.body) == "ok") return {};
  return Outcome(
      Kind::kFailed, FailureReason::kOther,
      fmt::format("status {} with {} instead of \"ok\"", response.status,
                  IsHtml(response.content_type, response.body)
                      ? "an HTML page"
                      : "\"" + SlackReason(response.content_type, response.body) + "\""));
}

std::string Header(const http::ClientResponse& response, const std::string& name) {
  auto it = response.headers.find(name);
  return it == response.headers.end() ? "" : it->second;
}

}  // namespace

std::string_view ReasonLabel(FailureReason reason) {
  switch (reason) {
    case FailureReason::kClientError:
      return "clientError";
    case FailureReason::kServerError:
      return "serverError";
    case FailureReason::kOther:
      break;
  }
  return "other";
}

std::string SlackReason(std::string_view content_type, std::string_view body) {
  if (IsHtml(content_type, body)) return "an HTML page";
  std::string reason;
  if (IsJson(content_type)) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    std::string_view error;
    if (parser.parse(body.data(), body.size()).get(doc) == simdjson::SUCCESS &&
        doc["error"].get(error) == simdjson::SUCCESS) {
      reason = error;
    }
  }
  if (reason.empty()) {
    std::string_view line = Trim(body.substr(0, body.find('\n')));
    reason = line.empty() ? "an empty body" : std::string(line);
  }
  if (reason.size() > kMaxReasonLength) reason = reason.substr(0, kMaxReasonLength) + "...";
  return reason;
}

std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         Clock::time_point now) {
  value = Trim(value);
  int64_t seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && end == value.data() + value.size() && seconds >= 0 && !value.empty()) {
    return std::chrono::seconds(seconds);
  }
  absl::Time date;
  std::string error;
  if (!absl::ParseTime("%a, %d %b %Y %H:%M:%S GMT", std::string(value), &date, &error)) {
    return std::nullopt;
  }
  auto delay = absl::ToChronoTime(date) - now;
  if (delay < std::chrono::milliseconds(0)) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(delay);
}

namespace {

// JudgeResponse, without the note on redirects.
AttemptOutcome JudgeAnswer(std::string_view integration, const Result<http::ClientResponse>& result,
                           std::string_view url, Clock::time_point now) {
  if (!result.ok()) {
    std::string what = Redact(result.status().message(), url);
    bool transient = result.status().code() == Status::Code::kTimeout ||
                     result.status().code() == Status::Code::kIOError;
    return Outcome(transient ? Kind::kRetry : Kind::kFailed, FailureReason::kOther,
                   std::move(what));
  }
  const http::ClientResponse& response = *result;
  int status = response.status;
  if (status >= 200 && status < 300) {
    return integration == "slack" ? JudgeSlackSuccess(response) : AttemptOutcome{};
  }
  std::string said = SlackReason(response.content_type, response.body);
  if (status >= 300 && status < 400) {
    return Outcome(Kind::kFailed, FailureReason::kOther,
                   fmt::format("status {}: a redirect that was not followed", status));
  }
  if (status == 429 || status >= 500) {
    AttemptOutcome outcome = Outcome(
        Kind::kRetry, status == 429 ? FailureReason::kClientError : FailureReason::kServerError,
        fmt::format("status {}: {}", status, said));
    outcome.retry_after = ParseRetryAfter(Header(response, "retry-after"), now);
    return outcome;
  }
  return Outcome(Kind::kFailed, status >= 400 ? FailureReason::kClientError : FailureReason::kOther,
                 fmt::format("status {}: {}", status, said));
}

}  // namespace

AttemptOutcome JudgeResponse(std::string_view integration,
                             const Result<http::ClientResponse>& result, std::string_view url,
                             Clock::time_point now) {
  AttemptOutcome outcome = JudgeAnswer(integration, result, url, now);
  // A webhook URL that redirects is most often a wrong one: an old URL, a proxy's sign-in page.
  if (outcome.kind != Kind::kDelivered && result.ok() && result->redirects > 0) {
    int n = result->redirects;
    outcome.description += fmt::format(" (after {} redirect{})", n, n == 1 ? "" : "s");
  }
  return outcome;
}

}  // namespace argus::notify
