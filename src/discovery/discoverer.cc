#include "discovery/discoverer.h"

namespace argus::discovery {

model::Labels DiscoveredLabels(const TargetGroup& group, const model::Labels& target) {
  model::LabelsBuilder b(group.labels);
  for (const auto& l : target) b.Set(l.name, l.value);
  return b.Build();
}

}  // namespace argus::discovery
