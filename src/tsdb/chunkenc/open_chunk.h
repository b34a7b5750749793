#pragma once

// The open chunk: the one chunk of a series that the head still appends to.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "storage/querier.h"

namespace argus::tsdb {

// Samples of one series in a compact bit stream that grows one sample at a time. When the head
// cuts the chunk, Seal turns it into the sealed format of chunk.h. Head snapshots store it as it
// is, in a versioned format of its own (AppendSnapshot, Restore; docs/format/chunks.md).
//
// Memory is what matters here (a million of these live in the head): the object is 48 bytes and
// its buffer grows in steps of 16 bytes (32 past 256 bytes), about 1.1 bytes per sample on
// typical data (the sealed format takes about 0.8). Values are coded
// as in the sealed format (decimal-scaled integers or ordered float bits, deltas, a power-of-two
// factor), with parameters that adapt as samples come; when a sample does not fit the current
// parameters (a value with more decimals, an odd step after a run of multiples of 4096) the
// chunk re-codes itself once with wider ones, which happens a few times per chunk at most.
//
// Not thread-safe: the head serialises appends and reads with its own lock. Copying is a deep
// copy of about 100 bytes, a cheap snapshot for reading outside that lock.
class OpenChunk {
 public:
  OpenChunk() = default;
  OpenChunk(const OpenChunk& other);
  OpenChunk& operator=(const OpenChunk& other);
  // Moving leaves `other` empty.
  OpenChunk(OpenChunk&& other) noexcept { *this = std::move(other); }
  OpenChunk& operator=(OpenChunk&& other) noexcept;

  // Appends one sample in O(1) amortized time. Unless the chunk is empty, `t` must be greater
  // than max_time(), and the chunk must hold fewer than kMaxChunkSamples samples (both CHECKed:
  // the head orders and cuts before calling). Any value is kept bit-exact.
  void Append(int64_t t, double v);

  bool empty() const { return num_samples_ == 0; }
  int num_samples() const { return num_samples_; }
  // The first and the last timestamp; meaningless while empty.
  int64_t min_time() const { return min_time_; }
  int64_t max_time() const { return max_time_; }
  // The bytes this chunk takes: the object and its buffer's capacity (the allocator adds its own
  // header of about 8 bytes to the buffer).
  size_t MemoryBytes() const { return sizeof(*this) + Capacity(ByteSize()); }

  // Appends the sealed encoding of all samples to *out (see EncodeChunk). Must not be empty.
  void Seal(std::string* out) const;
  // Decodes all samples, replacing the contents of *t and *v.
  void Decode(std::vector<int64_t>* t, std::vector<double>* v) const;

  // Appends the snapshot of this chunk to *out: its state and its bit stream as they are, so that
  // Restore brings it back without re-encoding (a memcpy of the stream). Must not be empty.
  void AppendSnapshot(std::string* out) const;
  // The chunk a snapshot holds. `snapshot` is untrusted (it comes from disk): every field is
  // checked and the stream decoded once, which must give exactly the samples the fields describe
  // (strictly increasing from min_time to max_time, ending at the stream's end and at the coded
  // last value); otherwise kCorruption saying what is wrong and at which byte. Never reads outside
  // `snapshot`.
  static Result<OpenChunk> Restore(std::string_view snapshot);

 private:
  friend class OpenChunkIterator;
  struct FreeDeleter {
    void operator()(uint8_t* p) const;
  };
  // How values become integers; see open_chunk.cc.
  struct Coding {
    uint8_t scale = 0;     // Power of ten for decimal values, or 0xff for ordered float bits.
    uint8_t shift = 0xff;  // Value deltas are multiples of 2^shift; 0xff before the first.
  };

  size_t ByteSize() const { return (bit_size_ + 7) / 8; }
  static size_t Capacity(size_t bytes);
  // Reallocates the buffer to hold `bytes`, the new bytes zero; returns the new capacity.
  size_t Grow(size_t bytes);
  // Writes the low `n` bits of `bits` (n <= 64) at the end of the stream.
  void WriteBits(uint64_t bits, int n);
  void WriteRice(uint64_t u, int k);
  // Appends a sample whose value the current coding maps to x (or keeps as an exception).
  void AppendCoded(int64_t t, int64_t x, double v, bool exception);
  // Re-codes every sample with a coding that also fits (t, v), then appends it.
  void Recode(int64_t t, double v);
  // Restore's check that the stream holds what the fields say.
  Status Verify() const;

  std::unique_ptr<uint8_t, FreeDeleter> data_;
  int64_t min_time_ = 0;
  int64_t max_time_ = 0;
  uint64_t last_value_ = 0;  // The last value as a coded integer.
  int32_t step_ = 0;         // The first timestamp delta (clamped), against which later ones code.
  uint32_t bit_size_ = 0;
  uint16_t num_samples_ = 0;
  Coding coding_;
  uint8_t width_average_ = 0;  // Running average of delta widths (x4), the Rice parameter's base.
};

// Walks the samples of an open chunk. Any Append to the chunk invalidates the iterator; the chunk
// must outlive it. Seek is linear from the current sample. Err() is always OK: a chunk is written
// by this process or restored from a snapshot that Restore verified. Even on a stream that is not
// verified it never reads outside the chunk's buffer.
class OpenChunkIterator final : public storage::SampleIterator {
 public:
  explicit OpenChunkIterator(const OpenChunk& chunk);

  bool Next() override;
  bool Seek(int64_t t) override;
  int64_t t() const override { return t_; }
  double v() const override { return v_; }
  Status Err() const override { return Status::Ok(); }

 private:
  // The next 64 bits of the stream (zeros past its buffer).
  uint64_t Peek() const;
  uint64_t ReadBits(int n);
  uint64_t ReadRice(int k);

  friend class OpenChunk;  // Verify reads the position and the coded value.
  const OpenChunk* chunk_;
  uint64_t bit_pos_ = 0;
  int index_ = -1;
  int64_t t_ = 0;
  double v_ = 0;
  int64_t value_ = 0;   // The last regular value as an integer,
  double value_v_ = 0;  // and as a float64.
  uint8_t width_average_ = 0;
};

}  // namespace argus::tsdb
