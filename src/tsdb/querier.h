#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "storage/querier.h"
#include "tsdb/head.h"
#include "tsdb/index/block_reader.h"

namespace argus::tsdb {

// Reads the samples in [mint, maxt] of `blocks` and `head` (null: none) as one storage::Querier:
// a series held by several of them is one series, its samples in time order with each timestamp
// once (where blocks overlap, the earlier one in `blocks` wins, and blocks win over the head).
//
// The head's chunks of a series are taken when Select reaches it, so what a querier reads stays
// as it was while appends and truncations go on; the blocks stay open while the querier lives,
// and the pages of theirs that it made resident are given back when it is destroyed (a query's
// memory is what it reads, not every block it ever read). The head must outlive the querier.
std::unique_ptr<storage::Querier> NewQuerier(const Head* head,
                                             std::vector<std::shared_ptr<const BlockReader>> blocks,
                                             int64_t mint, int64_t maxt);

}  // namespace argus::tsdb
