#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/labels.h"
#include "model/matcher.h"

namespace argus::storage {

// One sample of a series: milliseconds since the epoch and its value.
struct SamplePoint {
  int64_t t = 0;
  double v = 0;
};

// Walks the samples of one series in time order. Not thread-safe, but independent of the
// SeriesSet and Series it came from: it may be used on another thread while the querier's
// thread goes on, as long as the querier lives.
class SampleIterator {
 public:
  virtual ~SampleIterator() = default;
  // Moves to the next sample; false at the end or on error (see Err).
  virtual bool Next() = 0;
  // Moves to the first sample with timestamp >= t (staying put if already there); false if none.
  virtual bool Seek(int64_t t) = 0;
  // The current sample; valid after Next or Seek returned true.
  virtual int64_t t() const = 0;
  virtual double v() const = 0;
  virtual Status Err() const = 0;

  // Appends every sample with mint <= t <= maxt to `*out`, in time order: what Seek(mint) and
  // Next up to maxt would give, in one call (queries read whole ranges; iterators over
  // compressed chunks override it to copy decoded chunks instead of paying calls per sample).
  // For a fresh iterator, instead of Seek and Next; the iterator is used up afterwards. Returns
  // Err(): on an error, the samples before it may have been appended.
  virtual Status AppendRange(int64_t mint, int64_t maxt, std::vector<SamplePoint>* out) {
    if (Seek(mint)) {
      do {
        if (t() > maxt) break;
        out->push_back({t(), v()});
      } while (Next());
    }
    return Err();
  }
};

class Series {
 public:
  virtual ~Series() = default;
  virtual const model::Labels& labels() const = 0;
  // An iterator over the series' samples within the querier's time range.
  virtual std::unique_ptr<SampleIterator> Iterator() const = 0;
};

// The series matched by one Select, sorted by labels. Not thread-safe.
class SeriesSet {
 public:
  virtual ~SeriesSet() = default;
  virtual bool Next() = 0;
  // The current series; valid until the next call to Next.
  virtual const Series& At() const = 0;
  virtual Status Err() const = 0;
};

// Reads a consistent view of the data between mint and maxt (milliseconds, inclusive). PromQL,
// the HTTP API and federation read through this interface. One thread at a time; the series
// and iterators it returns must not outlive it.
class Querier {
 public:
  virtual ~Querier() = default;
  // Series that match all `matchers` and have samples in [mint, maxt].
  virtual std::unique_ptr<SeriesSet> Select(std::span<const model::Matcher> matchers) = 0;
  // Label names, sorted, of series that match all `matchers` (all series when empty).
  virtual Result<std::vector<std::string>> LabelNames(std::span<const model::Matcher> matchers) = 0;
  // Values of label `name`, sorted, of series that match all `matchers`.
  virtual Result<std::vector<std::string>> LabelValues(
      const std::string& name, std::span<const model::Matcher> matchers) = 0;
};

// Hands out Queriers. Thread-safe.
class Queryable {
 public:
  virtual ~Queryable() = default;
  virtual std::unique_ptr<Querier> NewQuerier(int64_t mint, int64_t maxt) = 0;
};

// A NaN with a payload that marks a series as stale (Prometheus' value, 0x7ff0000000000002).
double StaleNaN();
// True only for the staleness marker, not for other NaNs.
bool IsStaleNaN(double v);

}  // namespace argus::storage
