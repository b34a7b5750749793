#include "tsdb/chunkenc/value_mapping.h"

#include <algorithm>

namespace argus::tsdb {

bool MapToDecimal(std::span<const double> v, size_t max_exceptions, MappedValues* out) {
  out->kind = ValueKind::kDecimal;
  out->ints.resize(v.size());
  out->exceptions.clear();
  int scale = 0;
  size_t rescale_before = 0;  // Integers before this index were scaled at a smaller scale.
  for (size_t i = 0; i < v.size(); ++i) {
    if (ToDecimal(v[i], scale, &out->ints[i])) continue;
    int wider = MinDecimalScale(v[i], scale + 1, &out->ints[i]);
    if (wider < 0) {
      out->exceptions.push_back(static_cast<uint32_t>(i));
      if (out->exceptions.size() > max_exceptions) return false;
      continue;
    }
    scale = wider;
    rescale_before = i;
  }
  out->scale = scale;
  // A few of the values seen before the last widening may now be too large.
  std::vector<uint32_t> too_large;
  for (size_t i = 0, e = 0; i < rescale_before; ++i) {
    if (e < out->exceptions.size() && out->exceptions[e] == i) {
      ++e;
    } else if (!ToDecimal(v[i], scale, &out->ints[i])) {
      too_large.push_back(static_cast<uint32_t>(i));
    }
  }
  if (!too_large.empty()) {
    std::vector<uint32_t> merged(out->exceptions.size() + too_large.size());
    std::merge(out->exceptions.begin(), out->exceptions.end(), too_large.begin(), too_large.end(),
               merged.begin());
    out->exceptions = std::move(merged);
    if (out->exceptions.size() > max_exceptions) return false;
  }
  if (out->exceptions.size() == v.size()) return false;
  size_t first_regular = 0;
  while (first_regular < out->exceptions.size() &&
         out->exceptions[first_regular] == first_regular) {
    ++first_regular;
  }
  for (uint32_t i : out->exceptions) {
    out->ints[i] = i == 0 ? out->ints[first_regular] : out->ints[i - 1];
  }
  return true;
}

void MapToFloatBits(std::span<const double> v, MappedValues* out) {
  out->kind = ValueKind::kFloatBits;
  out->scale = 0;
  out->exceptions.clear();
  out->ints.resize(v.size());
  for (size_t i = 0; i < v.size(); ++i) out->ints[i] = FloatToOrdered(v[i]);
}

}  // namespace argus::tsdb
