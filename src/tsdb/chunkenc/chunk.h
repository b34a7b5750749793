#pragma once

// Sealed chunks: the compressed samples of one series, as the head's completed chunks and the
// block files store them. docs/format/chunks.md gives the exact byte layout. EncodeChunk and
// DecodeChunk keep no state and may be called from any thread.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "storage/querier.h"

namespace argus::tsdb {

// The first byte of every sealed chunk names its encoding, so that formats can evolve; decoders
// reject encodings they do not know.
enum class ChunkEncoding : uint8_t {
  // Values as integers (scaled by a power of ten, or the ordered bits of the float64), delta or
  // delta-of-delta coded, a common factor divided out, Rice-coded with per-chunk parameters.
  kRice = 1,
};

// The head cuts a chunk when it holds this many samples (or earlier, at a block boundary): enough
// that per-chunk headers cost little, few enough that reading one sample decodes little.
inline constexpr int kTargetChunkSamples = 480;
// The most samples one chunk may hold. Encoders refuse more; decoders treat more as corrupt.
inline constexpr int kMaxChunkSamples = 65535;

// Appends the sealed encoding of the samples (t[i], v[i]) to *out. Every float64 reads back with
// the same bits (NaN payloads, -0.0, infinities, denormals). Returns kInvalidInput, appending
// nothing, when the spans differ in length, are empty, hold more than kMaxChunkSamples samples or
// the timestamps do not strictly increase.
[[nodiscard]] Status EncodeChunk(std::span<const int64_t> t, std::span<const double> v,
                                 std::string* out);

// Decodes a whole sealed chunk, replacing the contents of *t and *v. `chunk` is untrusted: bytes
// that are not exactly one valid chunk (truncated, bit-flipped, trailing bytes, timestamps that
// do not increase) return kCorruption saying what was wrong and at which byte; *t and *v are then
// unspecified. Never reads outside `chunk`.
[[nodiscard]] Status DecodeChunk(std::string_view chunk, std::vector<int64_t>* t,
                                 std::vector<double>* v);

// Checks the first bytes of a sealed chunk against what the file holding it says: its encoding,
// its sample count and its first timestamp. For chunks whose bytes a checksum covers already, as
// a cheap guard against a writer's mistake; only DecodeChunk checks every byte. kCorruption with
// the byte at fault.
[[nodiscard]] Status CheckChunkHeader(std::string_view chunk, int num_samples, int64_t min_time);

// Walks the samples of a sealed chunk. The chunk is decoded on the first Next or Seek (the fast
// batch decoder), so creating an iterator is cheap. A corrupt chunk yields no samples and Err()
// says why. Not thread-safe; the chunk's bytes must stay alive and unchanged while in use.
class ChunkIterator final : public storage::SampleIterator {
 public:
  ChunkIterator() = default;
  explicit ChunkIterator(std::string_view chunk) { Reset(chunk); }

  // Starts over on another chunk, keeping the buffers (for the chunks of one series in turn).
  void Reset(std::string_view chunk);

  bool Next() override;
  bool Seek(int64_t t) override;
  int64_t t() const override { return t_[pos_]; }
  double v() const override { return v_[pos_]; }
  Status Err() const override { return err_; }

 private:
  bool EnsureDecoded();

  std::string_view chunk_;
  bool decoded_ = false;
  std::vector<int64_t> t_;
  std::vector<double> v_;
  size_t pos_ = 0;
  bool started_ = false;
  Status err_;
};

}  // namespace argus::tsdb
