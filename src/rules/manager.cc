#include "rules/manager.h"

namespace argus::rules {

Manager::~Manager() { Stop(); }

void Manager::Update(const RulesConfig& config) {
  absl::MutexLock lock(&mu_);
  std::map<std::string, std::unique_ptr<Group>> running;
  for (auto& group : groups_) {
    std::string key = group->key();
    running.emplace(std::move(key), std::move(group));
  }
  const bool same_context = context_.external_labels == config.context.external_labels &&
                            context_.external_url == config.context.external_url;
  std::vector<std::unique_ptr<Group>> groups;
  for (const RuleGroupSpec& spec : config.groups) {
    auto group =
        std::make_unique<Group>(spec, config.evaluation_interval, config.context, services_);
    auto old = running.find(group->key());
    if (old == running.end()) {
      group->Start(/*restore_for_state=*/!updated_);
    } else if (same_context && old->second->spec() == spec &&
               old->second->interval() == group->interval()) {
      group = std::move(old->second);
      running.erase(old);
    } else {
      old->second->Stop(/*mark_stale=*/false);
      group->TakeStateFrom(*old->second);
      running.erase(old);
      group->Start(/*restore_for_state=*/false);
    }
    groups.push_back(std::move(group));
  }
  for (auto& [key, group] : running) group->Stop(/*mark_stale=*/true);
  groups_ = std::move(groups);
  context_ = config.context;
  updated_ = true;
}

void Manager::Stop() {
  absl::MutexLock lock(&mu_);
  for (auto& group : groups_) group->Stop(/*mark_stale=*/false);
}

std::vector<GroupStatus> Manager::Groups() const {
  absl::MutexLock lock(&mu_);
  std::vector<GroupStatus> groups;
  for (const auto& group : groups_) groups.push_back(group->Snapshot());
  return groups;
}

std::vector<AlertStatus> Manager::Alerts() const {
  std::vector<AlertStatus> alerts;
  for (GroupStatus& group : Groups()) {
    for (RuleStatus& rule : group.rules) {
      for (AlertStatus& alert : rule.alerts) alerts.push_back(std::move(alert));
    }
  }
  return alerts;
}

}  // namespace argus::rules
