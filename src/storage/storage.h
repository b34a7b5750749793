#pragma once

#include "storage/appender.h"
#include "storage/querier.h"

namespace argus::storage {

// What the stages get: a place to write samples and read them back. The TSDB is one; the memory
// storage another. Thread-safe.
class Storage : public Appendable, public Queryable {};

}  // namespace argus::storage
