#include "cmd/stages.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace argus::cmd {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

// A configuration told apart by its source: "v1", "v2".
std::shared_ptr<const config::Config> Version(std::string name) {
  auto config = std::make_shared<config::Config>();
  config->source = std::move(name);
  return config;
}

// Records every call as "<stage>.<call> <config>" in a log the test shares between its stages,
// and fails the checks and applies of the configurations it is told to.
class FakeStage final : public Stage {
 public:
  FakeStage(std::string name, std::vector<std::string>* log) : name_(std::move(name)), log_(log) {}
  ~FakeStage() override { log_->push_back(name_ + ".destroyed"); }

  std::string_view name() const override { return name_; }
  Status CheckConfig(const config::Config& config) const override {
    log_->push_back(name_ + ".check " + config.source);
    if (fail_check.contains(config.source)) return Status::Error("bad " + config.source);
    return Status::Ok();
  }
  Status ApplyConfig(const config::Config& config) override {
    log_->push_back(name_ + ".apply " + config.source);
    running = config.source;  // A failed apply may leave part of it running.
    if (fail_apply.contains(config.source)) {
      return Status::Error("cannot run " + config.source, Status::Code::kIOError);
    }
    return Status::Ok();
  }
  void AddRoutes(http::Router& router) override {
    log_->push_back(name_ + ".routes");
    router.Handle("GET", "/" + name_, [](const http::Request&, http::Response*) {});
  }
  void Stop() override { log_->push_back(name_ + ".stop"); }

  std::set<std::string> fail_check;
  std::set<std::string> fail_apply;
  std::string running;  // The source of the configuration applied last.

 private:
  const std::string name_;
  std::vector<std::string>* const log_;
};

class StagesTest : public ::testing::Test {
 protected:
  StagesTest()
      : stages_(std::make_unique<Stages>()),
        a_(stages_->Add(std::make_unique<FakeStage>("a", &log_))),
        b_(stages_->Add(std::make_unique<FakeStage>("b", &log_))),
        c_(stages_->Add(std::make_unique<FakeStage>("c", &log_))) {}

  // Applies v1 as the start does, then forgets the calls.
  void Start() {
    ASSERT_TRUE(stages_->ApplyConfig(v1_).ok());
    log_.clear();
  }

  std::vector<std::string> Running() const { return {a_.running, b_.running, c_.running}; }

  std::vector<std::string> log_;  // Before the stages, which log their destruction.
  std::unique_ptr<Stages> stages_;
  FakeStage& a_;
  FakeStage& b_;
  FakeStage& c_;
  std::shared_ptr<const config::Config> v1_ = Version("v1"), v2_ = Version("v2");
};

TEST_F(StagesTest, StartChecksEveryStageThenAppliesInStartOrder) {
  ASSERT_TRUE(stages_->ApplyConfig(v1_).ok());
  EXPECT_THAT(log_, ElementsAre("a.check v1", "b.check v1", "c.check v1", "a.apply v1",
                                "b.apply v1", "c.apply v1"));
  EXPECT_EQ(stages_->applied(), v1_);
}

TEST_F(StagesTest, AddsRoutesInStartOrder) {
  http::Router router;
  stages_->AddRoutes(router);
  EXPECT_THAT(log_, ElementsAre("a.routes", "b.routes", "c.routes"));
  bool allowed = false;
  EXPECT_NE(router.Find("GET", "/b", &allowed), nullptr);
}

TEST_F(StagesTest, StopsInReverseOrderOnce) {
  Start();
  stages_->Stop();
  EXPECT_THAT(log_, ElementsAre("c.stop", "b.stop", "a.stop"));
  log_.clear();
  stages_->Stop();
  stages_.reset();
  EXPECT_THAT(log_, ElementsAre("c.destroyed", "b.destroyed", "a.destroyed"));
}

TEST_F(StagesTest, DestructionStopsThenDestroysInReverseOrder) {
  Start();
  stages_.reset();
  EXPECT_THAT(
      log_, ElementsAre("c.stop", "b.stop", "a.stop", "c.destroyed", "b.destroyed", "a.destroyed"));
}

TEST_F(StagesTest, ReloadAppliesToEveryStageAfterCheckingAll) {
  Start();
  ASSERT_TRUE(stages_->ApplyConfig(v2_).ok());
  EXPECT_THAT(log_, ElementsAre("a.check v2", "b.check v2", "c.check v2", "a.apply v2",
                                "b.apply v2", "c.apply v2"));
  EXPECT_THAT(Running(), ElementsAre("v2", "v2", "v2"));
  EXPECT_EQ(stages_->applied(), v2_);
}

TEST_F(StagesTest, ReloadThatTheSecondStageRejectsAppliesNothing) {
  Start();
  b_.fail_check = {"v2"};
  Status status = stages_->ApplyConfig(v2_);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(), "b: bad v2");
  EXPECT_THAT(log_, ElementsAre("a.check v2", "b.check v2"));
  EXPECT_THAT(Running(), ElementsAre("v1", "v1", "v1"));
  EXPECT_EQ(stages_->applied(), v1_);
}

TEST_F(StagesTest, ReloadThatAStageFailsToApplyReturnsTheStagesBeforeItToTheRunningConfig) {
  Start();
  b_.fail_apply = {"v2"};
  Status status = stages_->ApplyConfig(v2_);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(), "b: cannot run v2");
  EXPECT_EQ(status.code(), Status::Code::kIOError);
  EXPECT_THAT(log_, ElementsAre("a.check v2", "b.check v2", "c.check v2", "a.apply v2",
                                "b.apply v2", "b.apply v1", "a.apply v1"));
  EXPECT_THAT(Running(), ElementsAre("v1", "v1", "v1"));
  EXPECT_EQ(stages_->applied(), v1_);

  // The next good configuration reaches every stage.
  b_.fail_apply.clear();
  ASSERT_TRUE(stages_->ApplyConfig(v2_).ok());
  EXPECT_THAT(Running(), ElementsAre("v2", "v2", "v2"));
}

TEST_F(StagesTest, ReturnThatFailsTooIsReportedAndLeavesNoAppliedConfig) {
  Start();
  c_.fail_apply = {"v2"};
  a_.fail_apply = {"v1"};
  Status status = stages_->ApplyConfig(v2_);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), StartsWith("c: cannot run v2"));
  EXPECT_THAT(status.message(),
              HasSubstr("a could not return to the running configuration: cannot run v1"));
  EXPECT_THAT(Running(), ElementsAre("v1", "v1", "v1"));  // a's apply failed after it began.
  EXPECT_EQ(stages_->applied(), nullptr);
}

TEST_F(StagesTest, StartThatAStageFailsToApplyStopsThere) {
  b_.fail_apply = {"v1"};
  Status status = stages_->ApplyConfig(v1_);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(), "b: cannot run v1");
  EXPECT_THAT(log_,
              ElementsAre("a.check v1", "b.check v1", "c.check v1", "a.apply v1", "b.apply v1"));
  EXPECT_EQ(stages_->applied(), nullptr);
  EXPECT_THAT(c_.running, IsEmpty());
}

}  // namespace
}  // namespace argus::cmd
