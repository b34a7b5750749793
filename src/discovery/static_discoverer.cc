#include "discovery/static_discoverer.h"

namespace argus::discovery {
namespace {

class StaticDiscoverer final : public Discoverer {
 public:
  explicit StaticDiscoverer(std::vector<config::StaticConfig> configs) {
    for (size_t i = 0; i < configs.size(); ++i) {
      TargetGroup group;
      group.source = std::to_string(i);
      group.labels = configs[i].labels;
      for (const auto& address : configs[i].targets) {
        group.targets.push_back(model::Labels{{"__address__", address}});
      }
      groups_.push_back(std::move(group));
    }
  }
  void Start(UpdateFunc update) override { update(groups_); }
  void Stop() override {}

 private:
  std::vector<TargetGroup> groups_;
};

}  // namespace

std::unique_ptr<Discoverer> NewStaticDiscoverer(std::vector<config::StaticConfig> configs) {
  return std::make_unique<StaticDiscoverer>(std::move(configs));
}

}  // namespace argus::discovery
