#include "notify/inhibit_rules.h"

#include "notify/alert_store.h"
#include "notify/render_data.h"
#include "notify/route_tree.h"

namespace argus::notify {

Inhibitor::Inhibitor(std::vector<config::InhibitRule> rules) {
  absl::MutexLock lock(&mu_);
  for (config::InhibitRule& rule : rules) rules_.push_back(Rule{std::move(rule), {}});
}

std::string Inhibitor::EqualKey(const Rule& rule, const model::Labels& labels) {
  std::string key;
  for (const std::string& name : rule.config.equal) {
    key += labels.Get(name);
    key += '\xff';  // Never in a valid UTF-8 value.
  }
  return key;
}

void Inhibitor::Observe(const model::Alert& alert) {
  absl::MutexLock lock(&mu_);
  for (Rule& rule : rules_) {
    if (!AllMatch(rule.config.source_matchers, alert.labels)) continue;
    rule.sources[EqualKey(rule, alert.labels)][AlertFingerprint(alert.labels)] =
        Source{alert.ends_at_ms, AllMatch(rule.config.target_matchers, alert.labels)};
  }
}

std::optional<uint64_t> Inhibitor::InhibitedBy(const model::Labels& labels, int64_t now_ms) const {
  absl::MutexLock lock(&mu_);
  for (const Rule& rule : rules_) {
    if (!AllMatch(rule.config.target_matchers, labels)) continue;
    auto bucket = rule.sources.find(EqualKey(rule, labels));
    if (bucket == rule.sources.end()) continue;
    // A target that is a source too is muted only by sources that are not targets.
    const bool two_sided = AllMatch(rule.config.source_matchers, labels);
    for (const auto& [fp, source] : bucket->second) {
      if (EndedBy(source.ends_at_ms, now_ms)) continue;
      if (two_sided && source.matches_target) continue;
      return fp;
    }
  }
  return std::nullopt;
}

void Inhibitor::CollectGarbage(int64_t now_ms) {
  absl::MutexLock lock(&mu_);
  for (Rule& rule : rules_) {
    for (auto bucket = rule.sources.begin(); bucket != rule.sources.end();) {
      std::erase_if(bucket->second,
                    [&](const auto& entry) { return EndedBy(entry.second.ends_at_ms, now_ms); });
      if (bucket->second.empty()) {
        rule.sources.erase(bucket++);
      } else {
        ++bucket;
      }
    }
  }
}

}  // namespace argus::notify
