#include "model/relabel.h"

#include <gtest/gtest.h>

namespace argus::model {
namespace {

RelabelConfig Config(RelabelAction action, std::vector<std::string> sources, std::string regex,
                     std::string target = "", std::string replacement = "$1") {
  RelabelConfig c;
  c.action = action;
  c.source_labels = std::move(sources);
  c.regex_text = std::move(regex);
  c.target_label = std::move(target);
  c.replacement = std::move(replacement);
  return c;
}

// Applies one validated step; nullopt when dropped.
std::optional<Labels> Apply(RelabelConfig c, const Labels& in) {
  Status s = c.Validate();
  EXPECT_TRUE(s.ok()) << s.message();
  LabelsBuilder b(in);
  std::vector<RelabelConfig> configs{std::move(c)};
  if (!Relabel(configs, &b)) return std::nullopt;
  return b.Build();
}

const Labels kTarget{{"__address__", "10.0.0.1:9100"},
                     {"__meta_kube_pod", "api-7d4"},
                     {"job", "node"},
                     {"__meta_env", "Prod"}};

TEST(RelabelTest, ReplaceWithGroupsAndNames) {
  auto out = Apply(Config(RelabelAction::kReplace, {"__address__"}, R"(([^:]+):(?P<port>\d+))",
                          "host", "${1}_$port"),
                   kTarget);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->Get("host"), "10.0.0.1_9100");
  // "$1x" names group "1x", which does not exist: empty, so the label is deleted.
  out = Apply(Config(RelabelAction::kReplace, {"job"}, "(.*)", "job", "$1x"), kTarget);
  EXPECT_FALSE(out->Has("job"));
  // No match: nothing changes.
  out = Apply(Config(RelabelAction::kReplace, {"job"}, "web", "job", "x"), kTarget);
  EXPECT_EQ(out->Get("job"), "node");
  // The target name itself from a group.
  out = Apply(Config(RelabelAction::kReplace, {"__meta_env"}, "(.*)", "env_$1", "yes"), kTarget);
  EXPECT_EQ(out->Get("env_Prod"), "yes");
  // An invalid expanded target name is skipped.
  out = Apply(Config(RelabelAction::kReplace, {"__address__"}, "(.*)", "$1", "x"), kTarget);
  EXPECT_EQ(*out, kTarget);
}

TEST(RelabelTest, KeepDropAndTheirEqualForms) {
  EXPECT_FALSE(Apply(Config(RelabelAction::kKeep, {"job"}, "web"), kTarget));
  EXPECT_TRUE(Apply(Config(RelabelAction::kKeep, {"job"}, "no.*"), kTarget));
  EXPECT_FALSE(Apply(Config(RelabelAction::kDrop, {"job", "__meta_env"}, "node;Prod"), kTarget));
  Labels same{{"a", "x"}, {"b", "x"}};
  EXPECT_TRUE(Apply(Config(RelabelAction::kKeepEqual, {"a"}, "(.*)", "b"), same));
  EXPECT_FALSE(Apply(Config(RelabelAction::kDropEqual, {"a"}, "(.*)", "b"), same));
  EXPECT_FALSE(Apply(Config(RelabelAction::kKeepEqual, {"a"}, "(.*)", "c"), same));
}

TEST(RelabelTest, LabelMapDropKeepAndCase) {
  auto out = Apply(Config(RelabelAction::kLabelMap, {}, "__meta_(.+)"), kTarget);
  EXPECT_EQ(out->Get("kube_pod"), "api-7d4");
  EXPECT_EQ(out->Get("env"), "Prod");
  out = Apply(Config(RelabelAction::kLabelDrop, {}, "__meta_.*"), kTarget);
  EXPECT_EQ(*out, (Labels{{"__address__", "10.0.0.1:9100"}, {"job", "node"}}));
  out = Apply(Config(RelabelAction::kLabelKeep, {}, "job"), kTarget);
  EXPECT_EQ(*out, (Labels{{"job", "node"}}));
  out = Apply(Config(RelabelAction::kLowercase, {"__meta_env"}, "(.*)", "env"), kTarget);
  EXPECT_EQ(out->Get("env"), "prod");
  out = Apply(Config(RelabelAction::kUppercase, {"job"}, "(.*)", "job"), kTarget);
  EXPECT_EQ(out->Get("job"), "NODE");
}

TEST(RelabelTest, HashModIsMd5LowBytesModulo) {
  auto c = Config(RelabelAction::kHashMod, {"__address__"}, "(.*)", "shard");
  c.modulus = 1000;
  // md5("10.0.0.1:9100") = 1eac7f871dc4b32a 4cfeac4083628b3d (from md5sum); Prometheus takes
  // the second half as a big-endian integer.
  auto out = Apply(c, kTarget);
  EXPECT_EQ(out->Get("shard"), std::to_string(0x4cfeac4083628b3dULL % 1000));
}

TEST(RelabelTest, StepsSeeEachOther) {
  std::vector<RelabelConfig> steps{
      Config(RelabelAction::kReplace, {"job"}, "(.*)", "tier", "backend-$1"),
      Config(RelabelAction::kKeep, {"tier"}, "backend-.*")};
  for (auto& s : steps) ASSERT_TRUE(s.Validate().ok());
  LabelsBuilder b(kTarget);
  EXPECT_TRUE(Relabel(steps, &b));
  EXPECT_EQ(b.Get("tier"), "backend-node");
}

TEST(RelabelTest, ValidationMessages) {
  auto c = Config(RelabelAction::kHashMod, {"a"}, "(.*)", "x");
  EXPECT_EQ(c.Validate().message(), "relabel configuration for hashmod requires non-zero modulus");
  c = Config(RelabelAction::kReplace, {"a"}, "(.*)", "");
  EXPECT_EQ(c.Validate().message(),
            "relabel configuration for replace action requires 'target_label' value");
  c = Config(RelabelAction::kLowercase, {"a"}, "(.*)", "1bad");
  EXPECT_EQ(c.Validate().message(), "\"1bad\" is invalid 'target_label' for lowercase action");
  c = Config(RelabelAction::kLabelDrop, {"a"}, "x");
  EXPECT_EQ(c.Validate().message(), "labeldrop action requires only 'regex', and no other fields");
  c = Config(RelabelAction::kKeep, {"a"}, "(");
  EXPECT_FALSE(c.Validate().ok());
  RelabelAction a;
  EXPECT_TRUE(ParseRelabelAction("labelmap", &a));
  EXPECT_EQ(a, RelabelAction::kLabelMap);
  EXPECT_FALSE(ParseRelabelAction("Replace", &a));
}

}  // namespace
}  // namespace argus::model
