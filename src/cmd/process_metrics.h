#pragma once

#include "base/metrics.h"

namespace argus::cmd {

// Registers process_* metrics (CPU seconds, resident and virtual memory, open and maximum file
// descriptors, start time) as client_golang's process collector names them, read from /proc/self
// when /metrics is rendered.
void RegisterProcessMetrics(MetricsRegistry& registry);

}  // namespace argus::cmd
