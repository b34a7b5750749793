#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/notify_config.h"
#include "model/labels.h"

namespace argus::notify {

// Whether every one of `matchers` holds for `labels` (a missing label has the value ""): the
// test of routes, inhibit rules and silences alike.
bool AllMatch(const std::vector<model::Matcher>& matchers, const model::Labels& labels);

// One node of the routing tree: a route's options (its children moved into `children`), its
// matchers sorted as Alertmanager sorts them (name, value, type), and its key.
struct RouteNode {
  config::Route options;  // `routes` is empty; see children.
  // Alertmanager's Route.Key(): the parent's key, "/", and this node's matchers as
  // {name="value",...}; the root's is "{}".
  std::string key;
  const RouteNode* parent = nullptr;
  std::vector<std::unique_ptr<RouteNode>> children;

  bool Matches(const model::Labels& labels) const { return AllMatch(options.matchers, labels); }
};

// The routing tree of a notify configuration, immutable once built, so safe to share across
// threads.
class RouteTree {
 public:
  // Copies `root`'s tree; `root` need not outlive it.
  explicit RouteTree(const config::Route& root);

  // The nodes an alert with `labels` goes to, as Alertmanager's Route.Match: depth first, a
  // node whose matchers hold hands the alert to its children in order, stopping after the first
  // child that took it unless that child has `continue`; a node none of whose children took it
  // takes it itself. Empty when the root's own matchers fail.
  std::vector<const RouteNode*> Match(const model::Labels& labels) const;

  const RouteNode& root() const { return *root_; }

 private:
  std::unique_ptr<RouteNode> root_;
};

// The labels of `alert_labels` that `route` groups by: those named in group_by, or all of them
// with group_by: ['...'].
model::Labels GroupLabels(const model::Labels& alert_labels, const RouteNode& route);

// Alertmanager's group key: "<route key>:<group labels>", the labels as Go prints a LabelSet:
// {a="1", b="2"}, values quoted as Go's %q, sorted as strings.
std::string GroupKey(const RouteNode& route, const model::Labels& group_labels);

// Appends `s` quoted as Go's strconv.Quote (used in group keys, which other Alertmanagers and
// the notification log compare byte for byte).
void AppendGoQuoted(std::string* out, std::string_view s);

}  // namespace argus::notify
