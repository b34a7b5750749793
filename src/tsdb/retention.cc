// Retention: deleting the blocks past the retention time or beyond the retention size.

#include <algorithm>

#include "base/log.h"
#include "tsdb/db.h"
#include "tsdb/wal/segments.h"
#include "tsdb/wal/writer.h"

namespace argus::tsdb {

void Db::ApplyRetention() {
  auto blocks = Blocks();
  if (blocks.empty()) return;
  std::vector<std::shared_ptr<const BlockReader>> doomed;
  if (options_.retention_ms > 0) {
    int64_t newest = 0;
    for (const auto& b : blocks) newest = std::max(newest, b->meta().max_time);
    for (const auto& b : blocks) {
      if (b->meta().max_time <= newest - options_.retention_ms) doomed.push_back(b);
    }
    if (!doomed.empty()) time_retentions_.fetch_add(1, std::memory_order_relaxed);
  }
  if (options_.retention_bytes > 0) {
    uint64_t total = wal_ ? wal::SizeBytes(wal_->dir()) : 0;
    for (const auto& b : blocks) {
      if (std::find(doomed.begin(), doomed.end(), b) == doomed.end()) total += b->Size();
    }
    bool deleted = false;
    for (const auto& b : blocks) {  // Oldest first.
      if (total <= options_.retention_bytes) break;
      if (std::find(doomed.begin(), doomed.end(), b) != doomed.end()) continue;
      doomed.push_back(b);
      total -= b->Size();
      deleted = true;
    }
    if (deleted) size_retentions_.fetch_add(1, std::memory_order_relaxed);
  }
  DeleteBlocks(doomed);
}

void Db::DeleteBlocks(const std::vector<std::shared_ptr<const BlockReader>>& doomed) {
  if (doomed.empty()) return;
  {
    absl::MutexLock lock(&blocks_mu_);
    std::erase_if(blocks_, [&](const auto& b) {
      return std::find(doomed.begin(), doomed.end(), b) != doomed.end();
    });
  }
  // Queries that still read a block keep its files mapped; the files go with the last of them.
  for (const auto& b : doomed) {
    std::error_code ec;
    std::filesystem::remove_all(b->dir(), ec);
    if (ec) {
      log::Error("Deleting a block failed", {{"block", b->dir().string()}, {"err", ec.message()}});
    }
  }
}

}  // namespace argus::tsdb
