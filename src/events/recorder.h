#pragma once

#include "base/metrics.h"
#include "base/status.h"
#include "events/bus.h"
#include "events/event.h"
#include "events/store.h"

namespace argus::events {

// Where events enter Argus: the API's POST /api/v1/events, `argus event deploy`, and the stages
// that observe deploys, restarts and probe failures. Recording an event stores it, then counts it
// in argus_events_total{kind}, then publishes it on the bus; so a subscriber (the notifier) never
// acts on an event that a restart would forget.
//
// Thread-safe. `store`, `bus` and `registry` must outlive the recorder.
class Recorder {
 public:
  // Registers argus_events_total on `registry`.
  Recorder(Store& store, Bus& bus, MetricsRegistry& registry);

  // Stores `event` (see Store::Append, whose errors it returns) and, once it is stored, publishes
  // it. The bus' callbacks run on the calling thread before this returns.
  Status Record(const Event& event);

 private:
  Store& store_;
  Bus& bus_;
  CounterFamily& recorded_;
};

}  // namespace argus::events
