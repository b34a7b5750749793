#include "events/recorder.h"

namespace argus::events {

Recorder::Recorder(Store& store, Bus& bus, MetricsRegistry& registry)
    : store_(store),
      bus_(bus),
      recorded_(registry.AddCounterFamily(
          "argus_events_total", "Events recorded (stored and published), by kind.", {"kind"})) {}

Status Recorder::Record(const Event& event) {
  ARGUS_RETURN_IF_ERROR(store_.Append(event));
  recorded_.WithLabels({event.kind}).Inc();
  bus_.Publish(event);
  return Status::Ok();
}

}  // namespace argus::events
