#pragma once

// For the collectors' tests: a collector run through a CollectLoop into a memory storage on a
// manual clock, and the fixture trees under tests/fixtures/collect.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "base/clock.h"
#include "collect/collect_loop.h"
#include "collect/container_collector.h"
#include "storage/memory_storage.h"

namespace argus::collect {

// tests/fixtures/collect/<relative> in the source tree.
inline std::filesystem::path Fixture(const std::string& relative) {
  const char* source = std::getenv("ARGUS_SOURCE_DIR");
  return std::filesystem::path(source ? source : ".") / "tests/fixtures/collect" / relative;
}

// A copy of fixture `relative` in a fresh temporary directory (so tests may change it), removed
// with the object.
class FixtureCopy {
 public:
  explicit FixtureCopy(const std::string& relative) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "argus-collect-XXXXXX").string();
    root_ = mkdtemp(pattern.data());
    std::filesystem::copy(Fixture(relative), root_ / "tree",
                          std::filesystem::copy_options::recursive);
  }
  ~FixtureCopy() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  std::filesystem::path path() const { return root_ / "tree"; }

 private:
  std::filesystem::path root_;
};

// Every series' newest value (staleness markers included) in `storage`.
inline std::map<model::Labels, double> NewestValues(storage::Queryable& storage) {
  std::map<model::Labels, double> out;
  auto querier = storage.NewQuerier(0, INT64_MAX);
  auto set = querier->Select({});
  while (set->Next()) {
    auto it = set->At().Iterator();
    while (it->Next()) out[set->At().labels()] = it->v();
  }
  return out;
}

class CollectHarness {
 public:
  explicit CollectHarness(std::unique_ptr<Collector> collector)
      : storage_(storage::NewMemoryStorage()),
        loop_(std::move(collector), model::Labels{{"job", "test"}, {"instance", "fixture"}},
              *storage_, clock_) {}

  ManualClock& clock() { return clock_; }
  CollectLoop& loop() { return loop_; }

  // Collects once and returns every series' newest value (staleness markers included).
  std::map<model::Labels, double> Collect() {
    loop_.RunOnce();
    return Newest();
  }

  std::map<model::Labels, double> Newest() { return NewestValues(*storage_); }

 private:
  ManualClock clock_;
  std::unique_ptr<storage::Storage> storage_;
  CollectLoop loop_;
};

// The labels of series `name{labels...}` of the harness' target.
inline model::Labels Series(
    std::string_view name,
    std::initializer_list<std::pair<std::string_view, std::string_view>> labels = {}) {
  model::LabelsBuilder b;
  b.Set(model::kMetricName, name);
  b.Set("job", "test");
  b.Set("instance", "fixture");
  for (const auto& [n, v] : labels) b.Set(n, v);
  return b.Build();
}

// Fixture trees of /proc and /sys for the cgroups' processes and devices, and a copy of cgroup
// tree `cgroups` (cgroup_v1, cgroup_v2) that tests may change.
class ContainerFixture {
 public:
  explicit ContainerFixture(const std::string& cgroups) : cgroups_(cgroups) {}
  std::unique_ptr<ContainerCollector> Collector(const Clock& clock,
                                                std::string docker_socket = "") const {
    return std::make_unique<ContainerCollector>(
        ContainerPaths{cgroups_.path().string(), (processes_.path() / "proc").string(),
                       (processes_.path() / "sys").string(), std::move(docker_socket),
                       (processes_.path() / "log").string()},
        clock);
  }
  std::filesystem::path cgroups() const { return cgroups_.path(); }
  std::filesystem::path logs() const { return processes_.path() / "log"; }

 private:
  FixtureCopy cgroups_;
  FixtureCopy processes_{"containers"};
};

// The series of container `id`, with the harness' target labels and `extra`.
inline model::Labels Container(
    std::string_view metric, std::string_view id,
    std::initializer_list<std::pair<std::string_view, std::string_view>> extra = {}) {
  model::LabelsBuilder b(Series(metric, extra));
  b.Set("id", id);
  return b.Build();
}

// Expects series `labels` to exist with value `expected`.
#define EXPECT_SAMPLE(samples, labels, expected)                           \
  do {                                                                     \
    auto found_ = (samples).find(labels);                                  \
    if (found_ == (samples).end()) {                                       \
      ADD_FAILURE() << "no series " << (labels).ToString();                \
    } else {                                                               \
      EXPECT_DOUBLE_EQ(found_->second, (expected)) << (labels).ToString(); \
    }                                                                      \
  } while (false)

}  // namespace argus::collect
