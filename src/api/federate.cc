// /federate: the latest sample of every matched series, in the Prometheus text format, as
// Prometheus' federation handler writes it.

#include <algorithm>
#include <map>

#include "api/handlers.h"
#include "base/metrics.h"
#include "storage/querier.h"

namespace argus::api {
namespace {

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

}  // namespace

void Federate(const Sources& s, const http::Request& req, http::Response* r) {
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

  r->content_type = "text/plain; version=0.0.4; charset=utf-8";
  std::string& out = r->body;
  out.clear();
  std::string_view family;
  for (const Latest& sample : samples) {
    std::string_view name = sample.labels->MetricName();
    if (name != family) {
      family = name;
      out += "# TYPE ";
      out += name;
      out += " untyped\n";
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
    out += std::to_string(sample.t);
    out += '\n';
  }
}

}  // namespace argus::api
