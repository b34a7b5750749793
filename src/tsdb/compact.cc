// The database's background work: cutting the head into blocks and merging blocks into larger
// ones (retention is in retention.cc).

#include <algorithm>
#include <numeric>

#include "base/log.h"
#include "tsdb/chunkenc/chunk.h"
#include "tsdb/db.h"
#include "tsdb/index/block_writer.h"

namespace argus::tsdb {
namespace {

constexpr int64_t kMaxBlockRangeMs = int64_t{31} * 24 * 3600 * 1000;

// The labels of a series as one string that sorts as the labels do: names and values joined by
// NUL bytes, the bytes 0 and 1 inside them escaped as 1 1 and 1 2, which keeps their order.
std::string SortKey(const model::LabelsBuilder& labels) {
  std::string key;
  for (size_t i = 0; i < labels.size(); ++i) {
    for (const std::string* s : {&labels[i].name, &labels[i].value}) {
      for (char c : *s) {
        if (c == '\0' || c == '\1') {
          key.push_back('\1');
          key.push_back(static_cast<char>(c + 1));
        } else {
          key.push_back(c);
        }
      }
      key.push_back('\0');
    }
  }
  return key;
}

// Cuts `t`/`v` into chunks of at most kTargetChunkSamples samples.
Status EncodeChunks(std::span<const int64_t> t, std::span<const double> v,
                    std::vector<std::string>* encoded, std::vector<ChunkData>* chunks) {
  encoded->clear();
  chunks->clear();
  size_t count = (t.size() + kTargetChunkSamples - 1) / kTargetChunkSamples;
  encoded->resize(count);
  for (size_t i = 0; i < count; ++i) {
    size_t begin = i * kTargetChunkSamples;
    size_t n = std::min<size_t>(kTargetChunkSamples, t.size() - begin);
    ARGUS_RETURN_IF_ERROR(EncodeChunk(t.subspan(begin, n), v.subspan(begin, n), &(*encoded)[i]));
  }
  for (size_t i = 0; i < count; ++i) {
    size_t begin = i * kTargetChunkSamples;
    size_t n = std::min<size_t>(kTargetChunkSamples, t.size() - begin);
    chunks->push_back({t[begin], t[begin + n - 1], (*encoded)[i]});
  }
  return Status::Ok();
}

}  // namespace

Status Db::Compact() {
  absl::MutexLock lock(&compact_mu_);
  const int64_t range = options_.block_range_ms;
  bool head_compacted = false;
  while (head_->MaxTime() != INT64_MIN && head_->MaxTime() - head_->MinTime() > range * 3 / 2) {
    int64_t mint = BlockStart(head_->MinTime(), range);
    ARGUS_RETURN_IF_ERROR(CompactHead(mint, mint + range));
    head_compacted = true;
  }
  ARGUS_RETURN_IF_ERROR(CompactBlocks());
  ApplyRetention();
  return head_compacted || SnapshotDue() ? SnapshotLocked() : Status::Ok();
}

Status Db::FlushHead() {
  absl::MutexLock lock(&compact_mu_);
  while (head_->MaxTime() != INT64_MIN) {
    int64_t mint = BlockStart(head_->MinTime(), options_.block_range_ms);
    ARGUS_RETURN_IF_ERROR(CompactHead(mint, mint + options_.block_range_ms));
  }
  return Status::Ok();
}

Status Db::CompactHead(int64_t mint, int64_t maxt) {
  struct Entry {
    std::string key;
    storage::SeriesRef id;
    std::vector<std::shared_ptr<const SealedChunk>> chunks;
    std::vector<storage::SamplePoint> out_of_order;
  };
  std::vector<Entry> entries;
  model::LabelsBuilder builder;
  head_->ForEachSealedChunk(
      mint, maxt,
      [&](storage::SeriesRef id, std::span<const std::shared_ptr<const SealedChunk>> chunks,
          std::span<const storage::SamplePoint> out_of_order) {
        if (!head_->index().SeriesLabels(id, builder).ok()) return;
        entries.push_back({SortKey(builder),
                           id,
                           {chunks.begin(), chunks.end()},
                           {out_of_order.begin(), out_of_order.end()}});
      });
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.key < b.key; });
  if (!entries.empty()) {
    Ulid ulid = ulids_.Next();
    auto writer = BlockWriter::Create(dir_, ulid);
    if (!writer.ok()) return Failed(writer.status());
    BlockMeta meta;
    meta.min_time = mint;
    meta.max_time = maxt;
    meta.compaction_sources = {ulid};
    std::vector<ChunkData> chunks;
    std::vector<std::string> encoded;
    std::vector<int64_t> t, all_t;
    std::vector<double> v, all_v;
    for (Entry& e : entries) {
      e.key = std::string();  // Sorted already; the memory goes back as the block grows.
      chunks.clear();
      if (e.out_of_order.empty()) {
        for (const auto& c : e.chunks) {
          chunks.push_back({c->min_time, c->max_time, c->bytes});
          meta.num_samples += c->num_samples;
        }
      } else {
        // Late samples go among the chunks' ones, which win at equal timestamps.
        all_t.clear();
        all_v.clear();
        for (const auto& c : e.chunks) {
          Status decoded = DecodeChunk(c->bytes, &t, &v);
          if (!decoded.ok()) return Failed(decoded);
          all_t.insert(all_t.end(), t.begin(), t.end());
          all_v.insert(all_v.end(), v.begin(), v.end());
        }
        t.clear();
        v.clear();
        for (const storage::SamplePoint& s : e.out_of_order) {
          t.push_back(s.t);
          v.push_back(s.v);
        }
        MergeSamples(t, v, &all_t, &all_v);
        Status s = EncodeChunks(all_t, all_v, &encoded, &chunks);
        if (!s.ok()) return Failed(s);
        meta.num_samples += all_t.size();
      }
      if (!head_->index().SeriesLabels(e.id, builder).ok()) continue;
      Status added = (*writer)->AddSeries(builder.Build(), chunks);
      if (!added.ok()) return Failed(added);
    }
    auto path = (*writer)->Finish(meta);
    if (!path.ok()) return Failed(path.status());
    ARGUS_RETURN_IF_ERROR(AddBlock(*path));
    for (const Entry& e : entries) {
      if (e.out_of_order.empty()) continue;
      t.clear();
      for (const storage::SamplePoint& s : e.out_of_order) t.push_back(s.t);
      head_->RemoveOutOfOrder(e.id, t);
    }
  }
  // The WAL keeps what the block now holds until the snapshot at the end of this round.
  head_->Truncate(maxt);
  return Status::Ok();
}

Status Db::Failed(Status error) {
  compactions_failed_.fetch_add(1, std::memory_order_relaxed);
  return error.Wrap("compaction");
}

Status Db::AddBlock(const std::filesystem::path& path) {
  auto block = BlockReader::Open(path);
  if (!block.ok()) return Failed(block.status().Wrap("reading the block just written"));
  compactions_.fetch_add(1, std::memory_order_relaxed);
  log::Info("Block written", {{"block", path.filename().string()},
                              {"min_time", (*block)->meta().min_time},
                              {"max_time", (*block)->meta().max_time},
                              {"series", (*block)->meta().num_series},
                              {"samples", (*block)->meta().num_samples}});
  absl::MutexLock lock(&blocks_mu_);
  blocks_.push_back(std::move(*block));
  std::sort(blocks_.begin(), blocks_.end(), BlockOrder);
  return Status::Ok();
}

Status Db::CompactBlocks() {
  int64_t max_range = options_.retention_ms > 0
                          ? std::min(kMaxBlockRangeMs, options_.retention_ms / 10)
                          : kMaxBlockRangeMs;
  for (;;) {
    std::vector<std::shared_ptr<const BlockReader>> group = PlanCompaction(max_range);
    if (group.size() < 2) return Status::Ok();
    ARGUS_RETURN_IF_ERROR(MergeBlocks(group));
  }
}

std::vector<std::shared_ptr<const BlockReader>> Db::PlanCompaction(int64_t max_range) const {
  auto blocks = Blocks();
  if (blocks.size() < 2) return {};
  // Overlapping blocks (an import into a live range) are merged first, whatever their level.
  for (size_t i = 0; i + 1 < blocks.size(); ++i) {
    std::vector<std::shared_ptr<const BlockReader>> group = {blocks[i]};
    int64_t end = blocks[i]->meta().max_time;
    for (size_t j = i + 1; j < blocks.size() && blocks[j]->meta().min_time < end; ++j) {
      group.push_back(blocks[j]);
      end = std::max(end, blocks[j]->meta().max_time);
    }
    if (group.size() > 1) return group;
  }
  // Then blocks that together fill a range of the next level, once a later block shows the range
  // is complete.
  int64_t newest = blocks.back()->meta().max_time;
  for (int64_t range = options_.block_range_ms * 3; range <= max_range; range *= 3) {
    for (size_t i = 0; i < blocks.size();) {
      int64_t start = BlockStart(blocks[i]->meta().min_time, range);
      std::vector<std::shared_ptr<const BlockReader>> group;
      size_t j = i;
      for (; j < blocks.size() && blocks[j]->meta().max_time <= start + range; ++j) {
        if (blocks[j]->meta().min_time < start) break;
        group.push_back(blocks[j]);
      }
      if (group.size() > 1 && start + range <= newest) return group;
      i = std::max(j, i + 1);
    }
  }
  return {};
}

Status Db::MergeBlocks(const std::vector<std::shared_ptr<const BlockReader>>& group) {
  Ulid ulid = ulids_.Next();
  auto writer = BlockWriter::Create(dir_, ulid);
  if (!writer.ok()) return Failed(writer.status());
  BlockMeta meta;
  meta.min_time = INT64_MAX;
  meta.max_time = INT64_MIN;
  for (const auto& b : group) {
    meta.min_time = std::min(meta.min_time, b->meta().min_time);
    meta.max_time = std::max(meta.max_time, b->meta().max_time);
    meta.compaction_level = std::max(meta.compaction_level, b->meta().compaction_level + 1);
    meta.compaction_sources.insert(meta.compaction_sources.end(),
                                   b->meta().compaction_sources.begin(),
                                   b->meta().compaction_sources.end());
    meta.compaction_parents.push_back({b->meta().ulid, b->meta().min_time, b->meta().max_time});
  }
  std::sort(meta.compaction_sources.begin(), meta.compaction_sources.end());

  // A cursor per block over its series, which are in label order.
  struct Cursor {
    const BlockReader* block;
    SeriesId next = 0;
    model::LabelsBuilder builder;
    model::Labels labels;
    std::vector<ChunkMeta> chunks;
    bool valid = false;
  };
  std::vector<Cursor> cursors(group.size());
  auto advance = [](Cursor& c) -> Status {
    c.valid = c.next < c.block->meta().num_series;
    if (!c.valid) return Status::Ok();
    ARGUS_RETURN_IF_ERROR(c.block->Series(c.next++, c.builder, c.chunks));
    c.labels = c.builder.Build();
    return Status::Ok();
  };
  for (size_t i = 0; i < group.size(); ++i) {
    cursors[i].block = group[i].get();
    Status s = advance(cursors[i]);
    if (!s.ok()) return Failed(s);
  }
  std::vector<int64_t> t, all_t, chunk_t;
  std::vector<double> v, all_v, chunk_v;
  std::vector<std::string> encoded;
  std::vector<ChunkData> chunks;
  for (;;) {
    const model::Labels* min = nullptr;
    for (const Cursor& c : cursors) {
      if (c.valid && (!min || c.labels < *min)) min = &c.labels;
    }
    if (!min) break;
    model::Labels labels = *min;
    all_t.clear();
    all_v.clear();
    for (Cursor& c : cursors) {
      if (!c.valid || c.labels != labels) continue;
      t.clear();
      v.clear();
      for (const ChunkMeta& m : c.chunks) {
        auto bytes = c.block->Chunk(m.ref);
        if (!bytes.ok()) return Failed(bytes.status());
        Status decoded = DecodeChunk(*bytes, &chunk_t, &chunk_v);
        if (!decoded.ok()) return Failed(decoded);
        t.insert(t.end(), chunk_t.begin(), chunk_t.end());
        v.insert(v.end(), chunk_v.begin(), chunk_v.end());
      }
      MergeSamples(t, v, &all_t, &all_v);
      Status s = advance(c);
      if (!s.ok()) return Failed(s);
    }
    if (all_t.empty()) continue;
    meta.num_samples += all_t.size();
    Status s = EncodeChunks(all_t, all_v, &encoded, &chunks);
    if (s.ok()) s = (*writer)->AddSeries(labels, chunks);
    if (!s.ok()) return Failed(s);
  }
  auto path = (*writer)->Finish(meta);
  if (!path.ok()) return Failed(path.status());
  ARGUS_RETURN_IF_ERROR(AddBlock(*path));
  DeleteBlocks(group);
  return Status::Ok();
}

void Db::MergeSamples(const std::vector<int64_t>& t, const std::vector<double>& v,
                      std::vector<int64_t>* all_t, std::vector<double>* all_v) {
  if (all_t->empty() || t.empty() || t.front() > all_t->back()) {
    all_t->insert(all_t->end(), t.begin(), t.end());
    all_v->insert(all_v->end(), v.begin(), v.end());
    return;
  }
  // Overlapping blocks: merge by time; where both have a timestamp, the earlier block's stays.
  std::vector<int64_t> mt;
  std::vector<double> mv;
  size_t i = 0, j = 0;
  while (i < all_t->size() || j < t.size()) {
    if (j == t.size() || (i < all_t->size() && (*all_t)[i] <= t[j])) {
      if (j < t.size() && (*all_t)[i] == t[j]) ++j;
      mt.push_back((*all_t)[i]);
      mv.push_back((*all_v)[i++]);
    } else {
      mt.push_back(t[j]);
      mv.push_back(v[j++]);
    }
  }
  *all_t = std::move(mt);
  *all_v = std::move(mv);
}

}  // namespace argus::tsdb
