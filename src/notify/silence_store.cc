#include "notify/silence_store.h"

#include <fmt/format.h>

#include <algorithm>

#include "notify/silence_snapshot.h"
#include "tsdb/index/file_io.h"

namespace argus::notify {
namespace {

// Alertmanager's canUpdate: whether `next` may replace `prev` in place at `now_ms`.
bool CanUpdate(const Silence& prev, const Silence& next, int64_t now_ms) {
  if (!SameMatchers(prev.matchers, next.matchers)) return false;
  switch (StateAt(prev, now_ms)) {
    case SilenceState::kActive:
      // Alertmanager compares the starts in whole seconds.
      return next.starts_at_ms / 1000 == prev.starts_at_ms / 1000 && next.ends_at_ms >= now_ms;
    case SilenceState::kPending:
      return next.starts_at_ms >= now_ms;
    case SilenceState::kExpired:
      return false;
  }
  return false;
}

}  // namespace

SilenceStore::SilenceStore(const Clock& clock, std::filesystem::path path,
                           std::chrono::milliseconds retention)
    : clock_(clock),
      path_(std::move(path)),
      retention_(retention),
      random_(std::random_device{}()) {}

Result<std::unique_ptr<SilenceStore>> SilenceStore::Open(const Clock& clock,
                                                         std::filesystem::path path,
                                                         std::chrono::milliseconds retention) {
  std::unique_ptr<SilenceStore> store(new SilenceStore(clock, std::move(path), retention));
  std::error_code ec;
  if (store->path_.empty() || !std::filesystem::exists(store->path_, ec)) return store;
  ARGUS_ASSIGN_OR_RETURN(std::string bytes, tsdb::ReadSmallFile(store->path_));
  auto silences = DecodeSilences(bytes);
  if (!silences.ok()) return silences.status().Wrap(store->path_.string());
  absl::MutexLock lock(&store->mu_);
  for (Silence& s : *silences) store->silences_.emplace(s.id, std::move(s));
  return store;
}

std::string SilenceStore::NewId() {
  // A version 4 UUID: 122 random bits.
  uint64_t high = random_();
  uint64_t low = random_();
  high = (high & ~uint64_t{0xf000}) | 0x4000;
  low = (low & ~(uint64_t{0xc} << 60)) | (uint64_t{0x8} << 60);
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", high >> 32, (high >> 16) & 0xffff,
                     high & 0xffff, low >> 48, low & 0xffffffffffffULL);
}

Status SilenceStore::Put(Silence silence, int64_t now_ms, SilenceMap& next) const {
  silence.updated_at_ms = now_ms;
  ARGUS_RETURN_IF_ERROR(ValidateSilence(silence).Wrap("silence invalid"));
  std::string id = silence.id;
  next.insert_or_assign(std::move(id), std::move(silence));
  return Status::Ok();
}

Status SilenceStore::ExpireIn(std::string_view id, int64_t now_ms, SilenceMap& next) const {
  auto it = next.find(id);
  if (it == next.end()) {
    return Status::Error("silence not found", Status::Code::kNotFound);
  }
  Silence silence = it->second;
  switch (StateAt(silence, now_ms)) {
    case SilenceState::kExpired:
      return Status::Ok();
    case SilenceState::kActive:
      silence.ends_at_ms = now_ms;
      break;
    case SilenceState::kPending:
      silence.starts_at_ms = now_ms;
      silence.ends_at_ms = now_ms;
      break;
  }
  return Put(std::move(silence), now_ms, next);
}

Result<std::string> SilenceStore::Set(Silence silence) {
  const int64_t now_ms = clock_.NowMillis();
  absl::MutexLock lock(&mu_);
  SilenceMap next = silences_;
  if (!silence.id.empty()) {
    auto prev = next.find(silence.id);
    if (prev == next.end()) {
      return Status::Error("silence not found", Status::Code::kNotFound);
    }
    if (CanUpdate(prev->second, silence, now_ms)) {
      ARGUS_RETURN_IF_ERROR(Put(silence, now_ms, next));
      ARGUS_RETURN_IF_ERROR(Persist(next));
      silences_ = std::move(next);
      return silence.id;
    }
    // The change is not allowed in place: the old silence ends, a new one replaces it.
    ARGUS_RETURN_IF_ERROR(ExpireIn(silence.id, now_ms, next));
  }
  silence.id = NewId();
  silence.starts_at_ms = std::max(silence.starts_at_ms, now_ms);
  ARGUS_RETURN_IF_ERROR(Put(silence, now_ms, next));
  ARGUS_RETURN_IF_ERROR(Persist(next));
  silences_ = std::move(next);
  return silence.id;
}

Status SilenceStore::Expire(std::string_view id) {
  const int64_t now_ms = clock_.NowMillis();
  absl::MutexLock lock(&mu_);
  SilenceMap next = silences_;
  ARGUS_RETURN_IF_ERROR(ExpireIn(id, now_ms, next));
  ARGUS_RETURN_IF_ERROR(Persist(next));
  silences_ = std::move(next);
  return Status::Ok();
}

std::optional<Silence> SilenceStore::Get(std::string_view id) const {
  absl::MutexLock lock(&mu_);
  auto it = silences_.find(id);
  if (it == silences_.end()) return std::nullopt;
  return it->second;
}

std::vector<Silence> SilenceStore::List() const {
  absl::MutexLock lock(&mu_);
  std::vector<Silence> out;
  out.reserve(silences_.size());
  for (const auto& [id, silence] : silences_) out.push_back(silence);
  return out;
}

SilenceMatch SilenceStore::Match(const model::Labels& labels) const {
  const int64_t now_ms = clock_.NowMillis();
  SilenceMatch match;
  absl::MutexLock lock(&mu_);
  // By id, so the lists come out sorted.
  for (const auto& [id, silence] : silences_) {
    const SilenceState state = StateAt(silence, now_ms);
    if (state == SilenceState::kExpired || !SilenceMatches(silence, labels)) continue;
    (state == SilenceState::kActive ? match.active_ids : match.pending_ids).push_back(id);
  }
  return match;
}

Result<size_t> SilenceStore::CollectGarbage() {
  const int64_t now_ms = clock_.NowMillis();
  absl::MutexLock lock(&mu_);
  SilenceMap next = silences_;
  const size_t dropped = std::erase_if(next, [&](const auto& entry) {
    return entry.second.ends_at_ms + retention_.count() <= now_ms;
  });
  if (dropped == 0) return size_t{0};
  ARGUS_RETURN_IF_ERROR(Persist(next));
  silences_ = std::move(next);
  return dropped;
}

Status SilenceStore::Persist(const SilenceMap& silences) const {
  if (path_.empty()) return Status::Ok();
  std::vector<Silence> list;
  list.reserve(silences.size());
  for (const auto& [id, silence] : silences) list.push_back(silence);
  std::string bytes;
  EncodeSilences(list, &bytes);
  std::filesystem::path tmp = path_;
  tmp += ".tmp";
  std::error_code ec;
  std::filesystem::remove(tmp, ec);  // Left by a crash while writing.
  ARGUS_RETURN_IF_ERROR(tsdb::WriteFileSynced(tmp, bytes));
  std::filesystem::rename(tmp, path_, ec);
  if (ec) {
    return Status::Errorf(Status::Code::kIOError, "rename {} to {}: {}", tmp.string(),
                          path_.string(), ec.message());
  }
  return tsdb::SyncDir(path_.parent_path().empty() ? "." : path_.parent_path());
}

}  // namespace argus::notify
