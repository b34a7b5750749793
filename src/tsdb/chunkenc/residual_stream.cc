#include "tsdb/chunkenc/residual_stream.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

namespace argus::tsdb {
namespace {

using Layout = StreamPlan::Layout;

constexpr uint8_t kSignedFlag = 1 << 2;

// Turns residuals into the unsigned entries a plan codes, and back.
struct EntryCoder {
  bool is_signed;
  int64_t base;
  uint64_t factor;
  int factor_shift;  // log2(factor) when factor is a power of two, else -1.

  EntryCoder(bool s, int64_t b, uint64_t f)
      : is_signed(s),
        base(b),
        factor(f),
        factor_shift(std::has_single_bit(f) ? std::countr_zero(f) : -1) {}

  uint64_t Entry(int64_t residual) const {
    uint64_t diff = static_cast<uint64_t>(residual) - static_cast<uint64_t>(base);
    if (!is_signed) return factor_shift >= 0 ? diff >> factor_shift : diff / factor;
    auto signed_diff = static_cast<int64_t>(diff);
    int64_t q = factor_shift >= 0 ? signed_diff >> factor_shift
                                  : signed_diff / static_cast<int64_t>(factor);
    return ZigZag(q);
  }
  uint64_t Residual(uint64_t entry) const {
    uint64_t q = is_signed ? static_cast<uint64_t>(UnZigZag(entry)) : entry;
    return static_cast<uint64_t>(base) + q * factor;
  }
};

// The median of up to 63 residuals spread over the stream: a base that outliers do not move.
int64_t ApproximateMedian(std::span<const int64_t> r) {
  std::array<int64_t, 63> sample;
  size_t n = std::min(r.size(), sample.size());
  for (size_t i = 0; i < n; ++i) sample[i] = r[i * r.size() / n];
  std::nth_element(sample.begin(), sample.begin() + n / 2, sample.begin() + n);
  return sample[n / 2];
}

// How many entries have each bit width (0 to 64); slot 65 collects what is not counted.
using WidthCounts = std::array<uint32_t, 66>;

// The estimated bits of Rice-coding entries of the widths counted (none wider than
// escape_width) with parameter k; an entry of width b has a quotient of about 0.75 * 2^(b-k).
double RiceBits(const WidthCounts& widths, int k, int escape_width) {
  double bits = 0;
  for (int b = 0; b <= escape_width; ++b) {
    if (widths[b] == 0) continue;
    int s = b - k;
    double cost;
    if (s <= 0) {
      cost = 1 + k;
    } else if (s >= 5) {  // Every quotient is at least 16.
      cost = kRiceEscape + escape_width;
    } else {
      cost = 0.75 * (1 << s) - 0.5 + 1 + k;
    }
    bits += cost * widths[b];
  }
  return bits;
}

// The median bit width of `count` entries, near which the best Rice parameter is.
int MedianWidth(const WidthCounts& widths, uint64_t count) {
  uint64_t seen = 0;
  for (int width = 0; width < 64; ++width) {
    seen += widths[width];
    if (2 * seen >= count) return width;
  }
  return 64;
}

// Replaces *best with the cheapest Rice layout for `count` entries of the widths counted (plus
// `flag_bits` bits of zero flags), if it is cheaper.
void TryRice(StreamPlan plan, const WidthCounts& widths, uint64_t count, uint64_t flag_bits,
             uint64_t header_bytes, StreamPlan* best) {
  int median = MedianWidth(widths, count);
  for (int k = std::max(0, median - 3); k <= std::min(63, median + 1); ++k) {
    double bits = RiceBits(widths, k, plan.escape_width) + static_cast<double>(flag_bits);
    plan.bits = 8 * (header_bytes + 2) + static_cast<uint64_t>(std::ceil(bits / 8) * 8);
    plan.rice_k = static_cast<uint8_t>(k);
    if (plan.bits < best->bits) *best = plan;
  }
}

constexpr auto kVarintBytesByWidth = [] {
  std::array<uint8_t, 65> bytes{};
  for (int w = 0; w <= 64; ++w) bytes[w] = static_cast<uint8_t>(w == 0 ? 1 : (w + 6) / 7);
  return bytes;
}();

// Replaces *best with the cheapest layout for entries coded by `coder`, if it is cheaper. The
// loop has no data-dependent branches: streams mix zero and non-zero entries at random.
void TryCoder(std::span<const int64_t> r, const EntryCoder& coder, StreamPlan* best) {
  WidthCounts widths{};          // Of every entry.
  WidthCounts nonzero_widths{};  // Of entry - 1, for the non-zero ones.
  uint64_t all_bits = 0;
  uint64_t sparse_bytes = 0;
  uint64_t nonzero = 0;
  size_t last = 0;  // One past the index of the last non-zero entry.
  for (size_t i = 0; i < r.size(); ++i) {
    uint64_t e = coder.Entry(r[i]);
    int width = BitWidth(e);
    bool is_nonzero = e != 0;
    ++widths[width];
    ++nonzero_widths[is_nonzero ? BitWidth(e - 1) : 65];
    all_bits |= e;
    size_t gap = i - last;  // Below 2^16: at most three varint bytes.
    sparse_bytes += is_nonzero * (1 + (gap >= 128) + (gap >= 16384) + kVarintBytesByWidth[width]);
    last = is_nonzero ? i + 1 : last;
    nonzero += is_nonzero;
  }
  uint64_t header_bytes = 1 + UvarintLength(ZigZag(coder.base)) + UvarintLength(coder.factor);
  StreamPlan plan;
  plan.is_signed = coder.is_signed;
  plan.base = coder.base;
  plan.factor = coder.factor;
  plan.layout = Layout::kSparse;
  plan.bits = 8 * (header_bytes + UvarintLength(nonzero) + sparse_bytes);
  if (plan.bits < best->bits) *best = plan;

  plan.escape_width = static_cast<uint8_t>(BitWidth(all_bits));
  plan.layout = Layout::kRice;
  TryRice(plan, widths, r.size(), 0, header_bytes, best);
  plan.layout = Layout::kFlaggedRice;
  TryRice(plan, nonzero_widths, nonzero, r.size(), header_bytes, best);
}

}  // namespace

StreamPlan PlanStream(std::span<const int64_t> r) {
  DCHECK(!r.empty());
  auto [min_it, max_it] = std::minmax_element(r.begin(), r.end());
  int64_t min = *min_it;
  int64_t max = *max_it;
  StreamPlan best;
  best.base = min;
  best.bits = 8 * (1 + UvarintLength(ZigZag(min)));
  if (min == max) return best;
  best.bits = UINT64_MAX;

  // The common factor of the differences, the same whichever residual is the base. Most
  // differences are multiples of the factor so far: test that cheaply before a gcd.
  uint64_t factor = 0;
  for (int64_t x : r) {
    uint64_t d = static_cast<uint64_t>(x) - static_cast<uint64_t>(min);
    if (d == 0) continue;
    if (factor != 0) {
      bool multiple = std::has_single_bit(factor) ? (d & (factor - 1)) == 0 : d % factor == 0;
      if (multiple) continue;
    }
    factor = std::gcd(factor, d);
    if (factor == 1) break;
  }
  TryCoder(r, EntryCoder(false, min, factor), &best);

  // A base in the middle codes two-sided residuals (and one-sided ones with outliers) better,
  // when every difference from it fits in an int64.
  int64_t median = ApproximateMedian(r);
  int64_t unused;
  if (median != min && !__builtin_sub_overflow(max, median, &unused) &&
      !__builtin_sub_overflow(median, min, &unused)) {
    TryCoder(r, EntryCoder(true, median, factor), &best);
  }
  return best;
}

void WriteStream(std::span<const int64_t> r, const StreamPlan& plan, std::string* out) {
  out->push_back(
      static_cast<char>(static_cast<uint8_t>(plan.layout) | (plan.is_signed ? kSignedFlag : 0)));
  PutZvarint(plan.base, out);
  if (plan.layout == Layout::kConstant) return;
  PutUvarint(plan.factor, out);
  EntryCoder coder(plan.is_signed, plan.base, plan.factor);
  if (plan.layout == Layout::kSparse) {
    uint64_t nonzero = 0;
    for (int64_t x : r) nonzero += coder.Entry(x) != 0;
    PutUvarint(nonzero, out);
    size_t last = 0;
    for (size_t i = 0; i < r.size(); ++i) {
      uint64_t e = coder.Entry(r[i]);
      if (e == 0) continue;
      PutUvarint(i - last, out);
      PutUvarint(e, out);
      last = i + 1;
    }
    return;
  }
  out->push_back(static_cast<char>(plan.rice_k));
  out->push_back(static_cast<char>(plan.escape_width));
  int k = plan.rice_k;
  bool flagged = plan.layout == Layout::kFlaggedRice;
  BitWriter bits(out);
  for (int64_t x : r) {
    uint64_t e = coder.Entry(x);
    if (flagged) {
      bits.Write(e != 0, 1);
      if (e == 0) continue;
      --e;
    }
    uint64_t q = e >> k;
    if (q >= kRiceEscape) {
      bits.WriteOnes(kRiceEscape);
      bits.Write(e, plan.escape_width);
      continue;
    }
    // q ones, a zero, then the low k bits.
    uint64_t unary = (uint64_t{1} << q) - 1;
    if (q + 1 + k <= 64) {
      bits.Write(unary | LowBits(e, k) << (q + 1), static_cast<int>(q + 1 + k));
    } else {
      bits.Write(unary, static_cast<int>(q + 1));
      bits.Write(LowBits(e, k), k);
    }
  }
  bits.Finish();
}

namespace {

template <typename T>
void Store(T* out, uint64_t v) {
  *out = std::bit_cast<T>(v);
}

template <bool kFlagged, typename T>
Status ReadRice(ByteReader* in, const EntryCoder& coder, int k, int width, std::span<T> out) {
  BitReader bits(in->position(), in->end());
  const uint64_t low_mask = LowBits(~uint64_t{0}, k);
  for (T& slot : out) {
    bits.Refill();
    uint64_t peek = bits.Peek();
    uint64_t e = 0;
    if (kFlagged) {
      bits.Consume(1);
      if ((peek & 1) == 0) {
        Store(&slot, coder.Residual(0));
        continue;
      }
      peek >>= 1;
      e = 1;
    }
    int q = std::countr_one(peek);
    int length = q + 1 + k;
    if (q < kRiceEscape && length <= bits.available()) {  // The common case: one peek.
      e += static_cast<uint64_t>(q) << k | ((peek >> (q + 1)) & low_mask);
      bits.Consume(length);
    } else if (q < kRiceEscape) {
      bits.Consume(q + 1);
      e += static_cast<uint64_t>(q) << k | bits.Read(k);
    } else {
      bits.Consume(kRiceEscape);
      e += bits.Read(width);
    }
    Store(&slot, coder.Residual(e));
  }
  if (bits.overrun()) return Corruption(*in, "Rice-coded residuals run past the end of the chunk");
  if (!bits.padding_is_zero()) {
    return Status::Errorf(Status::Code::kCorruption, "non-zero padding bits at byte {}",
                          in->offset() + bits.position() / 8);
  }
  in->Skip(bits.next_byte());
  return Status::Ok();
}

template <typename T>
Status ReadSparse(ByteReader* in, const EntryCoder& coder, std::span<T> out) {
  for (T& slot : out) Store(&slot, static_cast<uint64_t>(coder.base));
  uint64_t nonzero;
  if (!in->ReadUvarint(&nonzero))
    return Corruption(*in, "truncated or malformed sparse entry count");
  if (nonzero == 0 || nonzero > out.size()) {
    return Corruption(*in, "sparse entry count out of range");
  }
  uint64_t next = 0;  // The first index the next entry may have.
  for (uint64_t i = 0; i < nonzero; ++i) {
    uint64_t gap;
    uint64_t e;
    if (!in->ReadUvarint(&gap) || !in->ReadUvarint(&e)) {
      return Corruption(*in, "truncated or malformed sparse entry");
    }
    if (gap >= out.size() - next) return Corruption(*in, "sparse entry index out of range");
    if (e == 0) return Corruption(*in, "sparse entry of zero");
    next += gap;
    Store(&out[next], coder.Residual(e));
    ++next;
  }
  return Status::Ok();
}

}  // namespace

template <typename T>
Status ReadStream(ByteReader* in, std::span<T> out) {
  uint8_t flags;
  int64_t base;
  if (!in->ReadByte(&flags) || !in->ReadZvarint(&base))
    return Corruption(*in, "truncated or malformed stream header");
  auto layout = static_cast<Layout>(flags & 3);
  bool is_signed = flags & kSignedFlag;
  if ((flags & ~(3 | kSignedFlag)) != 0 || (layout == Layout::kConstant && is_signed)) {
    return Corruption(*in, fmt::format("unknown stream flags 0x{:02x}", flags));
  }
  if (layout == Layout::kConstant) {
    for (T& slot : out) Store(&slot, static_cast<uint64_t>(base));
    return Status::Ok();
  }
  uint64_t factor;
  if (!in->ReadUvarint(&factor)) return Corruption(*in, "truncated or malformed stream factor");
  if (factor == 0) return Corruption(*in, "stream factor of zero");
  EntryCoder coder(is_signed, base, factor);
  if (layout == Layout::kSparse) return ReadSparse(in, coder, out);
  uint8_t k;
  uint8_t width;
  if (!in->ReadByte(&k) || !in->ReadByte(&width)) return Corruption(*in, "truncated Rice header");
  if (k > 63 || width == 0 || width > 64) {
    return Corruption(*in, fmt::format("Rice parameters k={} width={} out of range", k, width));
  }
  if (layout == Layout::kFlaggedRice) return ReadRice<true>(in, coder, k, width, out);
  return ReadRice<false>(in, coder, k, width, out);
}

template Status ReadStream(ByteReader* in, std::span<int64_t> out);
template Status ReadStream(ByteReader* in, std::span<double> out);

}  // namespace argus::tsdb
