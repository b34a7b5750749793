// The open chunk's bit stream, least significant bit first in each byte:
//
//   sample 0:  '0' width(7 bits) zigzag(x)(width bits)      a regular value x
//              '1' raw(64)                                  an exception, stored as its bits
//   sample i:  '0'                                          same step, same x
//              '10' rice(u-1)                               same step, x changed by delta
//              '110' rice2(zigzag(e)-1) ('0' | '1' rice(u-1))   another step, x same or changed
//              '111' rice2(zigzag(e)) raw(64)               any step, an exception
//
// where e = (t - previous t) - step_, x is the value as an integer (decimal-scaled at
// coding_.scale, or its ordered bits), u = zigzag(delta >> coding_.shift), rice() uses a
// parameter that follows the recent widths of u and rice2() the fixed parameter 2. A Rice code
// is q ones, a zero and k low bits, or kEscapeOnes ones, a 7-bit width and that many bits.
// Exceptions (NaN, infinities, -0.0 in decimal coding) leave x as it was.

#include "tsdb/chunkenc/open_chunk.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "base/check.h"
#include "tsdb/chunkenc/bit_io.h"
#include "tsdb/chunkenc/chunk.h"
#include "tsdb/chunkenc/value_mapping.h"

namespace argus::tsdb {
namespace {

constexpr uint8_t kFloatBits = 0xff;   // Coding::scale for values as ordered float bits.
constexpr uint8_t kNoShiftYet = 0xff;  // Coding::shift before the first non-zero delta.
constexpr int kEscapeOnes = 16;
constexpr int kTimestampRiceK = 2;

// Maps v to its integer under `scale`; false if the scale does not fit it. Exceptions keep x.
bool MapValue(double v, uint8_t scale, int64_t* x, bool* exception) {
  *x = 0;
  *exception = false;
  if (scale == kFloatBits) {
    *x = FloatToOrdered(v);
    return true;
  }
  if (ToDecimal(v, scale, x)) return true;
  *exception = IsNeverDecimal(v);
  return *exception;
}

double ToValue(int64_t x, uint8_t scale) {
  return scale == kFloatBits ? OrderedToFloat(x) : FromDecimal(x, scale);
}

// The shift that the first delta suggests. One delta is weak evidence (a bucket counter's first
// step of 2 says little), and re-coding a long chunk costs, so only the factors that whole
// series have are trusted: pages of 4096 bytes and sectors of 512.
uint8_t FirstShift(int64_t delta) {
  int zeros = std::countr_zero(static_cast<uint64_t>(delta));
  return zeros >= 12 ? 12 : zeros >= 9 ? 9 : 0;
}

int RiceK(uint8_t width_average) { return std::max(0, (width_average + 2) / 4 - 1); }

// Follows the widths of recent deltas: a running average (times 4) that moves a quarter of the
// way to each new width.
uint8_t NextWidthAverage(uint8_t average, uint64_t u) {
  int width = std::min(BitWidth(u), 63);
  if (average == 0) return static_cast<uint8_t>(4 * width);
  return static_cast<uint8_t>(average + (4 * width - average) / 4);
}

}  // namespace

void OpenChunk::FreeDeleter::operator()(uint8_t* p) const { std::free(p); }

// Steps of 16 bytes while small, coarser later; each size is one that glibc's allocator hands
// out exactly (a multiple of 16 less its 8-byte header). The step boundaries are multiples of
// the steps, so the capacity is a function of the size alone and needs no field.
size_t OpenChunk::Capacity(size_t bytes) {
  if (bytes == 0) return 0;
  size_t with_header = bytes + 8;
  int step_bits = with_header <= 256 ? 4 : with_header <= 1024 ? 5 : with_header <= 4096 ? 7 : 10;
  size_t mask = (size_t{1} << step_bits) - 1;
  return ((with_header + mask) & ~mask) - 8;
}

size_t OpenChunk::Grow(size_t bytes) {
  size_t capacity = Capacity(ByteSize());
  size_t grown_capacity = Capacity(bytes);
  auto* grown = static_cast<uint8_t*>(std::realloc(data_.release(), grown_capacity));
  CHECK(grown != nullptr);
  std::memset(grown + capacity, 0, grown_capacity - capacity);
  data_.reset(grown);
  return grown_capacity;
}

OpenChunk::OpenChunk(const OpenChunk& other) { *this = other; }

OpenChunk& OpenChunk::operator=(OpenChunk&& other) noexcept {
  if (this == &other) return *this;
  data_ = std::move(other.data_);
  min_time_ = other.min_time_;
  max_time_ = other.max_time_;
  last_value_ = other.last_value_;
  step_ = other.step_;
  bit_size_ = std::exchange(other.bit_size_, 0);
  num_samples_ = std::exchange(other.num_samples_, 0);
  coding_ = std::exchange(other.coding_, Coding());
  width_average_ = std::exchange(other.width_average_, 0);
  return *this;
}

OpenChunk& OpenChunk::operator=(const OpenChunk& other) {
  if (this == &other) return *this;
  size_t capacity = Capacity(other.ByteSize());
  data_.reset(capacity == 0 ? nullptr : static_cast<uint8_t*>(std::malloc(capacity)));
  if (capacity != 0) {
    CHECK(data_ != nullptr);
    std::memcpy(data_.get(), other.data_.get(), capacity);
  }
  min_time_ = other.min_time_;
  max_time_ = other.max_time_;
  last_value_ = other.last_value_;
  step_ = other.step_;
  bit_size_ = other.bit_size_;
  num_samples_ = other.num_samples_;
  coding_ = other.coding_;
  width_average_ = other.width_average_;
  return *this;
}

void OpenChunk::WriteBits(uint64_t bits, int n) {
  DCHECK(n >= 0 && n <= 64 && LowBits(bits, n) == bits);
  size_t capacity = Capacity(ByteSize());
  size_t needed = (bit_size_ + n + 7) / 8;
  if (needed > capacity) capacity = Grow(needed);
  // The bytes past the stream are zero, so OR-ing in the new bits is enough.
  size_t byte = bit_size_ / 8;
  uint8_t* p = data_.get() + byte;
  int offset = bit_size_ % 8;
  uint64_t shifted = bits << offset;
  if (capacity - byte >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    word |= shifted;
    std::memcpy(p, &word, 8);
  } else {
    for (size_t i = 0; i < capacity - byte; ++i) p[i] |= static_cast<uint8_t>(shifted >> (8 * i));
  }
  if (offset + n > 64) p[8] |= static_cast<uint8_t>(bits >> (64 - offset));
  bit_size_ += n;
}

void OpenChunk::WriteRice(uint64_t u, int k) {
  uint64_t q = u >> k;
  if (q >= kEscapeOnes) {
    int width = BitWidth(u);
    WriteBits(LowBits(~uint64_t{0}, kEscapeOnes) | static_cast<uint64_t>(width) << kEscapeOnes,
              kEscapeOnes + 7);
    WriteBits(u, width);
    return;
  }
  WriteBits((uint64_t{1} << q) - 1, static_cast<int>(q) + 1);
  WriteBits(LowBits(u, k), k);
}

void OpenChunk::Append(int64_t t, double v) {
  CHECK(num_samples_ < kMaxChunkSamples);
  CHECK(num_samples_ == 0 || t > max_time_);
  int64_t x = 0;
  bool exception = false;
  if (!MapValue(v, coding_.scale, &x, &exception)) return Recode(t, v);
  if (!exception && num_samples_ > 0 && coding_.shift != kNoShiftYet) {
    int64_t delta = WrappingSub(x, static_cast<int64_t>(last_value_));
    if (delta != 0 && std::countr_zero(static_cast<uint64_t>(delta)) < coding_.shift) {
      return Recode(t, v);
    }
  }
  AppendCoded(t, x, v, exception);
}

void OpenChunk::AppendCoded(int64_t t, int64_t x, double v, bool exception) {
  if (num_samples_ == 0) {
    min_time_ = max_time_ = t;
    if (exception) {
      WriteBits(1, 1);
      WriteBits(std::bit_cast<uint64_t>(v), 64);
    } else {
      uint64_t zigzag = ZigZag(x);
      int width = BitWidth(zigzag);
      WriteBits(static_cast<uint64_t>(width) << 1, 8);
      WriteBits(zigzag, width);
      last_value_ = static_cast<uint64_t>(x);
    }
    ++num_samples_;
    return;
  }
  int64_t delta_t = WrappingSub(t, max_time_);
  if (num_samples_ == 1) step_ = static_cast<int32_t>(std::clamp<int64_t>(delta_t, 1, INT32_MAX));
  int64_t e = WrappingSub(delta_t, step_);
  max_time_ = t;
  ++num_samples_;
  if (exception) {
    WriteBits(0b111, 3);
    WriteRice(ZigZag(e), kTimestampRiceK);
    WriteBits(std::bit_cast<uint64_t>(v), 64);
    return;
  }
  int64_t delta = WrappingSub(x, static_cast<int64_t>(last_value_));
  last_value_ = static_cast<uint64_t>(x);
  if (e != 0) {
    WriteBits(0b011, 3);
    WriteRice(ZigZag(e) - 1, kTimestampRiceK);
    WriteBits(delta != 0, 1);
  } else if (delta == 0) {
    WriteBits(0, 1);
  } else {
    WriteBits(0b01, 2);
  }
  if (delta == 0) return;
  if (coding_.shift == kNoShiftYet) coding_.shift = FirstShift(delta);
  uint64_t u = ZigZag(delta >> coding_.shift);
  WriteRice(u - 1, RiceK(width_average_));
  width_average_ = NextWidthAverage(width_average_, u);
}

void OpenChunk::Recode(int64_t t, double v) {
  std::vector<int64_t> ts;
  std::vector<double> vs;
  Decode(&ts, &vs);
  ts.push_back(t);
  vs.push_back(v);

  // The smallest decimal scale that fits every value but those never decimal, else float bits.
  MappedValues mapped;
  bool decimal = MapToDecimal(vs, vs.size(), &mapped) &&
                 std::all_of(mapped.exceptions.begin(), mapped.exceptions.end(),
                             [&](uint32_t i) { return IsNeverDecimal(vs[i]); });
  Coding coding{decimal ? static_cast<uint8_t>(mapped.scale) : kFloatBits, kNoShiftYet};
  // The shift fits every delta the stream will hold: those between successive regular values.
  std::vector<int64_t> xs(vs.size());
  std::vector<bool> exceptions(vs.size());
  bool have_value = false;
  int64_t last = 0;
  for (size_t i = 0; i < vs.size(); ++i) {
    bool exception;
    CHECK(MapValue(vs[i], coding.scale, &xs[i], &exception));
    exceptions[i] = exception;
    if (exception) continue;
    int64_t delta = WrappingSub(xs[i], last);
    if ((have_value || i > 0) && delta != 0) {
      coding.shift =
          std::min<uint8_t>(coding.shift, std::countr_zero(static_cast<uint64_t>(delta)));
    }
    have_value = true;
    last = xs[i];
  }

  *this = OpenChunk();
  coding_ = coding;
  for (size_t i = 0; i < vs.size(); ++i) AppendCoded(ts[i], xs[i], vs[i], exceptions[i]);
}

void OpenChunk::Decode(std::vector<int64_t>* t, std::vector<double>* v) const {
  t->clear();
  v->clear();
  t->reserve(num_samples_);
  v->reserve(num_samples_);
  for (OpenChunkIterator it(*this); it.Next();) {
    t->push_back(it.t());
    v->push_back(it.v());
  }
}

void OpenChunk::Seal(std::string* out) const {
  CHECK(num_samples_ > 0);
  std::vector<int64_t> t;
  std::vector<double> v;
  Decode(&t, &v);
  Status status = EncodeChunk(t, v, out);
  CHECK(status.ok());
}

OpenChunkIterator::OpenChunkIterator(const OpenChunk& chunk) : chunk_(&chunk) {}

uint64_t OpenChunkIterator::Peek() const {
  const uint8_t* data = chunk_->data_.get();
  size_t capacity = OpenChunk::Capacity(chunk_->ByteSize());
  size_t byte = bit_pos_ / 8;
  int offset = static_cast<int>(bit_pos_ % 8);
  uint64_t word = 0;
  if (byte >= capacity) return 0;  // Only a stream that lies about its length reads this far.
  if (capacity - byte >= 8) {
    std::memcpy(&word, data + byte, 8);
  } else {
    for (size_t i = byte; i < capacity; ++i) word |= uint64_t{data[i]} << (8 * (i - byte));
  }
  word >>= offset;
  if (offset != 0 && capacity - byte > 8) word |= uint64_t{data[byte + 8]} << (64 - offset);
  return word;
}

uint64_t OpenChunkIterator::ReadBits(int n) {
  uint64_t bits = LowBits(Peek(), n);
  bit_pos_ += n;
  return bits;
}

uint64_t OpenChunkIterator::ReadRice(int k) {
  int q = std::min(std::countr_one(Peek()), kEscapeOnes);
  if (q == kEscapeOnes) {
    bit_pos_ += kEscapeOnes;
    return ReadBits(static_cast<int>(ReadBits(7)));
  }
  bit_pos_ += q + 1;
  return static_cast<uint64_t>(q) << k | ReadBits(k);
}

bool OpenChunkIterator::Next() {
  if (index_ + 1 >= chunk_->num_samples_) {
    index_ = chunk_->num_samples_;
    return false;
  }
  uint8_t scale = chunk_->coding_.scale;
  if (++index_ == 0) {
    t_ = chunk_->min_time_;
    if (ReadBits(1) == 1) {
      v_ = std::bit_cast<double>(ReadBits(64));
    } else {
      value_ = UnZigZag(ReadBits(static_cast<int>(ReadBits(7))));
      v_ = value_v_ = ToValue(value_, scale);
    }
    return true;
  }
  int64_t e = 0;
  bool changed = false;
  if (ReadBits(1) == 1) {
    if (ReadBits(1) == 0) {
      changed = true;
    } else if (ReadBits(1) == 0) {
      e = UnZigZag(ReadRice(kTimestampRiceK) + 1);
      changed = ReadBits(1) == 1;
    } else {
      e = UnZigZag(ReadRice(kTimestampRiceK));
      t_ = WrappingAdd(t_, WrappingAdd(chunk_->step_, e));
      v_ = std::bit_cast<double>(ReadBits(64));
      return true;
    }
  }
  t_ = WrappingAdd(t_, WrappingAdd(chunk_->step_, e));
  if (changed) {
    uint64_t u = ReadRice(RiceK(width_average_)) + 1;
    width_average_ = NextWidthAverage(width_average_, u);
    // The shift is below 64 in every chunk with a delta; the mask keeps a lying stream defined.
    value_ = WrappingAdd(value_, static_cast<int64_t>(static_cast<uint64_t>(UnZigZag(u))
                                                      << (chunk_->coding_.shift & 63)));
    value_v_ = ToValue(value_, scale);
  }
  v_ = value_v_;
  return true;
}

bool OpenChunkIterator::Seek(int64_t t) {
  if (index_ >= 0 && index_ < chunk_->num_samples_ && t_ >= t) return true;
  while (Next()) {
    if (t_ >= t) return true;
  }
  return false;
}

// The snapshot of an open chunk (docs/format/chunks.md): a version byte, the state fields the
// stream cannot be appended to without, then the stream's bytes.
namespace {
constexpr uint8_t kSnapshotVersion = 1;
}  // namespace

void OpenChunk::AppendSnapshot(std::string* out) const {
  CHECK(num_samples_ > 0);
  out->push_back(static_cast<char>(kSnapshotVersion));
  PutUvarint(num_samples_, out);
  PutZvarint(min_time_, out);
  PutUvarint(static_cast<uint64_t>(max_time_) - static_cast<uint64_t>(min_time_), out);
  PutZvarint(step_, out);
  PutUvarint(last_value_, out);
  out->push_back(static_cast<char>(coding_.scale));
  out->push_back(static_cast<char>(coding_.shift));
  out->push_back(static_cast<char>(width_average_));
  PutUvarint(bit_size_, out);
  out->append(reinterpret_cast<const char*>(data_.get()), ByteSize());
}

Result<OpenChunk> OpenChunk::Restore(std::string_view snapshot) {
  const auto* begin = reinterpret_cast<const uint8_t*>(snapshot.data());
  ByteReader in(begin, begin + snapshot.size());
  uint8_t version = 0;
  if (!in.ReadByte(&version)) return Corruption(in, "empty open chunk snapshot");
  if (version != kSnapshotVersion) {
    return Status::Errorf(Status::Code::kCorruption,
                          "open chunk snapshot of unknown version {} at byte 0", version);
  }
  uint64_t count = 0, span = 0, last_value = 0, bit_size = 0;
  int64_t min_time = 0, step = 0;
  uint8_t scale = 0, shift = 0, width_average = 0;
  if (!in.ReadUvarint(&count) || count == 0 || count > kMaxChunkSamples) {
    return Corruption(in, "sample count missing or outside 1 to 65535");
  }
  if (!in.ReadZvarint(&min_time) || !in.ReadUvarint(&span)) {
    return Corruption(in, "truncated time range");
  }
  if (!in.ReadZvarint(&step) || step < (count > 1 ? 1 : 0) || step > INT32_MAX) {
    return Corruption(in, "step missing or out of range");
  }
  if (!in.ReadUvarint(&last_value)) return Corruption(in, "truncated last value");
  if (!in.ReadByte(&scale) || (scale > kMaxDecimalScale && scale != kFloatBits)) {
    return Corruption(in, "value scale missing or unknown");
  }
  if (!in.ReadByte(&shift) || (shift > 63 && shift != kNoShiftYet)) {
    return Corruption(in, "value shift missing or above 63");
  }
  if (!in.ReadByte(&width_average) || width_average > 4 * 63) {
    return Corruption(in, "width average missing or above 252");
  }
  if (!in.ReadUvarint(&bit_size) || bit_size == 0 || bit_size > UINT32_MAX) {
    return Corruption(in, "stream length missing or out of range");
  }
  size_t bytes = (bit_size + 7) / 8;
  if (static_cast<size_t>(in.end() - in.position()) != bytes) {
    return Corruption(in, "stream bytes do not match the stream length");
  }
  const uint8_t* stream = in.position();
  if (bit_size % 8 != 0 && (stream[bytes - 1] >> (bit_size % 8)) != 0) {
    return Corruption(in, "stream padding is not zero");
  }
  OpenChunk chunk;
  size_t capacity = Capacity(bytes);
  chunk.data_.reset(static_cast<uint8_t*>(std::malloc(capacity)));
  CHECK(chunk.data_ != nullptr);
  std::memcpy(chunk.data_.get(), stream, bytes);
  std::memset(chunk.data_.get() + bytes, 0, capacity - bytes);  // Append ORs into these.
  chunk.min_time_ = min_time;
  chunk.max_time_ = static_cast<int64_t>(static_cast<uint64_t>(min_time) + span);
  chunk.last_value_ = last_value;
  chunk.step_ = static_cast<int32_t>(step);
  chunk.bit_size_ = static_cast<uint32_t>(bit_size);
  chunk.num_samples_ = static_cast<uint16_t>(count);
  chunk.coding_ = {scale, shift};
  chunk.width_average_ = width_average;
  Status verified = chunk.Verify();
  if (!verified.ok()) {
    return Status::Errorf(Status::Code::kCorruption, "open chunk snapshot stream at byte {}: {}",
                          stream - begin, verified.message());
  }
  return chunk;
}

Status OpenChunk::Verify() const {
  OpenChunkIterator it(*this);
  int64_t previous = 0;
  for (int i = 0; i < num_samples_; ++i) {
    CHECK(it.Next());
    if (i == 0 ? it.t() != min_time_ : it.t() <= previous) {
      return Status::Errorf(Status::Code::kCorruption, "sample {} is not in time order", i);
    }
    if (it.bit_pos_ > bit_size_) {
      return Status::Errorf(Status::Code::kCorruption, "sample {} runs past the stream's end", i);
    }
    previous = it.t();
  }
  if (previous != max_time_) {
    return Status::Error("the last sample is not at the chunk's max time",
                         Status::Code::kCorruption);
  }
  if (it.bit_pos_ != bit_size_) {
    return Status::Error("bits left after the last sample", Status::Code::kCorruption);
  }
  if (static_cast<uint64_t>(it.value_) != last_value_) {
    return Status::Error("the last value does not match the stream", Status::Code::kCorruption);
  }
  return Status::Ok();
}

}  // namespace argus::tsdb
