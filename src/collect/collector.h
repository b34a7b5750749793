#pragma once

#include "base/status.h"
#include "collect/sample_writer.h"

namespace argus::collect {

// Reads one source of metrics that needs no exporter (the host's /proc and /sys, the cgroups of
// its containers) and writes what it read through `out`, which has begun a collection. Returns an
// error, with what could not be read and where, only when nothing useful could be collected (the
// target is then down); a part that is missing on this machine (no PSI, no swap) is not an error.
// Called by one thread at a time.
class Collector {
 public:
  virtual ~Collector() = default;
  virtual Status Collect(SampleWriter& out) = 0;
};

}  // namespace argus::collect
