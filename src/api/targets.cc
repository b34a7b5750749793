// /api/v1/targets, /api/v1/targets/metadata and /api/v1/metadata.

#include <charconv>
#include <map>
#include <set>

#include "api/handlers.h"
#include "api/params.h"
#include "api/response.h"
#include "base/rfc3339.h"
#include "http/url.h"
#include "model/duration.h"
#include "scrape/target.h"

namespace argus::api {
namespace {

const char* HealthName(scrape::Health h) {
  switch (h) {
    case scrape::Health::kUp:
      return "up";
    case scrape::Health::kDown:
      return "down";
    case scrape::Health::kUnknown:
      break;
  }
  return "unknown";
}

// Splits "host:port" or "[v6]:port"; the port is empty when absent.
std::pair<std::string, std::string> SplitHostPort(std::string_view address) {
  if (address.starts_with('[')) {
    size_t close = address.find(']');
    if (close == std::string_view::npos) return {std::string(address), ""};
    std::string_view rest = address.substr(close + 1);
    return {std::string(address.substr(1, close - 1)),
            rest.starts_with(':') ? std::string(rest.substr(1)) : ""};
  }
  size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || address.find(':') != colon)
    return {std::string(address), ""};
  return {std::string(address.substr(0, colon)), std::string(address.substr(colon + 1))};
}

std::string JoinHostPort(const std::string& host, const std::string& port) {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return port.empty() ? h : h + ":" + port;
}

// The URL by which a target on this machine is reached from elsewhere, as Prometheus'
// getGlobalURL: a localhost target on our own port is us, at the external URL; another localhost
// port keeps its port but takes the external host.
std::string GlobalUrl(const std::string& scrape_url, const GlobalUrlOptions& options) {
  auto url = http::ParseUrl(scrape_url);
  if (!url || (url->host != "127.0.0.1" && url->host != "localhost" && url->host != "::1")) {
    return scrape_url;
  }
  std::string port = std::to_string(url->port);
  if (port == SplitHostPort(options.listen_address).second) {
    return options.scheme + "://" + options.host + url->target;
  }
  return url->scheme + "://" + JoinHostPort(SplitHostPort(options.host).first, port) + url->target;
}

void WriteActiveTarget(JsonWriter& w, const std::string& pool, const scrape::TargetStatus& t,
                       const GlobalUrlOptions& global) {
  w.BeginObject();
  w.Key("discoveredLabels");
  w.Labels(t.discovered);
  w.Key("labels");
  w.Labels(scrape::PublicLabels(t.labels));
  w.Key("scrapePool");
  w.String(pool);
  w.Key("scrapeUrl");
  w.String(t.url);
  w.Key("globalUrl");
  w.String(GlobalUrl(t.url, global));
  w.Key("lastError");
  w.String(t.last_error);
  w.Key("lastScrape");
  // Go's zero time for a target not scraped yet.
  w.String(t.last_scrape_ms == 0 ? "0001-01-01T00:00:00Z" : FormatRfc3339(t.last_scrape_ms));
  w.Key("lastScrapeDuration");
  w.Double(t.last_duration_seconds);
  w.Key("health");
  w.String(HealthName(t.health));
  w.Key("scrapeInterval");
  w.String(model::FormatDuration(t.interval));
  w.Key("scrapeTimeout");
  w.String(model::FormatDuration(t.timeout));
  w.EndObject();
}

// Parses a limit of the metadata endpoints: any integer, negative for none.
Result<int64_t> ParseMetadataLimit(std::string_view text, std::string_view name) {
  if (text.empty()) return int64_t{-1};
  int64_t limit = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), limit);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
    return Status::Errorf(Status::Code::kInvalidInput, "{} must be a number", name);
  }
  return limit;
}

void WriteMetadataFields(JsonWriter& w, const scrape::MetricMetadata& m) {
  w.Key("type");
  w.String(model::MetricTypeName(m.type));
  w.Key("help");
  w.String(m.help);
  w.Key("unit");
  w.String(m.unit);
}

bool TargetsAvailable(const Sources& s, http::Response* r) {
  if (s.targets && s.metadata) return true;
  RespondError(r, ErrorType::kUnavailable, "targets are not available");
  return false;
}

}  // namespace

void Targets(const Sources& s, const http::Request& req, http::Response* r) {
  if (!TargetsAvailable(s, r)) return;
  std::string state(req.Param("state"));
  for (char& c : state) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool any = state.empty() || state == "any";
  bool active = any || state == "active", dropped = any || state == "dropped";
  std::string_view pool_filter = req.Param("scrapePool");
  auto jobs = s.targets();  // Sorted by job name.

  SuccessResponse out(r);
  JsonWriter& w = out.writer();
  w.BeginObject();
  w.Key("activeTargets");
  w.BeginArray();
  for (const auto& job : jobs) {
    if (!active || (!pool_filter.empty() && job.job != pool_filter)) continue;
    for (const auto& t : job.active) WriteActiveTarget(w, job.job, t, s.global_url);
  }
  w.EndArray();
  w.Key("droppedTargets");
  w.BeginArray();
  for (const auto& job : jobs) {
    if (!dropped || (!pool_filter.empty() && job.job != pool_filter)) continue;
    for (const auto& t : job.dropped) {
      w.BeginObject();
      w.Key("discoveredLabels");
      w.Labels(t.discovered);
      w.EndObject();
    }
  }
  w.EndArray();
  w.Key("droppedTargetCounts");
  w.BeginObject();
  for (const auto& job : jobs) {
    if (!pool_filter.empty() && job.job != pool_filter) continue;
    w.Key(job.job);
    w.Int(static_cast<int64_t>(job.dropped.size()));
  }
  w.EndObject();
  w.EndObject();
  out.Finish();
}

void TargetsMetadata(const Sources& s, const http::Request& req, http::Response* r) {
  if (!TargetsAvailable(s, r)) return;
  auto limit = ParseMetadataLimit(req.Param("limit"), "limit");
  if (!limit.ok()) return RespondBadData(r, limit.status());
  std::vector<model::Matcher> matchers;
  if (std::string_view match = req.Param("match_target"); !match.empty()) {
    auto parsed = promql::ParseMetricSelector(match);
    if (!parsed.ok())
      return RespondBadData(r, InvalidParam("match_target", parsed.status().message()));
    matchers = std::move(*parsed);
  }
  std::string_view metric = req.Param("metric");
  SuccessResponse out(r);
  JsonWriter& w = out.writer();
  w.BeginArray();
  int64_t written = 0;
  for (const auto& target : s.metadata()) {
    if (*limit >= 0 && written >= *limit) break;
    bool selected = true;
    for (const auto& m : matchers) selected = selected && m.Matches(target.labels.Get(m.name()));
    if (!selected) continue;
    for (const auto& m : target.metadata) {
      if (!metric.empty() && m.metric != metric) continue;
      w.BeginObject();
      w.Key("target");
      w.Labels(target.labels);
      // With a metric given, Prometheus leaves its name out.
      if (metric.empty()) {
        w.Key("metric");
        w.String(m.metric);
      }
      WriteMetadataFields(w, m);
      w.EndObject();
      ++written;
    }
  }
  w.EndArray();
  out.Finish();
}

void Metadata(const Sources& s, const http::Request& req, http::Response* r) {
  if (!TargetsAvailable(s, r)) return;
  auto limit = ParseMetadataLimit(req.Param("limit"), "limit");
  if (!limit.ok()) return RespondBadData(r, limit.status());
  auto per_metric = ParseMetadataLimit(req.Param("limit_per_metric"), "limit_per_metric");
  if (!per_metric.ok()) return RespondBadData(r, per_metric.status());
  std::string_view metric = req.Param("metric");

  // Distinct (type, help, unit) per metric over all targets, metrics in name order.
  using Fields = std::tuple<model::MetricType, std::string, std::string>;
  std::map<std::string, std::set<Fields>> metrics;
  for (const auto& target : s.metadata()) {
    for (const auto& m : target.metadata) {
      if (!metric.empty() && m.metric != metric) continue;
      auto& set = metrics[m.metric];
      if (*per_metric > 0 && static_cast<int64_t>(set.size()) >= *per_metric) continue;
      set.emplace(m.type, m.help, m.unit);
    }
  }
  SuccessResponse out(r);
  JsonWriter& w = out.writer();
  w.BeginObject();
  int64_t written = 0;
  for (const auto& [name, set] : metrics) {
    if (*limit >= 0 && written++ >= *limit) break;
    w.Key(name);
    w.BeginArray();
    for (const auto& [type, help, unit] : set) {
      w.BeginObject();
      WriteMetadataFields(w, {name, type, help, unit});
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  out.Finish();
}

}  // namespace argus::api
