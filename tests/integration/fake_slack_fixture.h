#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "http/event_loop.h"
#include "notify/fake_slack_test_util.h"

namespace argus::testing {

// A test with a fake Slack on loopback (notify::FakeSlack; any webhook may point at it), started
// before each test and shut down before its event loop stops. A subclass that starts a server
// calls this SetUp first, and stops its server before calling this TearDown.
class FakeSlackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    loop_.Start();
    auto slack = notify::FakeSlack::Start(loop_);
    ASSERT_TRUE(slack.ok()) << slack.status().message();
    slack_ = std::move(*slack);
  }

  void TearDown() override {
    if (slack_) slack_->Shutdown();
    loop_.Stop();
  }

  http::EventLoop loop_{1};
  std::unique_ptr<notify::FakeSlack> slack_;
};

}  // namespace argus::testing
