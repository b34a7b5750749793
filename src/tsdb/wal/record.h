#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/labels.h"

namespace argus::tsdb::wal {

// The records the head writes to the WAL and replays from it. A record is a byte string whose
// first byte is its type; the rest is the type's payload (docs/format/wal.md has the layout).
// Encoders append to a caller's std::string; decoders validate every byte and return kCorruption
// with what was wrong and at which byte, never reading outside the record.
enum class RecordType : uint8_t {
  kInvalid = 0,            // Never written: a zeroed or empty record does not decode.
  kSeries = 1,             // Series created in the head: ref and labels.
  kSamples = 2,            // Samples appended to series: ref, timestamp, value.
  kChunks = 3,             // A head snapshot's chunks of series: ref, sealed chunks, open chunk.
  kOutOfOrderSamples = 4,  // Samples older than their series' newest, as kSamples.
};

// The type byte of `record`, kInvalid for an empty record. Bytes that name no type above come
// back as they are, so that callers skip record types a later version added.
RecordType TypeOf(std::string_view record);

struct LabelView {
  std::string_view name;
  std::string_view value;
};

struct RefSample {
  uint64_t ref = 0;
  int64_t t = 0;  // Milliseconds since the epoch.
  double v = 0;   // Kept bit-exact, NaN payloads (the staleness marker) included.
  bool operator==(const RefSample& o) const;  // Compares v bit for bit.
};

// Builds one series record at the end of `*out`, which must outlive the encoder and not be
// appended to by anyone else until the record is complete. The labels are written as given, in
// their order; a model::Labels is sorted and unique already.
class SeriesEncoder {
 public:
  explicit SeriesEncoder(std::string* out);
  void Add(uint64_t ref, const model::Labels& labels);
  void Add(uint64_t ref, std::span<const LabelView> labels);

 private:
  std::string* out_;
  uint64_t prev_ref_ = 0;
};

// Builds one samples record at the end of `*out`, with the same rules as SeriesEncoder. Refs and
// timestamps are written as deltas from the previous sample of the record, so a scrape (one
// timestamp, refs close together) costs two bytes a sample plus its value; integral values take
// a varint, other values their 8 bytes.
class SamplesEncoder {
 public:
  // `type` is kSamples or kOutOfOrderSamples, which share the encoding.
  explicit SamplesEncoder(std::string* out, RecordType type = RecordType::kSamples);
  void Add(uint64_t ref, int64_t t, double v);
  void Add(const RefSample& s) { Add(s.ref, s.t, s.v); }
  // The same as adding each in turn, faster.
  void Add(std::span<const RefSample> samples);

 private:
  // Writes one sample at `p`, which has room for it; returns where it ends.
  char* Put(char* p, uint64_t ref, int64_t t, double v);

  std::string* out_;
  uint64_t prev_ref_ = 0;
  int64_t prev_t_ = 0;
};

// The series of one decoded series record. The views point into the record's bytes and are valid
// as long as those bytes are; the decoder keeps its memory between records, so replaying many
// records allocates nothing after the first few.
class DecodedSeries {
 public:
  struct Series {
    uint64_t ref;
    std::span<const LabelView> labels;
  };
  std::span<const Series> series() const { return series_; }
  size_t size() const { return series_.size(); }

 private:
  friend Status DecodeSeries(std::string_view record, DecodedSeries* out);
  std::vector<Series> series_;
  std::vector<LabelView> labels_;
  std::vector<uint32_t> first_label_;  // Where each series' labels start in labels_.
};

// One sealed chunk of a chunks record; the bytes are the chunk's (docs/format/chunks.md), opaque
// here.
struct ChunkView {
  int64_t min_time = 0;
  int64_t max_time = 0;
  uint32_t num_samples = 0;
  std::string_view bytes;
};

// Builds one chunks record at the end of `*out`, with the same rules as SeriesEncoder: each
// series' sealed chunks in time order and the snapshot of its open chunk (empty: none), both
// opaque bytes here that the head writes and checks.
class ChunksEncoder {
 public:
  explicit ChunksEncoder(std::string* out);
  void Add(uint64_t ref, std::span<const ChunkView> sealed, std::string_view open);

 private:
  std::string* out_;
  uint64_t prev_ref_ = 0;
};

// The series of one decoded chunks record, with views into the record's bytes (valid as long as
// they are); the memory is kept between records, as DecodedSeries does.
class DecodedChunks {
 public:
  struct Series {
    uint64_t ref;
    std::span<const ChunkView> sealed;
    std::string_view open;
  };
  std::span<const Series> series() const { return series_; }

 private:
  friend Status DecodeChunks(std::string_view record, DecodedChunks* out);
  std::vector<Series> series_;
  std::vector<ChunkView> chunks_;
  std::vector<uint32_t> first_chunk_;
};

// Decodes a kChunks record into `*out`, replacing what it held; checks the framing of every field
// (min_time <= max_time, at least one sample a chunk, lengths within the record), not the chunk
// bytes. On error `*out` is empty.
Status DecodeChunks(std::string_view record, DecodedChunks* out);

// Decodes a kSeries record into `*out`, replacing what it held. On error `*out` is empty.
Status DecodeSeries(std::string_view record, DecodedSeries* out);

// Decodes a kSamples or kOutOfOrderSamples record into `*out`, replacing what it held. On error
// `*out` is empty.
Status DecodeSamples(std::string_view record, std::vector<RefSample>* out);

}  // namespace argus::tsdb::wal
