#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>

#include "base/clock.h"
#include "collect/collector.h"
#include "config/config.h"
#include "http/event_loop.h"
#include "storage/appender.h"

namespace argus::collect {

// Runs the collectors that the configuration's `collectors:` section turns on, each at its
// interval on the shared event loop (reading /proc and /sys is fast, so collections run right on
// a loop thread), writing through `storage` with timestamps from `clock`. `loop`, `storage` and
// `clock` must outlive the manager. Thread-safe.
class CollectManager {
 public:
  CollectManager(http::EventLoop& loop, storage::Appendable& storage, const Clock& clock);
  ~CollectManager();  // Stops.

  // Starts, stops and replaces collectors to match `config`: one whose settings are unchanged
  // keeps running untouched; a removed or changed one has its series marked stale. Never fails
  // today; an unreadable /proc or cgroup tree is reported as up == 0, not here.
  Status ApplyConfig(const config::Config& config);

  // Stops every collector, marking its series stale.
  void Stop();

 private:
  class Runner;
  // Replaces `*runner` by a new one collecting from what `make` builds, unless it exists and its
  // settings are unchanged; a disabled collector leaves it empty.
  void Replace(std::shared_ptr<Runner>* runner, bool changed, bool enabled, model::Labels target,
               std::chrono::milliseconds interval,
               const std::function<std::unique_ptr<Collector>()>& make);
  http::EventLoop& loop_;
  storage::Appendable& storage_;
  const Clock& clock_;
  std::mutex mu_;
  config::CollectorsConfig applied_;    // Guarded by mu_.
  std::shared_ptr<Runner> host_;        // Guarded by mu_.
  std::shared_ptr<Runner> containers_;  // Guarded by mu_.
};

}  // namespace argus::collect
