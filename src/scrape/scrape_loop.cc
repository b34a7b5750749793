#include "scrape/scrape_loop.h"

#include <xxhash.h>

#include <cstdlib>

#include "model/relabel.h"
#include "storage/querier.h"

namespace argus::scrape {
namespace {

// A limit error quotes the metric name, label name or value that broke the limit, cut to this many
// bytes: enough to find the series, while a value of megabytes does not make a message of
// megabytes.
constexpr size_t kQuotedBytesInLimitError = 50;

constexpr std::array<const char*, 5> kReportNames = {
    "up", "scrape_duration_seconds", "scrape_samples_scraped",
    "scrape_samples_post_metric_relabeling", "scrape_series_added"};

}  // namespace

int64_t AlignedScrapeTime(int64_t now_ms, int64_t previous_ms, std::chrono::milliseconds interval) {
  if (previous_ms == 0 || interval.count() <= 100 * kScrapeTimestampToleranceMs) return now_ms;
  int64_t slot = previous_ms + interval.count();
  return std::abs(now_ms - slot) <= kScrapeTimestampToleranceMs ? slot : now_ms;
}

ScrapeLoop::ScrapeLoop(TargetLabels target, std::shared_ptr<const config::ScrapeConfig> config,
                       storage::Appendable& storage, ScrapeMetrics& metrics)
    : config_(std::move(config)),
      storage_(storage),
      metrics_(metrics),
      target_(std::move(target)),
      public_labels_(PublicLabels(target_.labels)),
      url_(ScrapeUrl(target_.labels)),
      interval_(TargetInterval(target_.labels, *config_)),
      timeout_(TargetTimeout(target_.labels, *config_)) {
  for (size_t i = 0; i < kReportNames.size(); ++i) {
    model::LabelsBuilder b(public_labels_);
    b.Set(model::kMetricName, kReportNames[i]);
    report_labels_[i] = b.Build();
  }
}

std::vector<MetricMetadata> ScrapeLoop::Metadata() const {
  absl::MutexLock lock(&mu_);
  return metadata_.List();
}

TargetStatus ScrapeLoop::Status() const {
  absl::MutexLock lock(&mu_);
  return {target_.labels,  target_.discovered, url_,      health_, last_error_,
          last_scrape_ms_, last_duration_,     interval_, timeout_};
}

argus::Status ScrapeLoop::CheckLimits(const model::Labels& labels) const {
  const config::ScrapeConfig& c = *config_;
  std::string_view metric = labels.MetricName().substr(0, kQuotedBytesInLimitError);
  if (c.label_limit > 0 && labels.size() > c.label_limit) {
    return argus::Status::Errorf(argus::Status::Code::kLimitExceeded,
                                 "label_limit exceeded (metric: {}, number of labels: {}, limit: "
                                 "{})",
                                 metric, labels.size(), c.label_limit);
  }
  for (const auto& l : labels) {
    if (c.label_name_length_limit > 0 && l.name.size() > c.label_name_length_limit) {
      return argus::Status::Errorf(argus::Status::Code::kLimitExceeded,
                                   "label_name_length_limit exceeded (metric: {}, label name: {}, "
                                   "length: {}, limit: {})",
                                   metric, l.name.substr(0, kQuotedBytesInLimitError),
                                   l.name.size(), c.label_name_length_limit);
    }
    if (c.label_value_length_limit > 0 && l.value.size() > c.label_value_length_limit) {
      return argus::Status::Errorf(argus::Status::Code::kLimitExceeded,
                                   "label_value_length_limit exceeded (metric: {}, label name: {}, "
                                   "value: {}, length: {}, limit: {})",
                                   metric, l.name, l.value.substr(0, kQuotedBytesInLimitError),
                                   l.value.size(), c.label_value_length_limit);
    }
  }
  return argus::Status::Ok();
}

argus::Status ScrapeLoop::DecodeSeries(const textparse::Parser& parser, CacheEntry* entry,
                                       model::Labels* labels) {
  model::LabelsBuilder b;
  parser.Labels(&b);
  ARGUS_RETURN_IF_ERROR(textparse::CheckSeriesLabels(b));
  if (config_->honor_labels) {
    for (const auto& l : public_labels_) {
      if (b.Get(l.name).empty()) b.Set(l.name, l.value);
    }
  } else {
    // A label of the sample that the target also sets is kept as exported_<name>.
    for (const auto& l : public_labels_) {
      std::string exposed(b.Get(l.name));
      if (!exposed.empty()) {
        std::string name = "exported_" + l.name;
        while (!b.Get(name).empty() || public_labels_.Has(name)) name = "exported_" + name;
        b.Set(name, exposed);
      }
      b.Set(l.name, l.value);
    }
  }
  entry->dropped =
      !model::Relabel(config_->metric_relabel_configs, &b) || b.Get(model::kMetricName).empty();
  if (entry->dropped) return argus::Status::Ok();
  *labels = b.Build();
  return CheckLimits(*labels);
}

argus::Status ScrapeLoop::AppendSample(storage::Appender& app, const textparse::Parser& parser,
                                       CacheEntry* entry, model::Labels* labels, int64_t t,
                                       Counts* counts) {
  int64_t ts = config_->honor_timestamps ? parser.TimestampMs().value_or(t) : t;
  auto ref = app.Append(entry->ref, *labels, ts, parser.Value());
  if (!ref.ok() && ref.status().code() == argus::Status::Code::kNotFound && labels->empty()) {
    // The storage dropped the series while the target did not write it; it starts anew.
    entry->ref = 0;
    ARGUS_RETURN_IF_ERROR(DecodeSeries(parser, entry, labels));
    ref = app.Append(0, *labels, ts, parser.Value());
  }
  if (!ref.ok()) {
    switch (ref.status().code()) {
      case argus::Status::Code::kOutOfOrder:
        metrics_.out_of_order.Inc();
        return argus::Status::Ok();
      case argus::Status::Code::kDuplicate:
        metrics_.duplicate_timestamp.Inc();
        return argus::Status::Ok();
      case argus::Status::Code::kOutOfBounds:
        metrics_.out_of_bounds.Inc();
        return argus::Status::Ok();
      default:
        return ref.status();
    }
  }
  if (entry->ref == 0) ++counts->added;
  entry->ref = *ref;
  return argus::Status::Ok();
}

argus::Status ScrapeLoop::AppendBody(storage::Appender& app, const Fetched& fetched, int64_t t,
                                     Counts* counts) {
  auto parser =
      textparse::NewParser(textparse::FormatFromContentType(fetched.content_type), fetched.body);
  model::Labels labels;  // The current series' labels where they were decoded, else empty.
  for (textparse::Entry e; (e = parser->Next()) != textparse::Entry::kEof;) {
    switch (e) {
      case textparse::Entry::kError:
        return parser->Err().Wrap("parse error");
      case textparse::Entry::kType:
        metadata_.SetType(parser->FamilyName(), parser->Type());
        continue;
      case textparse::Entry::kHelp:
        metadata_.SetHelp(parser->FamilyName(), parser->Text());
        continue;
      case textparse::Entry::kUnit:
        metadata_.SetUnit(parser->FamilyName(), parser->Text());
        continue;
      case textparse::Entry::kSeries:
        break;
      default:
        continue;
    }
    ++counts->scraped;
    std::string_view series = parser->Series();
    XXH128_hash_t hash = XXH3_128bits(series.data(), series.size());
    auto [it, is_new] = cache_.try_emplace(SeriesKey{hash.low64, hash.high64});
    CacheEntry& entry = it->second;
    // A series the storage has not accepted yet (new, or its first samples were rejected) needs
    // its labels; known ones go by ref alone.
    labels = model::Labels();
    if (entry.ref == 0 && !entry.dropped) {
      argus::Status decoded = DecodeSeries(*parser, &entry, &labels);
      if (!decoded.ok()) {
        if (is_new) cache_.erase(it);
        return decoded;
      }
    }
    entry.seen_now = true;
    if (entry.dropped) continue;
    ++counts->kept;
    if (config_->sample_limit > 0 && counts->kept > static_cast<double>(config_->sample_limit)) {
      metrics_.exceeded_sample_limit.Inc();
      return argus::Status::Errorf(argus::Status::Code::kLimitExceeded,
                                   "sample limit exceeded: more than {} samples",
                                   config_->sample_limit);
    }
    ARGUS_RETURN_IF_ERROR(AppendSample(app, *parser, &entry, &labels, t, counts));
  }
  return argus::Status::Ok();
}

void ScrapeLoop::AppendStaleMarkers(storage::Appender& app, int64_t t, bool all) {
  for (auto it = cache_.begin(); it != cache_.end();) {
    CacheEntry& e = it->second;
    if (e.seen_now && !all) {
      e.last_seen = iteration_ + 1;
      e.seen_now = false;
      ++it;
      continue;
    }
    if (iteration_ > 0 && e.last_seen == iteration_ && !e.dropped && e.ref != 0) {
      // Rejections are harmless: a series the storage no longer knows needs no marker.
      (void)app.Append(e.ref, model::Labels(), t, storage::StaleNaN());
    }
    cache_.erase(it++);
  }
}

void ScrapeLoop::AppendReport(storage::Appender& app, int64_t t, bool up, double duration,
                              const Counts& counts) {
  const double values[] = {up ? 1.0 : 0.0, duration, counts.scraped, counts.kept, counts.added};
  for (size_t i = 0; i < report_labels_.size(); ++i) {
    auto ref = app.Append(report_refs_[i], report_labels_[i], t, values[i]);
    if (ref.ok()) report_refs_[i] = *ref;
  }
  reported_ = true;
}

void ScrapeLoop::Report(int64_t start_ms, double duration_seconds, Result<Fetched> fetched) {
  absl::MutexLock lock(&mu_);
  metrics_.scrapes.Inc();
  Counts counts;
  argus::Status status = fetched.status();
  if (status.ok()) {
    auto app = storage_.NewAppender();
    status = AppendBody(*app, *fetched, start_ms, &counts);
    if (status.ok()) {
      AppendStaleMarkers(*app, start_ms, /*all=*/false);
      status = app->Commit();
    } else {
      app->Rollback();
    }
  }
  auto app = storage_.NewAppender();
  if (status.ok()) {
    ++iteration_;
    metadata_.EndScrape();
  } else {
    if (status.code() == argus::Status::Code::kBodyTooLarge) {
      metrics_.exceeded_body_size_limit.Inc();
    }
    metrics_.failed_scrapes.Inc();
    // As Prometheus: a failed scrape marks every series of the last good one stale.
    AppendStaleMarkers(*app, start_ms, /*all=*/true);
    counts = {};
  }
  AppendReport(*app, start_ms, status.ok(), duration_seconds, counts);
  (void)app->Commit();
  health_ = status.ok() ? Health::kUp : Health::kDown;
  last_error_ = status.ok() ? "" : status.message();
  last_scrape_ms_ = start_ms;
  last_duration_ = duration_seconds;
}

void ScrapeLoop::MarkStale(int64_t t_ms) {
  absl::MutexLock lock(&mu_);
  auto app = storage_.NewAppender();
  AppendStaleMarkers(*app, t_ms, /*all=*/true);
  if (reported_) {
    for (size_t i = 0; i < report_labels_.size(); ++i) {
      (void)app->Append(report_refs_[i], report_labels_[i], t_ms, storage::StaleNaN());
    }
  }
  (void)app->Commit();
}

}  // namespace argus::scrape
