// /federate: the latest sample of every matched series, in the Prometheus text format (or
// OpenMetrics, when the client prefers it), as Prometheus' federation handler writes it.

#include <algorithm>
#include <cstdlib>
#include <map>

#include "api/handlers.h"
#include "api/json_writer.h"
#include "base/metrics.h"
#include "http/gzip.h"
#include "storage/querier.h"

namespace argus::api {
namespace {

// One entry of an Accept or Accept-Encoding header: "type/subtype;name=value;q=0.5".
struct AcceptEntry {
  std::string_view value;  // The media range or coding, without parameters.
  std::map<std::string_view, std::string_view> params;
  double q = 1;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The parts of `s` between the `sep`s.
std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (size_t at = 0;;) {
    size_t next = s.find(sep, at);
    parts.push_back(s.substr(at, next == std::string_view::npos ? next : next - at));
    if (next == std::string_view::npos) return parts;
    at = next + 1;
  }
}

std::vector<AcceptEntry> ParseAccept(std::string_view header) {
  std::vector<AcceptEntry> entries;
  for (std::string_view part : Split(header, ',')) {
    std::vector<std::string_view> fields = Split(part, ';');
    AcceptEntry e{Trim(fields[0]), {}, 1};
    if (e.value.empty()) continue;
    for (size_t i = 1; i < fields.size(); ++i) {
      std::string_view field = Trim(fields[i]);
      size_t eq = field.find('=');
      if (eq == std::string_view::npos) continue;
      std::string_view name = Trim(field.substr(0, eq));
      std::string_view value = Trim(field.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      if (name == "q") {
        e.q = std::strtod(std::string(value).c_str(), nullptr);
      } else {
        e.params[name] = value;
      }
    }
    entries.push_back(e);
  }
  return entries;
}

struct Format {
  bool open_metrics;
  std::string_view content_type;
};

constexpr Format kText{false, "text/plain; version=0.0.4; charset=utf-8"};

// The format of the client libraries' negotiation (Go's NegotiateIncludingOpenMetrics): the
// first acceptable media range by quality, then specificity; text when none is. Prometheus'
// own federation never offers OpenMetrics; a client that prefers it can read it, and Prometheus
// scraping /federate prefers it.
Format Negotiate(std::string_view accept) {
  std::vector<AcceptEntry> entries = ParseAccept(accept);
  auto wildcards = [](const AcceptEntry& e) {
    return static_cast<int>(e.value.starts_with("*/")) + static_cast<int>(e.value.ends_with("/*"));
  };
  std::stable_sort(entries.begin(), entries.end(), [&](const AcceptEntry& a, const AcceptEntry& b) {
    return a.q != b.q ? a.q > b.q : wildcards(a) < wildcards(b);
  });
  for (const AcceptEntry& e : entries) {
    if (e.q <= 0) continue;
    auto it = e.params.find("version");
    std::string_view version = it == e.params.end() ? "" : it->second;
    if (e.value == "text/plain" && (version.empty() || version == "0.0.4")) return kText;
    if (e.value == "application/openmetrics-text") {
      if (version == "1.0.0") {
        return {true, "application/openmetrics-text; version=1.0.0; charset=utf-8"};
      }
      if (version.empty() || version == "0.0.1") {
        return {true, "application/openmetrics-text; version=0.0.1; charset=utf-8"};
      }
    }
  }
  return kText;
}

// Prometheus compresses federation whenever the client takes gzip, however small the body.
bool AcceptsGzip(std::string_view accept_encoding) {
  for (const AcceptEntry& e : ParseAccept(accept_encoding)) {
    if (e.value == "gzip" && e.q > 0) return true;
  }
  return false;
}

Format RequestedFormat(const http::Request& req) {
  auto it = req.headers.find("accept");
  return it == req.headers.end() ? kText : Negotiate(it->second);
}

struct Latest {
  const model::Labels* labels;
  int64_t t;
  double v;
};

void AppendLabel(std::string* out, bool* first, std::string_view name, std::string_view value) {
  *out += *first ? '{' : ',';
  *first = false;
  *out += name;
  *out += "=\"";
  model::AppendEscapedLabelValue(out, value);
  *out += '"';
}

void BadRequest(http::Response* r, std::string_view message) {
  r->status = 400;
  r->body = std::string(message) + "\n";
}

// Writes the federation of `req` into `r`, uncompressed.
void WriteFederation(const Sources& s, const http::Request& req, http::Response* r) {
  std::vector<std::vector<model::Matcher>> sets;
  for (const auto& selector : req.Params("match[]")) {
    auto matchers = promql::ParseMetricSelector(selector);
    if (!matchers.ok()) return BadRequest(r, matchers.status().message());
    sets.push_back(std::move(*matchers));
  }
  int64_t maxt = s.clock->NowMillis();
  auto querier = s.storage->NewQuerier(maxt - s.lookback_delta_ms, maxt);

  // The latest sample of each series within the lookback window; series that several selectors
  // match appear once. Staleness markers cannot be written in the text format: such series are
  // left out, as Prometheus does.
  std::map<model::Labels, std::pair<int64_t, double>> latest;
  for (const auto& matchers : sets) {
    auto set = querier->Select(matchers);
    while (set->Next()) {
      const storage::Series& series = set->At();
      auto it = series.Iterator();
      bool any = false;
      int64_t t = 0;
      double v = 0;
      while (it->Next()) {
        any = true;
        t = it->t();
        v = it->v();
      }
      if (!it->Err().ok()) {
        r->status = 500;
        r->body = it->Err().message() + "\n";
        return;
      }
      if (any && !storage::IsStaleNaN(v)) latest.emplace(series.labels(), std::pair{t, v});
    }
    if (!set->Err().ok()) {
      r->status = 500;
      r->body = set->Err().message() + "\n";
      return;
    }
  }
  std::vector<Latest> samples;
  samples.reserve(latest.size());
  for (const auto& [labels, tv] : latest) {
    if (!labels.MetricName().empty()) samples.push_back({&labels, tv.first, tv.second});
  }
  std::stable_sort(samples.begin(), samples.end(), [](const Latest& a, const Latest& b) {
    return a.labels->MetricName() < b.labels->MetricName();
  });

  // External labels are added where a series lacks them, and instance="" always, as Prometheus
  // does, so that the federating server's honor_labels keeps an absent instance absent.
  model::Labels external;
  if (s.config) external = s.config()->config.global.external_labels;
  std::map<std::string, std::string> added;
  for (const auto& l : external) added.emplace(l.name, l.value);
  added.emplace("instance", "");

  const Format format = RequestedFormat(req);
  r->content_type = format.content_type;
  std::string& out = r->body;
  out.clear();
  std::string_view family;
  for (const Latest& sample : samples) {
    std::string_view name = sample.labels->MetricName();
    if (name != family) {
      family = name;
      out += "# TYPE ";
      out += name;
      out += format.open_metrics ? " unknown\n" : " untyped\n";
    }
    out += name;
    bool first = true;
    for (const auto& l : *sample.labels) {
      if (l.name != model::kMetricName) AppendLabel(&out, &first, l.name, l.value);
    }
    for (const auto& [n, v] : added) {
      if (!sample.labels->Has(n)) AppendLabel(&out, &first, n, v);
    }
    if (!first) out += '}';
    out += ' ';
    AppendFloat(&out, sample.v);
    out += ' ';
    if (format.open_metrics) {
      AppendTimestamp(&out, sample.t);  // Seconds, as OpenMetrics writes them.
    } else {
      out += std::to_string(sample.t);
    }
    out += '\n';
  }
  if (format.open_metrics) out += "# EOF\n";
}

}  // namespace

void Federate(const Sources& s, const http::Request& req, http::Response* r) {
  WriteFederation(s, req, r);
  auto encoding = req.headers.find("accept-encoding");
  if (encoding != req.headers.end() && AcceptsGzip(encoding->second)) {
    r->body = http::Gzip(r->body);
    r->headers["Content-Encoding"] = "gzip";
  }
}

}  // namespace argus::api
