#pragma once

#include <cstdint>
#include <string>

namespace argus {

// `t_ms` (milliseconds since the Unix epoch) in RFC 3339 as Go's time.RFC3339Nano layout writes
// it in UTC: "2023-11-14T22:13:20.5Z", no trailing zeros in the fraction. Prometheus' and
// Alertmanager's JSON carry times in this form.
std::string FormatRfc3339(int64_t t_ms);

}  // namespace argus
