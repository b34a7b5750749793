#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/labels.h"

namespace argus::discovery {

// A set of targets from one source that share labels, as Prometheus' targetgroup.Group.
struct TargetGroup {
  std::string source;                  // Unique within its discoverer, e.g. "file.json:0".
  std::vector<model::Labels> targets;  // Each has at least __address__ (and __meta_* labels).
  model::Labels labels;                // Common to every target of the group.
};

// The labels discovery found for `target` of `group`: the group's, overridden by the target's own.
model::Labels DiscoveredLabels(const TargetGroup& group, const model::Labels& target);

// Called with the complete current list of groups of one discoverer whenever it changes. A group
// that disappears is simply absent from the next call.
using UpdateFunc = std::function<void(std::vector<TargetGroup>)>;

// Finds scrape (later also probe) targets.
class Discoverer {
 public:
  virtual ~Discoverer() = default;
  // Starts discovering; `update` gets the first full list as soon as it is known and every change
  // after that, on the thread that calls Start or on one that the discoverer's timers run on.
  // Call once.
  virtual void Start(UpdateFunc update) = 0;
  // Stops; no call to `update` starts after Stop returns.
  virtual void Stop() = 0;
};

}  // namespace argus::discovery
