#pragma once

// Go's time.Time and time.Duration as templates see them (internal to src/tmpl): their String
// forms, Go's reference-time layouts ("2006-01-02 15:04:05") and the methods a template may call
// on them (.Format, .Unix, .UTC, .Seconds, ...).

#include <absl/time/time.h>

#include <string>
#include <string_view>

#include "tmpl/value.h"

namespace argus::tmpl::internal {

// time.Time.Format with a Go layout.
std::string FormatGoTime(absl::Time t, absl::TimeZone zone, std::string_view layout);
// time.Time.String: "2006-01-02 15:04:05.999999999 -0700 MST".
std::string GoTimeString(absl::Time t, absl::TimeZone zone);
// time.Duration.String: "1h2m3.5s", "1.5ms", "0s".
std::string GoDurationString(absl::Duration d);

// The methods of time values and of durations (null for other kinds).
const MethodTable* TimeMethods();
const MethodTable* DurationMethods();

}  // namespace argus::tmpl::internal
