#include "scrape/scrape_pool.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "base/manual_timer_source.h"
#include "base/metrics.h"
#include "storage/memory_storage.h"

namespace argus::scrape {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Answers each fetch with `body` at once, or, while `hold` is set, when the test calls Finish.
// Fetches come on the timers' thread, which under a ManualTimerSource is the test's.
class FakeFetcher final : public Fetcher {
 public:
  explicit FakeFetcher(const Clock& clock) : clock_(clock) {}

  void Fetch(const std::string& url, std::chrono::milliseconds,
             std::function<void(Result<Fetched>)> done) override {
    fetches[url].push_back(clock_.NowMillis());
    if (hold) {
      held.push_back(std::move(done));
      return;
    }
    done(Fetched{body, "text/plain"});
  }

  // Completes the oldest fetch that was held.
  void Finish() {
    auto done = std::move(held.front());
    held.erase(held.begin());
    done(Fetched{body, "text/plain"});
  }

  std::string body = "a 1\n";
  bool hold = false;
  std::vector<std::function<void(Result<Fetched>)>> held;
  std::map<std::string, std::vector<int64_t>> fetches;  // The clock at each fetch, by URL.

 private:
  const Clock& clock_;
};

using Samples = std::vector<std::pair<int64_t, double>>;

class ScrapePoolTest : public ::testing::Test {
 protected:
  ScrapePoolTest() : timers_(clock_), storage_(storage::NewMemoryStorage()), metrics_(registry_) {
    config_.job_name = "api";
    config_.scrape_interval = seconds(15);
    config_.scrape_timeout = seconds(10);
  }

  ScrapePool& Pool() {
    if (!pool_) {
      auto fetcher = std::make_unique<FakeFetcher>(clock_);
      fetcher_ = fetcher.get();
      pool_ = std::make_unique<ScrapePool>(std::make_shared<const config::ScrapeConfig>(config_),
                                           std::move(fetcher), timers_, *storage_, metrics_);
    }
    return *pool_;
  }

  void SetTargets(const std::vector<std::string>& addresses) {
    discovery::TargetGroup group;
    group.source = "test";
    for (const auto& a : addresses) group.targets.push_back(model::Labels{{"__address__", a}});
    Pool().Update(0, {group});
  }

  // Where in the interval the scrapes of the target at `address` fall: its labels' hash.
  int64_t Offset(const std::string& address) {
    auto target = PopulateLabels(model::Labels{{"__address__", address}}, config_);
    EXPECT_TRUE(target.ok() && target->has_value());
    return static_cast<int64_t>((*target)->labels.Hash() % 15'000);
  }

  // The first time at or after `t` that is `offset` into a 15 s interval.
  static int64_t FirstSlot(int64_t t, int64_t offset) {
    int64_t slot = t - t % 15'000 + offset;
    return slot < t ? slot + 15'000 : slot;
  }

  // The samples of `name` of the target at `address`.
  Samples Read(const std::string& name, const std::string& address) {
    auto q = storage_->NewQuerier(INT64_MIN, INT64_MAX);
    std::vector<model::Matcher> m{
        *model::Matcher::Make(model::Matcher::Type::kEqual, "__name__", name),
        *model::Matcher::Make(model::Matcher::Type::kEqual, "instance", address)};
    auto set = q->Select(m);
    Samples out;
    while (set->Next()) {
      auto it = set->At().Iterator();
      while (it->Next()) out.emplace_back(it->t(), it->v());
    }
    return out;
  }

  static std::string Url(const std::string& address) { return "http://" + address + "/metrics"; }

  ManualClock clock_;
  ManualTimerSource timers_;
  std::unique_ptr<storage::Storage> storage_;
  MetricsRegistry registry_;
  ScrapeMetrics metrics_;
  config::ScrapeConfig config_;
  FakeFetcher* fetcher_ = nullptr;  // Owned by the pool.
  std::unique_ptr<ScrapePool> pool_;
};

TEST_F(ScrapePoolTest, ScrapesEachTargetOncePerIntervalAtTheOffsetOfItsHash) {
  const int64_t start = clock_.NowMillis();
  SetTargets({"10.0.0.1:8080", "10.0.0.2:8080"});
  ASSERT_NE(Offset("10.0.0.1:8080"), Offset("10.0.0.2:8080"));
  timers_.RunDue();
  timers_.Advance(seconds(15));
  for (const std::string address : {"10.0.0.1:8080", "10.0.0.2:8080"}) {
    int64_t first = FirstSlot(start, Offset(address));
    EXPECT_EQ(fetcher_->fetches[Url(address)], std::vector<int64_t>{first}) << address;
  }
  timers_.Advance(seconds(30));
  for (const std::string address : {"10.0.0.1:8080", "10.0.0.2:8080"}) {
    int64_t first = FirstSlot(start, Offset(address));
    EXPECT_EQ(fetcher_->fetches[Url(address)],
              (std::vector<int64_t>{first, first + 15'000, first + 30'000}))
        << address;
    // Recorded at the slots' times.
    EXPECT_EQ(Read("a", address), (Samples{{first, 1}, {first + 15'000, 1}, {first + 30'000, 1}}));
    EXPECT_EQ(Read("up", address).back(), (std::pair<int64_t, double>{first + 30'000, 1}));
  }
  EXPECT_EQ(Pool().ActiveTargets().size(), 2u);
}

TEST_F(ScrapePoolTest, AScrapeStillFetchingAtItsNextSlotMakesTheSlotSkipped) {
  const std::string address = "10.0.0.1:8080";
  const int64_t first = FirstSlot(clock_.NowMillis(), Offset(address));
  SetTargets({address});
  fetcher_->hold = true;
  timers_.Advance(milliseconds(first - clock_.NowMillis()));
  ASSERT_EQ(fetcher_->held.size(), 1u);
  timers_.Advance(seconds(40));  // Past two more slots.
  EXPECT_EQ(fetcher_->fetches[Url(address)], std::vector<int64_t>{first});
  fetcher_->hold = false;
  fetcher_->Finish();
  // Recorded when it started, with the time it took by the clock.
  EXPECT_EQ(Read("up", address), (Samples{{first, 1}}));
  EXPECT_EQ(Read("scrape_duration_seconds", address), (Samples{{first, 40}}));
  timers_.Advance(seconds(15));
  EXPECT_EQ(fetcher_->fetches[Url(address)], (std::vector<int64_t>{first, first + 45'000}));
  EXPECT_EQ(Read("up", address), (Samples{{first, 1}, {first + 45'000, 1}}));
}

TEST_F(ScrapePoolTest, StopMarksTheSeriesStaleAndNoScrapeFollows) {
  const std::string address = "10.0.0.1:8080";
  const int64_t first = FirstSlot(clock_.NowMillis(), Offset(address));
  SetTargets({address});
  timers_.Advance(milliseconds(first - clock_.NowMillis() + 16'000));
  ASSERT_EQ(fetcher_->fetches[Url(address)].size(), 2u);
  // A fetch that is out when the pool stops is not recorded.
  fetcher_->hold = true;
  timers_.Advance(seconds(14));
  ASSERT_EQ(fetcher_->held.size(), 1u);
  timers_.Advance(seconds(1));
  Pool().Stop();
  const int64_t stopped = first + 31'000;
  EXPECT_EQ(Read("a", address).back().first, stopped);
  EXPECT_TRUE(storage::IsStaleNaN(Read("a", address).back().second));
  EXPECT_TRUE(storage::IsStaleNaN(Read("up", address).back().second));
  fetcher_->Finish();
  EXPECT_EQ(Read("up", address).size(), 3u);  // Two scrapes and the marker.
  EXPECT_EQ(timers_.armed(), 0u);
  timers_.Advance(seconds(60));
  EXPECT_EQ(fetcher_->fetches[Url(address)].size(), 3u);
  EXPECT_TRUE(Pool().ActiveTargets().empty());
}

TEST_F(ScrapePoolTest, ATargetThatDisappearsIsMarkedStaleAndNoLongerScraped) {
  const int64_t start = clock_.NowMillis();
  SetTargets({"10.0.0.1:8080", "10.0.0.2:8080"});
  timers_.Advance(seconds(15));
  SetTargets({"10.0.0.2:8080"});
  const int64_t gone = start + 15'000;
  EXPECT_EQ(Read("up", "10.0.0.1:8080").back().first, gone);
  EXPECT_TRUE(storage::IsStaleNaN(Read("up", "10.0.0.1:8080").back().second));
  timers_.Advance(seconds(45));
  EXPECT_EQ(fetcher_->fetches[Url("10.0.0.1:8080")].size(), 1u);
  EXPECT_EQ(fetcher_->fetches[Url("10.0.0.2:8080")].size(), 4u);
  // The target that stayed kept its slot.
  int64_t first = FirstSlot(start, Offset("10.0.0.2:8080"));
  EXPECT_EQ(fetcher_->fetches[Url("10.0.0.2:8080")].back(), first + 45'000);
}

TEST_F(ScrapePoolTest, FileDiscoveryRunsOnTheSameTimers) {
  auto dir = std::filesystem::temp_directory_path() /
             ("argus-pool-" + std::to_string(std::random_device()()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "t.yml") << "- targets: ['10.0.0.1:8080']\n";
  config::FileSdConfig file_sd;
  file_sd.files = {(dir / "*.yml").string()};
  config_.file_sd_configs = {file_sd};
  Pool().Start();
  EXPECT_EQ(Pool().ActiveTargets().size(), 1u);
  std::ofstream(dir / "t.yml") << "- targets: ['10.0.0.1:8080', '10.0.0.2:8080']\n";
  timers_.Advance(seconds(1));
  EXPECT_EQ(Pool().ActiveTargets().size(), 2u);
  Pool().Stop();
  EXPECT_EQ(timers_.armed(), 0u);
  std::filesystem::remove_all(dir);
}

// As in Prometheus, a discovered target that cannot be scraped is neither active nor dropped (it
// never had labels to show): it is counted by job, with the same check as config parsing's.
TEST_F(ScrapePoolTest, AUrlForAnAddressIsCountedAsASyncFailure) {
  SetTargets({"http://10.0.0.1:8080/metrics", "10.0.0.2:8080"});
  EXPECT_EQ(Pool().ActiveTargets().size(), 1u);
  EXPECT_TRUE(Pool().DroppedTargets().empty());
  EXPECT_EQ(metrics_.sync_failed.WithLabels({"api"}).Value(), 1);
  SetTargets({"http://10.0.0.1:8080/metrics"});
  EXPECT_EQ(metrics_.sync_failed.WithLabels({"api"}).Value(), 2);
}

}  // namespace
}  // namespace argus::scrape
