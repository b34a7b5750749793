#pragma once

#include <string>

#include "model/alert.h"

namespace argus::notify {

// One line that tells an event (an alert with the event label, see render_data.h) in Slack:
//   :rocket: *deploy* of *checkout* v1.4.2 in prod/shop — Rolling out the new cart · <link|details>
//
// It reads these labels and annotations of the event, each optional:
//   alertname                      the kind: deploy, restart, oom_kill, probe_failed, ...
//   service, deployment, statefulset, daemonset, pod, job, instance
//                                  what it happened to: the first of them that is set
//   version                        the version deployed
//   container                      the container
//   cluster, namespace             where
//   annotation text, summary or description
//                                  what happened, in words: the first that is set
//   annotation link, or the alert's generator URL
//                                  where to read more (a CI run, a rollout)
struct SlackEventLine {
  std::string mrkdwn;  // For a block.
  std::string plain;   // For the notification text: no links, no emphasis.
};

SlackEventLine RenderSlackEventLine(const model::Alert& event);

}  // namespace argus::notify
