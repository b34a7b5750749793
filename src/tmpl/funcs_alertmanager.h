#pragma once

// Alertmanager's template functions (Alertmanager's template.DefaultFuncs):
//
//   toUpper toLower title trimSpace join match safeHtml safeUrl urlUnescape reReplaceAll
//   stringSlice date tz since humanizeDuration now list dict append base64encode base64decode
//
// `join SEP LIST` takes the separator first, for pipelines (`.Values | join ", "`); `date LAYOUT
// TIME` formats with a Go layout; `tz NAME TIME` moves a time to an IANA zone; `since TIME` and
// `now` read `clock`.

#include "base/clock.h"
#include "tmpl/value.h"

namespace argus::tmpl {

// `clock` must outlive the functions (and the TemplateSet holding them).
FuncMap AlertmanagerFuncs(const Clock& clock);

}  // namespace argus::tmpl
