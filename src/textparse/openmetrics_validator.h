#pragma once

#include <string_view>

#include "base/status.h"

namespace argus::textparse {

// Checks `document` against every rule of the OpenMetrics 1.0 text format: the line grammar
// (through the strict parser) and the rules across lines — metric families contiguous and named
// without clashes, metadata once and before the samples, the samples and labels each type needs,
// counter and histogram values, bucket order, exemplars only where allowed, timestamps in order.
// Errors read "line:column: what is wrong"; an error about a whole line points at its start, one
// about the document as a whole at its end.
Status ValidateOpenMetrics(std::string_view document);

}  // namespace argus::textparse
