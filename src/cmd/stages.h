#pragma once

#include <memory>
#include <vector>

#include "base/status.h"
#include "cmd/stage.h"
#include "config/config.h"
#include "http/server.h"

namespace argus::cmd {

// The server's stages in start order: each is added after the stages it builds on, runs every
// configuration through the same path (check all, then apply all), and is stopped before them.
// Adding a stage to the server is one Add in that order. Not thread-safe: the server's main
// thread makes, configures and stops the stages.
class Stages {
 public:
  Stages() = default;
  Stages(const Stages&) = delete;
  Stages& operator=(const Stages&) = delete;
  // Stops the stages unless Stop ran, then destroys them in reverse order, so that a stage goes
  // after every stage that holds a reference to it.
  ~Stages();

  // Appends `stage`, which may refer to the stages added before it, before the first ApplyConfig.
  // Returns it.
  template <typename T>
  T& Add(std::unique_ptr<T> stage) {
    T& added = *stage;
    stages_.push_back(std::move(stage));
    return added;
  }

  // Every stage's routes, in start order.
  void AddRoutes(http::Router& router);

  // The one path by which a configuration reaches the stages, at start and on every reload:
  // CheckConfig on every stage, then, when all passed, ApplyConfig stage by stage. A failed check
  // changes nothing. A failed apply makes the stages that took the new configuration, the failing
  // one included, apply the running one again (in reverse order); at start there is none to go
  // back to. Errors name the stage: "scrape: <what failed>". `config` is not null; not after Stop.
  [[nodiscard]] Status ApplyConfig(std::shared_ptr<const config::Config> config);

  // The configuration every stage runs: the last one applied, unless an ApplyConfig failed since
  // and left the stages on different ones (a failed start, a failed return to the running
  // configuration). Null then, and before the first ApplyConfig.
  const std::shared_ptr<const config::Config>& applied() const { return applied_; }

  // Stops the stages in reverse order of start. Later calls do nothing.
  void Stop();

 private:
  std::vector<std::unique_ptr<Stage>> stages_;
  std::shared_ptr<const config::Config> applied_;
  bool stopped_ = false;
};

}  // namespace argus::cmd
