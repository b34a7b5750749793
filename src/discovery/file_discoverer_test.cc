#include "discovery/file_discoverer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "base/manual_timer_source.h"
#include "discovery/static_discoverer.h"

namespace argus::discovery {
namespace {

class FileDiscovererTest : public ::testing::Test {
 protected:
  FileDiscovererTest()
      : dir_(std::filesystem::temp_directory_path() /
             ("argus-sd-" + std::to_string(std::random_device()()))),
        timers_(clock_) {
    std::filesystem::create_directories(dir_);
  }
  ~FileDiscovererTest() override { std::filesystem::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }

  std::filesystem::path dir_;
  ManualClock clock_;
  ManualTimerSource timers_;
};

TEST_F(FileDiscovererTest, ReadsJsonAndYamlAndFollowsChanges) {
  Write("a.json", R"([{"targets": ["h1:9100", "h2:9100"], "labels": {"env": "prod"}}])");
  Write("b.yml", "- targets: ['h3:9100']\n");
  Write("ignored.txt", "not a target file");
  config::FileSdConfig config;
  config.files = {(dir_ / "*.json").string(), (dir_ / "*.yml").string()};
  FileDiscoverer d(config, timers_);
  std::vector<std::vector<TargetGroup>> updates;
  d.Start([&](std::vector<TargetGroup> groups) { updates.push_back(std::move(groups)); });
  ASSERT_EQ(updates.size(), 1u);  // Before Start returns.
  ASSERT_EQ(updates[0].size(), 2u);
  const TargetGroup& a = updates[0][0];
  EXPECT_EQ(a.targets.size(), 2u);
  EXPECT_EQ(a.targets[1].Get("__address__"), "h2:9100");
  EXPECT_EQ(a.labels.Get("env"), "prod");
  EXPECT_EQ(a.labels.Get("__meta_filepath"), (dir_ / "a.json").string());
  EXPECT_EQ(a.source, (dir_ / "a.json").string() + ":0");

  timers_.Advance(std::chrono::seconds(1));  // Read again; nothing changed: no update.
  EXPECT_EQ(updates.size(), 1u);

  Write("b.yml", "- targets: ['h3:9100', 'h4:9100']\n");
  timers_.Advance(std::chrono::milliseconds(999));
  EXPECT_EQ(updates.size(), 1u);
  timers_.Advance(std::chrono::milliseconds(1));  // Once a second.
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(updates[1][1].targets.size(), 2u);

  // A broken file keeps its last good targets.
  Write("b.yml", "- targets: [h5\n");
  timers_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(updates.size(), 2u);

  std::filesystem::remove(dir_ / "b.yml");
  timers_.Advance(std::chrono::seconds(1));
  ASSERT_EQ(updates.size(), 3u);
  EXPECT_EQ(updates[2].size(), 1u);

  d.Stop();
  Write("c.yml", "- targets: ['h6:9100']\n");
  timers_.Advance(std::chrono::seconds(10));
  EXPECT_EQ(updates.size(), 3u);
  EXPECT_EQ(timers_.armed(), 0u);
}

TEST_F(FileDiscovererTest, AShortRefreshIntervalReadsMoreOften) {
  Write("a.yml", "- targets: ['h1:9100']\n");
  config::FileSdConfig config;
  config.files = {(dir_ / "*.yml").string()};
  config.refresh_interval = std::chrono::milliseconds(200);
  FileDiscoverer d(config, timers_);
  int updates = 0;
  d.Start([&](std::vector<TargetGroup>) { ++updates; });
  Write("a.yml", "- targets: ['h2:9100']\n");
  timers_.Advance(std::chrono::milliseconds(200));
  EXPECT_EQ(updates, 2);
}

TEST(ParseTargetFileTest, ErrorsNameTheFileAndLine) {
  auto r = ParseTargetFile("t.yml", "- targets: [a]\n  lables: {x: y}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "t.yml:2:3: unknown field \"lables\"");
  r = ParseTargetFile("t.json", R"([{"targets": ["a"], "labels": {"1x": "y"}}])");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not a valid label name"), std::string::npos);
  EXPECT_TRUE(ParseTargetFile("empty.yml", "").ok());
}

TEST(StaticDiscovererTest, OneGroupPerEntry) {
  config::StaticConfig a{{"h1:1", "h2:2"}, model::Labels{{"env", "a"}}};
  config::StaticConfig b{{"h3:3"}, {}};
  auto d = NewStaticDiscoverer({a, b});
  std::vector<TargetGroup> got;
  d->Start([&](std::vector<TargetGroup> g) { got = std::move(g); });
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].source, "0");
  EXPECT_EQ(got[0].targets[1].Get("__address__"), "h2:2");
  EXPECT_EQ(got[0].labels.Get("env"), "a");
  EXPECT_EQ(got[1].targets.size(), 1u);
}

}  // namespace
}  // namespace argus::discovery
