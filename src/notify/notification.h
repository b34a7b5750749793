#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/alert.h"
#include "model/labels.h"

namespace argus::notify {

// The seams inside the notifier, in the order a notification passes them:
//
//   dispatcher ──GroupNotification──▶ renderer ──Message──▶ delivery queue ──HTTP──▶ Slack, ...
//
// The dispatcher (routes, groups, inhibition, silences, deduplication) decides that a group of
// alerts is to be told to a receiver; the renderer turns that into one request body per
// integration of the receiver (Slack's JSON, the webhook's, ...); the delivery queue writes each
// message to disk before it sends it and retries until it is delivered or fails for good.

// A group of alerts to tell one receiver about, as Alertmanager's notification pipeline sees it.
struct GroupNotification {
  std::string receiver;  // A receiver's name from the notify configuration.
  // Identifies the group across restarts: the route's path and the group's labels, as
  // Alertmanager's group key ("{}/{severity=\"page\"}:{alertname=\"X\"}").
  std::string group_key;
  model::Labels group_labels;  // The route's group_by labels of the group's alerts.
  // The group's alerts, firing and resolved (ends_at_ms <= now_ms), in Alertmanager's order
  // (job, instance, then the other labels).
  std::vector<model::Alert> alerts;
  int64_t now_ms = 0;  // When the notification was made; decides which alerts are resolved.
};

// One request body for one integration of a receiver, ready to be queued.
struct Message {
  std::string receiver;
  std::string integration;    // "slack", "webhook": the config's list without "_configs".
  int integration_index = 0;  // Position in that list: with `receiver`, names the URL to use.
  std::string group_key;
  // Hash of the group's firing and resolved alerts when the message was made, so that a
  // restarted sender recognises a message it has already delivered.
  uint64_t group_state_hash = 0;
  std::string content_type = "application/json";
  std::string body;
  int64_t created_ms = 0;
};

}  // namespace argus::notify
