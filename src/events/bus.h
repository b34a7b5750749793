#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <cstdint>
#include <functional>
#include <map>

#include "events/event.h"

namespace argus::events {

class Bus;

// Keeps a callback subscribed to a Bus for as long as it lives. Destroying it (or Cancel) ends the
// subscription: once that returns, the callback is not running and is never called again, so what
// it refers to may go. Movable, not copyable.
class Subscription {
 public:
  Subscription() = default;
  Subscription(Subscription&& other) noexcept;
  Subscription& operator=(Subscription&& other) noexcept;
  ~Subscription() { Cancel(); }

  // Idempotent.
  void Cancel();

 private:
  friend class Bus;
  Subscription(Bus* bus, uint64_t id) : bus_(bus), id_(id) {}
  Bus* bus_ = nullptr;
  uint64_t id_ = 0;
};

// Hands every recorded event to the stages that act on events: the notifier routes each as an
// alert. Stages that observe events (probes, Kubernetes) do not publish here themselves: they
// record through a Recorder, which stores the event first.
//
// Thread-safe. Publish calls the callbacks on the caller's thread, one after the other, in the
// order they subscribed; publishes from several threads may run at the same time. A callback
// must be quick (queue the event and return), must not throw, and must not subscribe, cancel a
// subscription or record an event. The bus must outlive its subscriptions.
class Bus {
 public:
  using Callback = std::function<void(const Event&)>;

  Bus() = default;
  Bus(const Bus&) = delete;
  Bus& operator=(const Bus&) = delete;

  // Calls `callback` with each event published from now on, until the subscription ends.
  [[nodiscard]] Subscription Subscribe(Callback callback) ABSL_LOCKS_EXCLUDED(mu_);

  // Calls every subscribed callback with `event`.
  void Publish(const Event& event) const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  friend class Subscription;
  void Unsubscribe(uint64_t id) ABSL_LOCKS_EXCLUDED(mu_);

  // Publishers hold it shared while they call the callbacks, so Unsubscribe, which takes it
  // exclusively, returns only when no call is running.
  mutable absl::Mutex mu_;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  std::map<uint64_t, Callback> callbacks_ ABSL_GUARDED_BY(mu_);  // By id: in subscription order.
};

}  // namespace argus::events
