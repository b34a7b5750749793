#include "collect/sample_writer.h"

#include <absl/strings/string_view.h>

#include "storage/querier.h"

namespace argus::collect {

void SampleWriter::Begin(storage::Appender& app, int64_t t_ms) {
  app_ = &app;
  t_ms_ = t_ms;
  ++generation_;
  samples_ = 0;
  added_ = 0;
  SetScope({});
}

void SampleWriter::AppendKey(std::string_view name, std::string_view value) {
  // 0xff cannot occur in UTF-8, so no two label sets share a key.
  key_ += '\xff';
  key_ += name;
  key_ += '\xff';
  key_ += value;
}

model::Labels SampleWriter::BuildLabels(const MetricDesc& metric,
                                        std::span<const LabelPair> labels) {
  builder_.Reset(target_);
  for (const auto& [name, value] : scope_) builder_.Set(name, value);
  for (const auto& [name, value] : labels) builder_.Set(name, value);
  builder_.Set(model::kMetricName, metric.name);
  return builder_.Build();
}

SampleWriter::ScopeSeries& SampleWriter::CurrentScope() {
  if (scope_series_ == nullptr) {
    key_.clear();
    for (const auto& [name, value] : scope_) AppendKey(name, value);
    auto it = cache_.find(absl::string_view(key_.data(), key_.size()));
    if (it == cache_.end()) it = cache_.emplace(key_, ScopeSeries()).first;
    scope_series_ = &it->second;
  }
  return *scope_series_;
}

void SampleWriter::Add(const MetricDesc& metric, std::span<const LabelPair> labels, double v) {
  ScopeSeries& series = CurrentScope();
  key_.assign(metric.name);
  for (const auto& [name, value] : labels) AppendKey(name, value);
  auto it = series.find(absl::string_view(key_.data(), key_.size()));
  if (it == series.end()) {
    it = series.emplace(key_, Entry{0, BuildLabels(metric, labels), 0}).first;
    if (!metric.help.empty() || metric.type != model::MetricType::kUnknown) {
      auto [meta, inserted] = metadata_.try_emplace(std::string(metric.name));
      if (inserted) meta->second = {std::string(metric.help), metric.type};
    }
  }
  Entry& entry = it->second;
  if (entry.generation == generation_) return;  // Written already: the first value wins.
  entry.generation = generation_;
  ++samples_;
  auto ref = app_->Append(entry.ref, entry.labels, t_ms_, v);
  if (!ref.ok()) return;
  if (entry.ref == 0) ++added_;
  entry.ref = *ref;
}

void SampleWriter::Describe(const MetricDesc& family) {
  auto it = metadata_.find(absl::string_view(family.name.data(), family.name.size()));
  if (it == metadata_.end()) it = metadata_.try_emplace(std::string(family.name)).first;
  if (it->second.help != family.help) it->second.help.assign(family.help);
  it->second.type = family.type;
}

void SampleWriter::End() {
  for (auto scope = cache_.begin(); scope != cache_.end();) {
    ScopeSeries& series = scope->second;
    for (auto it = series.begin(); it != series.end();) {
      const Entry& e = it->second;
      if (e.generation == generation_) {
        ++it;
        continue;
      }
      if (e.generation == generation_ - 1 && e.ref != 0) {
        // Rejections are harmless.
        (void)app_->Append(e.ref, e.labels, t_ms_, storage::StaleNaN());
      }
      series.erase(it++);
    }
    if (series.empty()) {
      cache_.erase(scope++);
    } else {
      ++scope;
    }
  }
  SetScope({});
}

void SampleWriter::MarkAllStale(storage::Appender& app, int64_t t_ms) {
  for (const auto& [scope, series] : cache_) {
    for (const auto& [key, e] : series) {
      if (e.generation == generation_ && e.ref != 0) {
        (void)app.Append(e.ref, e.labels, t_ms, storage::StaleNaN());
      }
    }
  }
  cache_.clear();
  SetScope({});
}

}  // namespace argus::collect
