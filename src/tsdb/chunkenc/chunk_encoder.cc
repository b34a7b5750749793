// EncodeChunk: the sealed format's encoder. Layout in docs/format/chunks.md.

#include <algorithm>
#include <array>
#include <vector>

#include "tsdb/chunkenc/chunk.h"
#include "tsdb/chunkenc/chunk_layout.h"
#include "tsdb/chunkenc/residual_stream.h"
#include "tsdb/chunkenc/value_mapping.h"

namespace argus::tsdb {
namespace {

// The residuals of `order` (0: the integers, 1: deltas, 2: deltas of deltas), modulo 2^64.
void Residuals(std::span<const int64_t> x, int order, std::vector<int64_t>* r) {
  r->resize(x.size() - order);
  for (size_t i = order; i < x.size(); ++i) {
    int64_t residual = x[i];
    if (order >= 1) residual = WrappingSub(residual, x[i - 1]);
    if (order == 2) residual = WrappingSub(residual, WrappingSub(x[i - 1], x[i - 2]));
    (*r)[i - order] = residual;
  }
}

struct ValuesPlan {
  int order = 0;
  StreamPlan stream;
  uint64_t bits = UINT64_MAX;  // With the header and the exceptions.
};

// A quick guess at how well each order codes x: the total width of its residuals, less the
// first one, zigzagged. Planning a stream costs more, so only orders near the best are planned.
std::array<uint64_t, 3> GuessOrderBits(std::span<const int64_t> x) {
  std::array<uint64_t, 3> bits{};
  if (x.size() < 3) return bits;
  int64_t d1 = WrappingSub(x[1], x[0]);
  int64_t dd2 = WrappingSub(WrappingSub(x[2], x[1]), d1);
  for (size_t i = 2; i < x.size(); ++i) {
    int64_t d = WrappingSub(x[i], x[i - 1]);
    int64_t dd = WrappingSub(d, WrappingSub(x[i - 1], x[i - 2]));
    bits[0] += BitWidth(ZigZag(WrappingSub(x[i], x[0])));
    bits[1] += BitWidth(ZigZag(WrappingSub(d, d1)));
    bits[2] += BitWidth(ZigZag(WrappingSub(dd, dd2)));
  }
  return bits;
}

ValuesPlan PlanValues(const MappedValues& mapped, std::vector<int64_t>* scratch) {
  ValuesPlan best;
  uint64_t exception_bits = 8 * 9 * mapped.exceptions.size();
  int max_order = static_cast<int>(std::min<size_t>(2, mapped.ints.size() - 1));
  std::array<uint64_t, 3> guess = GuessOrderBits(mapped.ints);
  uint64_t best_guess = *std::min_element(guess.begin(), guess.end());
  for (int order = 0; order <= max_order; ++order) {
    if (guess[order] > best_guess + best_guess / 8 + 16) continue;
    Residuals(mapped.ints, order, scratch);
    StreamPlan stream = PlanStream(*scratch);
    uint64_t bits = stream.bits + exception_bits;
    if (order >= 1) bits += 8 * UvarintLength(ZigZag(mapped.ints[0]));
    if (order == 2) bits += 8 * UvarintLength(ZigZag(WrappingSub(mapped.ints[1], mapped.ints[0])));
    if (bits < best.bits) best = {order, stream, bits};
  }
  DCHECK(best.bits != UINT64_MAX);  // The order with the best guess is always planned.
  return best;
}

void WriteValues(std::span<const double> v, const MappedValues& mapped, const ValuesPlan& plan,
                 std::vector<int64_t>* scratch, std::string* out) {
  out->push_back(static_cast<char>(static_cast<uint8_t>(mapped.kind) | plan.order << 2));
  if (mapped.kind == ValueKind::kDecimal) out->push_back(static_cast<char>(mapped.scale));
  const std::vector<int64_t>& x = mapped.ints;
  if (plan.order >= 1) PutZvarint(x[0], out);
  if (plan.order == 2) PutZvarint(WrappingSub(x[1], x[0]), out);
  Residuals(x, plan.order, scratch);
  WriteStream(*scratch, plan.stream, out);
  if (mapped.kind != ValueKind::kDecimal) return;
  PutUvarint(mapped.exceptions.size(), out);
  uint32_t next = 0;
  for (uint32_t i : mapped.exceptions) {
    PutUvarint(i - next, out);
    PutFixed64(std::bit_cast<uint64_t>(v[i]), out);
    next = i + 1;
  }
}

void EncodeValues(std::span<const double> v, std::string* out) {
  auto first = std::bit_cast<uint64_t>(v[0]);
  if (std::all_of(v.begin(), v.end(),
                  [&](double x) { return std::bit_cast<uint64_t>(x) == first; })) {
    out->push_back(static_cast<char>(ValueKind::kConstant));
    PutFixed64(first, out);
    return;
  }
  std::vector<int64_t> scratch;
  MappedValues decimal;
  if (MapToDecimal(v, v.size() / 8 + 1, &decimal)) {
    ValuesPlan decimal_plan = PlanValues(decimal, &scratch);
    if (decimal.exceptions.empty()) return WriteValues(v, decimal, decimal_plan, &scratch, out);
    MappedValues bits;
    MapToFloatBits(v, &bits);
    ValuesPlan bits_plan = PlanValues(bits, &scratch);
    if (decimal_plan.bits <= bits_plan.bits) {
      return WriteValues(v, decimal, decimal_plan, &scratch, out);
    }
    return WriteValues(v, bits, bits_plan, &scratch, out);
  }
  MapToFloatBits(v, &decimal);
  WriteValues(v, decimal, PlanValues(decimal, &scratch), &scratch, out);
}

}  // namespace

Status EncodeChunk(std::span<const int64_t> t, std::span<const double> v, std::string* out) {
  if (t.size() != v.size()) {
    return Status::Errorf(Status::Code::kInvalidInput, "{} timestamps but {} values", t.size(),
                          v.size());
  }
  if (t.empty() || t.size() > kMaxChunkSamples) {
    return Status::Errorf(Status::Code::kInvalidInput, "a chunk holds 1 to {} samples, not {}",
                          kMaxChunkSamples, t.size());
  }
  for (size_t i = 1; i < t.size(); ++i) {
    if (t[i] <= t[i - 1]) {
      return Status::Errorf(Status::Code::kInvalidInput,
                            "timestamp {} at sample {} does not follow {}", t[i], i, t[i - 1]);
    }
  }
  out->push_back(static_cast<char>(ChunkEncoding::kRice));
  PutUvarint(t.size(), out);
  PutZvarint(t[0], out);
  if (t.size() > 1) {
    std::vector<int64_t> deltas(t.size() - 1);
    for (size_t i = 1; i < t.size(); ++i) {
      deltas[i - 1] = WrappingSub(t[i], t[i - 1]);
    }
    WriteStream(deltas, PlanStream(deltas), out);
  }
  EncodeValues(v, out);
  return Status::Ok();
}

}  // namespace argus::tsdb
