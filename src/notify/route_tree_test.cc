#include "notify/route_tree.h"

#include <gtest/gtest.h>

#include <chrono>

#include "notify/notify_test_util.h"

namespace argus::notify {
namespace {

using namespace std::chrono_literals;
using testing::AddChild;
using testing::Eq;
using testing::Ne;
using testing::Nre;
using testing::Re;

// The tree of Alertmanager's TestRouteMatchers, written with `matchers:`.
config::Route MatchersTree() {
  config::Route root;
  root.receiver = "notify-def";
  config::Route& a = AddChild(root, {Eq("owner", "team-A"), Ne("level", "critical")},
                              [](config::Route& r) { r.receiver = "notify-A"; });
  AddChild(a, {Eq("env", "testing"), Nre("baz", ".*quux")}, [](config::Route& r) {
    r.receiver = "notify-testing";
    r.group_by_all = true;
  });
  AddChild(a, {Eq("env", "production")}, [](config::Route& r) {
    r.receiver = "notify-productionA";
    r.group_wait = 1min;
    r.continue_matching = true;
  });
  AddChild(a, {Re("env", "produ.*"), Re("job", ".*")}, [](config::Route& r) {
    r.receiver = "notify-productionB";
    r.group_wait = 30s;
    r.group_interval = 5min;
    r.repeat_interval = 1h;
    r.group_by = {"job"};
  });
  AddChild(root, {Re("owner", "team-(B|C)")}, [](config::Route& r) {
    r.group_by = {"foo", "bar"};
    r.group_wait = 2min;
    r.receiver = "notify-BC";
  });
  config::Route& role =
      AddChild(root, {Eq("group_by", "role")}, [](config::Route& r) { r.group_by = {"role"}; });
  config::Route& testing = AddChild(role, {Eq("env", "testing")},
                                    [](config::Route& r) { r.receiver = "notify-testing"; });
  AddChild(testing, {Eq("wait", "long")}, [](config::Route& r) { r.group_wait = 2min; });
  return root;
}

struct Expected {
  std::string receiver;
  std::vector<std::string> group_by;
  bool group_by_all = false;
  std::chrono::milliseconds group_wait = 30s;
  std::string key;
};

TEST(RouteTreeTest, MatchesAsAlertmanager) {
  const RouteTree tree(MatchersTree());
  struct Case {
    model::Labels input;
    std::vector<Expected> want;
  };
  const Case cases[] = {
      {{{"owner", "team-A"}},
       {{"notify-A", {}, false, 30s, R"({}/{level!="critical",owner="team-A"})"}}},
      {{{"owner", "team-A"}, {"env", "unset"}},
       {{"notify-A", {}, false, 30s, R"({}/{level!="critical",owner="team-A"})"}}},
      // The negative matcher fails: the alert falls through to the root.
      {{{"owner", "team-A"}, {"level", "critical"}}, {{"notify-def", {}, false, 30s, "{}"}}},
      {{{"owner", "team-C"}},
       {{"notify-BC", {"foo", "bar"}, false, 2min, R"k({}/{owner=~"team-(B|C)"})k"}}},
      {{{"owner", "team-A"}, {"env", "testing"}},
       {{"notify-testing",
         {},
         true,
         30s,
         R"({}/{level!="critical",owner="team-A"}/{baz!~".*quux",env="testing"})"}}},
      // `continue` on the first match lets the next sibling take the alert too.
      {{{"owner", "team-A"}, {"env", "production"}},
       {{"notify-productionA",
         {},
         false,
         1min,
         R"({}/{level!="critical",owner="team-A"}/{env="production"})"},
        {"notify-productionB",
         {"job"},
         false,
         30s,
         R"({}/{level!="critical",owner="team-A"}/{env=~"produ.*",job=~".*"})"}}},
      {{{"group_by", "role"}}, {{"notify-def", {"role"}, false, 30s, R"({}/{group_by="role"})"}}},
      {{{"env", "testing"}, {"group_by", "role"}},
       {{"notify-testing", {"role"}, false, 30s, R"({}/{group_by="role"}/{env="testing"})"}}},
      {{{"env", "testing"}, {"group_by", "role"}, {"wait", "long"}},
       {{"notify-testing",
         {"role"},
         false,
         2min,
         R"({}/{group_by="role"}/{env="testing"}/{wait="long"})"}}},
      {{{"foo", "bar"}}, {{"notify-def", {}, false, 30s, "{}"}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input.ToString());
    std::vector<const RouteNode*> got = tree.Match(c.input);
    ASSERT_EQ(got.size(), c.want.size());
    for (size_t i = 0; i < got.size(); ++i) {
      const config::Route& opts = got[i]->options;
      EXPECT_EQ(opts.receiver, c.want[i].receiver);
      EXPECT_EQ(opts.group_by, c.want[i].group_by);
      EXPECT_EQ(opts.group_by_all, c.want[i].group_by_all);
      EXPECT_EQ(opts.group_wait, c.want[i].group_wait);
      EXPECT_EQ(got[i]->key, c.want[i].key);
    }
  }
}

TEST(RouteTreeTest, MatchReKeysShowTheAnchoredPattern) {
  // match_re values reach the tree anchored, as Alertmanager's config keeps them, and the key
  // shows them so: {}/{owner="team-A"}/{env=~"^(?:produ.*)$",job=~"^(?:.*)$"}.
  config::Route root;
  root.receiver = "def";
  config::Route& a = AddChild(root, {Eq("owner", "team-A")});
  AddChild(a, {Re("job", "^(?:.*)$"), Re("env", "^(?:produ.*)$")});
  const RouteTree tree(root);
  auto got = tree.Match({{"owner", "team-A"}, {"env", "production"}});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]->key, R"({}/{owner="team-A"}/{env=~"^(?:produ.*)$",job=~"^(?:.*)$"})");
}

TEST(RouteTreeTest, ContinueOnTheLastMatchKeepsLookingAndStopAtTheFirstWithout) {
  config::Route root;
  root.receiver = "def";
  AddChild(root, {Eq("a", "1")}, [](config::Route& r) {
    r.receiver = "first";
    r.continue_matching = true;
  });
  AddChild(root, {Eq("a", "1")}, [](config::Route& r) { r.receiver = "second"; });
  AddChild(root, {Eq("a", "1")}, [](config::Route& r) { r.receiver = "never"; });
  const RouteTree tree(root);
  std::vector<std::string> receivers;
  for (const RouteNode* n : tree.Match({{"a", "1"}})) receivers.push_back(n->options.receiver);
  EXPECT_EQ(receivers, (std::vector<std::string>{"first", "second"}));
}

TEST(RouteTreeTest, GroupLabelsAndKeys) {
  config::Route root;
  root.receiver = "def";
  root.group_by = {"alertname", "job"};
  const RouteTree by_names(root);
  const model::Labels alert{{"alertname", "Down"}, {"job", "api"}, {"instance", "a:1"}};
  model::Labels group = GroupLabels(alert, by_names.root());
  EXPECT_EQ(group, (model::Labels{{"alertname", "Down"}, {"job", "api"}}));
  EXPECT_EQ(GroupKey(by_names.root(), group), R"({}:{alertname="Down", job="api"})");

  // A group_by label the alert lacks is left out; group_by: ['...'] takes every label.
  EXPECT_EQ(GroupLabels({{"alertname", "Down"}}, by_names.root()),
            (model::Labels{{"alertname", "Down"}}));
  root.group_by_all = true;
  const RouteTree by_all(root);
  EXPECT_EQ(GroupLabels(alert, by_all.root()), alert);

  root.group_by.clear();
  root.group_by_all = false;
  const RouteTree by_nothing(root);
  EXPECT_EQ(GroupKey(by_nothing.root(), GroupLabels(alert, by_nothing.root())), "{}:{}");
}

TEST(RouteTreeTest, GroupKeyQuotesAsGoAndSortsThePairsAsStrings) {
  config::Route root;
  const RouteTree tree(root);
  // "a1=" sorts before "a=" as strings, unlike the names.
  EXPECT_EQ(GroupKey(tree.root(), {{"a", "x"}, {"a1", "y"}}), R"({}:{a1="y", a="x"})");
  EXPECT_EQ(GroupKey(tree.root(), {{"v", "q\"b\\n\nt\té\x01"}}),
            "{}:{v=\"q\\\"b\\\\n\\nt\\té\\x01\"}");
}

}  // namespace
}  // namespace argus::notify
