#pragma once

// Galloping search, the Seek of the array-backed postings lists. Internal to tsdb/index.

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace argus::tsdb {

// The first position in [pos, count) whose id (id_at(i), ascending) is >= target, or count.
// Steps 1, 2, 4, ... ahead before a binary search, so that a nearby target (the usual case in an
// intersection) costs a few probes in cache instead of a search over the whole rest.
template <typename IdAt>
size_t GallopTo(size_t pos, size_t count, uint64_t target, IdAt id_at) {
  if (pos >= count || id_at(pos) >= target) return pos;
  size_t low = pos, step = 1;
  while (low + step < count && id_at(low + step) < target) {
    low += step;
    step *= 2;
  }
  // id_at(low) < target, and the answer is in (low, min(low + step, count)].
  size_t high = std::min(low + step, count);
  ++low;
  while (low < high) {
    size_t mid = low + (high - low) / 2;
    if (id_at(mid) < target) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

}  // namespace argus::tsdb
