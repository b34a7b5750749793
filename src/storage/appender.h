#pragma once

#include <cstdint>
#include <memory>

#include "base/status.h"
#include "model/labels.h"

namespace argus::storage {

// An opaque handle to a series, returned by Append so that the next sample of the same series
// skips the label look-up. 0 means "not known".
using SeriesRef = uint64_t;

// Adds samples in a transaction: everything appended becomes visible to queries, and durable where
// the storage is, when Commit returns OK; nothing does after Rollback. An Appender is used by one
// thread at a time and is done after Commit or Rollback.
//
// Scrape, collect, probe, recording rules, remote-write receive and import all write through this
// interface and never depend on which storage is behind it.
class Appender {
 public:
  virtual ~Appender() = default;

  // Adds the sample (t, v) to the series `labels`: t in milliseconds since the epoch, v any float64
  // including NaN payloads such as the staleness marker, kept bit-exact. Returns the series' ref.
  //
  // `ref`, if non-zero, is what an earlier Append of this storage returned for the same series;
  // the storage then finds the series by it and ignores `labels`, which may be empty, so callers
  // need not keep label sets of their own. A storage that no longer knows `ref` (the series was
  // dropped after it had no samples for a while) looks `labels` up instead, or returns kNotFound
  // when they are empty.
  //
  // A rejected sample (Status::Code kOutOfOrder, kDuplicate, kOutOfBounds, kNotFound) leaves the
  // rest of the transaction intact; the caller counts it and goes on.
  virtual Result<SeriesRef> Append(SeriesRef ref, const model::Labels& labels, int64_t t,
                                   double v) = 0;

  // Makes the appended samples visible (and durable, where the storage is). Returns kIOError
  // when they could not be written; they are then not visible either.
  virtual Status Commit() = 0;

  // Discards the appended samples.
  virtual void Rollback() = 0;
};

// Hands out Appenders. Thread-safe.
class Appendable {
 public:
  virtual ~Appendable() = default;
  virtual std::unique_ptr<Appender> NewAppender() = 0;
};

}  // namespace argus::storage
