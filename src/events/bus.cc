#include "events/bus.h"

#include <utility>

namespace argus::events {

Subscription::Subscription(Subscription&& other) noexcept
    : bus_(std::exchange(other.bus_, nullptr)), id_(other.id_) {}

Subscription& Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    Cancel();
    bus_ = std::exchange(other.bus_, nullptr);
    id_ = other.id_;
  }
  return *this;
}

void Subscription::Cancel() {
  if (bus_ != nullptr) std::exchange(bus_, nullptr)->Unsubscribe(id_);
}

Subscription Bus::Subscribe(Callback callback) {
  absl::MutexLock lock(&mu_);
  uint64_t id = next_id_++;
  callbacks_.emplace(id, std::move(callback));
  return Subscription(this, id);
}

void Bus::Publish(const Event& event) const {
  absl::ReaderMutexLock lock(&mu_);
  for (const auto& [id, callback] : callbacks_) callback(event);
}

void Bus::Unsubscribe(uint64_t id) {
  absl::MutexLock lock(&mu_);
  callbacks_.erase(id);
}

}  // namespace argus::events
