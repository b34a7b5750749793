// The routing tree built from a notify section as the configuration reader reads it: inherited
// options, `match` and `matchers`, and the keys Alertmanager gives their routes.

#include <gtest/gtest.h>

#include "config/config.h"
#include "notify/route_tree.h"

namespace argus::notify {
namespace {

using namespace std::chrono_literals;

TEST(RouteTreeConfigTest, KeysAndOptionsAsAlertmanager) {
  auto config = config::Parse(R"y(
notify:
  route:
    receiver: default
    group_by: [alertname]
    routes:
      - match: {owner: team-A}
        receiver: team-a
        routes:
          - match: {env: testing}
            receiver: team-a-testing
            group_by: ['...']
          - match: {env: production}
            receiver: production-a
            group_wait: 1m
            continue: true
          - matchers: ['env=~"produ.*"', 'job=~".*"']
            receiver: production-b
            group_by: [job]
      - matchers: ['owner=~"team-(B|C)"', 'level!="critical"']
        receiver: team-bc
        group_wait: 2m
  receivers:
    - name: default
    - name: team-a
    - name: team-a-testing
    - name: production-a
    - name: production-b
    - name: team-bc
)y",
                              "argus.yml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  ASSERT_TRUE(config->notify);
  const RouteTree tree(config->notify->route);

  struct Expected {
    std::string receiver;
    std::chrono::milliseconds group_wait;
    std::string key;
  };
  struct Case {
    model::Labels input;
    std::vector<Expected> want;
  };
  const Case cases[] = {
      {{{"owner", "team-A"}}, {{"team-a", 30s, R"({}/{owner="team-A"})"}}},
      {{{"owner", "team-A"}, {"env", "testing"}},
       {{"team-a-testing", 30s, R"({}/{owner="team-A"}/{env="testing"})"}}},
      {{{"owner", "team-A"}, {"env", "production"}},
       {{"production-a", 1min, R"({}/{owner="team-A"}/{env="production"})"},
        {"production-b", 30s, R"({}/{owner="team-A"}/{env=~"produ.*",job=~".*"})"}}},
      {{{"owner", "team-C"}},
       {{"team-bc", 2min, R"k({}/{level!="critical",owner=~"team-(B|C)"})k"}}},
      {{{"owner", "team-C"}, {"level", "critical"}}, {{"default", 30s, "{}"}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input.ToString());
    std::vector<const RouteNode*> got = tree.Match(c.input);
    ASSERT_EQ(got.size(), c.want.size());
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i]->options.receiver, c.want[i].receiver);
      EXPECT_EQ(got[i]->options.group_wait, c.want[i].group_wait);
      EXPECT_EQ(got[i]->key, c.want[i].key);
    }
  }
  // Children inherit group_by; group_by: ['...'] groups by every label.
  const model::Labels alert{{"alertname", "A"}, {"owner", "team-A"}, {"env", "testing"}};
  EXPECT_EQ(
      GroupKey(*tree.Match(alert)[0], GroupLabels(alert, *tree.Match(alert)[0])),
      R"({}/{owner="team-A"}/{env="testing"}:{alertname="A", env="testing", owner="team-A"})");
  const model::Labels other{{"alertname", "B"}, {"owner", "team-C"}, {"x", "y"}};
  EXPECT_EQ(GroupKey(*tree.Match(other)[0], GroupLabels(other, *tree.Match(other)[0])),
            R"k({}/{level!="critical",owner=~"team-(B|C)"}:{alertname="B"})k");
}

}  // namespace
}  // namespace argus::notify
