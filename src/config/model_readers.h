#pragma once

#include <vector>

#include "config/yaml_reader.h"
#include "model/labels.h"
#include "model/relabel.h"

namespace argus::config {

// Readers of the model's types where a configuration holds them, wherever in the file that is:
// errors go to `r`'s diagnostics, as its other fields' do.

// Reads the mapping of label names to values at `key` of `r` into `out`; leaves `out` alone when
// absent or when a name is not a valid label name.
void ReadLabels(MapReader& r, const char* key, model::Labels* out);

// Reads the list of relabel steps at `key` of `r` (relabel_configs, metric_relabel_configs,
// write_relabel_configs, ...), each checked as Prometheus checks it, into `out`; a step with an
// error is left out.
void ReadRelabelConfigs(MapReader& r, const char* key, std::vector<model::RelabelConfig>* out);

}  // namespace argus::config
