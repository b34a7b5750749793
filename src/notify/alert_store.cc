#include "notify/alert_store.h"

#include <string_view>

#include "base/utf8.h"

namespace argus::notify {

bool IsValidUtf8(std::string_view s) {
  while (!s.empty()) {
    const size_t n = Utf8SequenceLength(s);
    if (n == 0) return false;
    s.remove_prefix(n);
  }
  return true;
}

namespace {

Status ValidateLabelSet(const model::Labels& labels) {
  for (const model::Label& l : labels) {
    if (!model::IsValidLabelName(l.name)) {
      return Status::Errorf(Status::Code::kInvalidInput, "invalid name \"{}\"", l.name);
    }
    if (!IsValidUtf8(l.value)) {
      return Status::Errorf(Status::Code::kInvalidInput, "invalid value \"{}\"", l.value);
    }
  }
  return Status::Ok();
}

// Whether `t` lies strictly inside (start, end).
bool Inside(int64_t t, int64_t start, int64_t end) { return t > start && t < end; }

}  // namespace

bool LabelSetBefore(const model::Labels& a, const model::Labels& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  // Walks both sorted sets as one merged list of names.
  auto ia = a.begin(), ib = b.begin();
  while (ia != a.end() && ib != b.end()) {
    if (ia->name != ib->name) return ia->name > ib->name;  // b has the smaller name; a lacks it.
    if (ia->value != ib->value) return ia->value < ib->value;
    ++ia;
    ++ib;
  }
  return false;
}

bool AlertBefore(const model::Alert& a, const model::Alert& b) {
  for (std::string_view name : {"job", "instance"}) {
    const bool a_has = a.labels.Has(name), b_has = b.labels.Has(name);
    if (!a_has && !b_has) continue;
    if (!a_has) return false;
    if (!b_has) return true;
    if (a.labels.Get(name) != b.labels.Get(name)) return a.labels.Get(name) < b.labels.Get(name);
  }
  return LabelSetBefore(a.labels, b.labels);
}

Status ValidateAlert(const model::Alert& alert) {
  if (alert.starts_at_ms == 0) {
    return Status::Error("start time missing", Status::Code::kInvalidInput);
  }
  if (alert.ends_at_ms != 0 && alert.ends_at_ms < alert.starts_at_ms) {
    return Status::Error("start time must be before end time", Status::Code::kInvalidInput);
  }
  if (Status s = ValidateLabelSet(alert.labels); !s.ok()) return s.Wrap("invalid label set");
  if (alert.labels.empty()) {
    return Status::Error("at least one label pair required", Status::Code::kInvalidInput);
  }
  if (Status s = ValidateLabelSet(alert.annotations); !s.ok()) {
    return s.Wrap("invalid annotations");
  }
  return Status::Ok();
}

StoredAlert Receive(model::Alert alert, int64_t now_ms, std::chrono::milliseconds resolve_timeout) {
  StoredAlert stored;
  stored.updated_at_ms = now_ms;
  if (alert.starts_at_ms == 0) {
    alert.starts_at_ms = alert.ends_at_ms != 0 ? alert.ends_at_ms : now_ms;
  }
  if (alert.ends_at_ms == 0) {
    stored.timeout = true;
    alert.ends_at_ms = now_ms + resolve_timeout.count();
  }
  stored.alert = std::move(alert);
  return stored;
}

StoredAlert Merge(const StoredAlert& a, const StoredAlert& b, int64_t now_ms) {
  // `younger` wins ties: an update at the same time replaces what was known.
  const bool b_younger = b.updated_at_ms >= a.updated_at_ms;
  const StoredAlert& younger = b_younger ? b : a;
  const StoredAlert& older = b_younger ? a : b;
  StoredAlert merged = younger;
  if (older.alert.starts_at_ms < younger.alert.starts_at_ms) {
    merged.alert.starts_at_ms = older.alert.starts_at_ms;
  }
  if (ResolvedAt(younger.alert, now_ms)) {
    // Both resolved: the later explicit end wins.
    if (ResolvedAt(older.alert, now_ms) && older.alert.ends_at_ms > younger.alert.ends_at_ms) {
      merged.alert.ends_at_ms = older.alert.ends_at_ms;
    }
  } else if (older.alert.ends_at_ms > younger.alert.ends_at_ms && !older.timeout) {
    // An end a sender gave rules when it is the later one.
    merged.alert.ends_at_ms = older.alert.ends_at_ms;
  }
  return merged;
}

StoredAlert AlertStore::Put(StoredAlert alert, int64_t now_ms) {
  const uint64_t fp = alert.alert.labels.Hash();
  absl::MutexLock lock(&mu_);
  auto it = alerts_.find(fp);
  if (it == alerts_.end()) {
    return alerts_.emplace(fp, std::move(alert)).first->second;
  }
  const model::Alert& old = it->second.alert;
  // Only an update that overlaps the known activity continues it; another starts afresh.
  if (Inside(alert.alert.ends_at_ms, old.starts_at_ms, old.ends_at_ms) ||
      Inside(alert.alert.starts_at_ms, old.starts_at_ms, old.ends_at_ms)) {
    alert = Merge(it->second, alert, now_ms);
  }
  it->second = std::move(alert);
  return it->second;
}

std::optional<StoredAlert> AlertStore::Get(uint64_t fingerprint) const {
  absl::MutexLock lock(&mu_);
  auto it = alerts_.find(fingerprint);
  if (it == alerts_.end()) return std::nullopt;
  return it->second;
}

std::vector<StoredAlert> AlertStore::List() const {
  absl::MutexLock lock(&mu_);
  std::vector<StoredAlert> out;
  out.reserve(alerts_.size());
  for (const auto& [fp, alert] : alerts_) out.push_back(alert);
  return out;
}

std::vector<StoredAlert> AlertStore::CollectGarbage(int64_t now_ms) {
  absl::MutexLock lock(&mu_);
  std::vector<StoredAlert> removed;
  for (auto it = alerts_.begin(); it != alerts_.end();) {
    if (ResolvedAt(it->second.alert, now_ms)) {
      removed.push_back(std::move(it->second));
      alerts_.erase(it++);
    } else {
      ++it;
    }
  }
  return removed;
}

size_t AlertStore::size() const {
  absl::MutexLock lock(&mu_);
  return alerts_.size();
}

}  // namespace argus::notify
