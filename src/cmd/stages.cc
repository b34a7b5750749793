#include "cmd/stages.h"

#include <string>

#include "base/check.h"

namespace argus::cmd {

Stages::~Stages() {
  Stop();
  while (!stages_.empty()) stages_.pop_back();
}

void Stages::AddRoutes(http::Router& router) {
  for (const auto& stage : stages_) stage->AddRoutes(router);
}

Status Stages::ApplyConfig(std::shared_ptr<const config::Config> config) {
  CHECK(config != nullptr);
  CHECK(!stopped_);
  for (const auto& stage : stages_) {
    Status checked = stage->CheckConfig(*config);
    if (!checked.ok()) return checked.Wrap(stage->name());
  }
  for (size_t i = 0; i < stages_.size(); ++i) {
    Status applied = stages_[i]->ApplyConfig(*config);
    if (applied.ok()) continue;
    applied = applied.Wrap(stages_[i]->name());
    if (!applied_) return applied;  // At start: nothing runs that could be returned to.
    // The failing stage may run part of the new configuration too, so it goes back as well.
    std::string failed_returns;
    for (size_t j = i + 1; j-- > 0;) {
      Status restored = stages_[j]->ApplyConfig(*applied_);
      if (restored.ok()) continue;
      failed_returns += fmt::format("; {} could not return to the running configuration: {}",
                                    stages_[j]->name(), restored.message());
    }
    if (failed_returns.empty()) return applied;
    applied_ = nullptr;
    return Status::Errorf(applied.code(), "{}{}", applied.message(), failed_returns);
  }
  applied_ = std::move(config);
  return Status::Ok();
}

void Stages::Stop() {
  if (stopped_) return;
  stopped_ = true;
  for (auto it = stages_.rbegin(); it != stages_.rend(); ++it) (*it)->Stop();
}

}  // namespace argus::cmd
