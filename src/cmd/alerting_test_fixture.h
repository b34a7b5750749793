#pragma once

// The alerting path of the server end to end, on a fake clock: the storage, events, notify and
// rules stages wired as the server wires them, a rule file and a notify section written by the
// test, and a fake Slack on loopback. Time moves only when a test ticks it, request deadlines
// included; the one thing that runs on real time is the HTTP exchange with the fake Slack, which
// each tick waits for.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/manual_timer_source.h"
#include "cmd/api_inputs.h"
#include "cmd/notify_stage.h"
#include "cmd/server_stages.h"
#include "cmd/stages.h"
#include "notify/fake_slack_test_util.h"

namespace argus::cmd::alerting_test {

// Where the fixture's Slack configs post; the fake Slack answers any path.
inline constexpr std::string_view kSlackPath = "/services/T0000/B0000/XXXXXXXX";
inline constexpr std::chrono::seconds kEvaluationInterval{15};

class AlertingTest : public ::testing::Test {
 protected:
  AlertingTest()
      : dir_(std::filesystem::path(::testing::TempDir()) /
             ("alerting_test_" + std::to_string(getpid()))) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "rules");
    loop_.Start();
    auto slack = notify::FakeSlack::Start(loop_);
    EXPECT_TRUE(slack.ok()) << slack.status().message();
    if (slack.ok()) slack_ = std::move(*slack);
  }
  ~AlertingTest() override {
    if (slack_) slack_->ReleaseHung();
    stages_.reset();  // Waits for the requests in flight.
    if (slack_) slack_->Shutdown();
    loop_.Stop();
    std::filesystem::remove_all(dir_);
  }

  // Writes `rules` as the one rule file and starts the stages with a configuration whose
  // `notify:` section is `notify` (indented by the caller as the section's body), in which
  // "SLACK_URL" stands for the fake Slack's URL.
  void Start(std::string_view rules, std::string notify) {
    ASSERT_NE(slack_, nullptr);
    std::ofstream(dir_ / "rules" / "alerts.yml") << rules;
    for (size_t at; (at = notify.find("SLACK_URL")) != std::string::npos;) {
      notify.replace(at, 9, slack_->url(""));
    }
    const std::string yaml = "global: {evaluation_interval: 15s}\nrule_files: ['" +
                             (dir_ / "rules" / "*.yml").string() + "']\nnotify:\n" + notify;
    auto config = config::Parse(yaml, (dir_ / "argus.yml").string());
    ASSERT_TRUE(config.ok()) << config.status().message();

    flags_.storage_path = (dir_ / "data").string();
    flags_.external_url = "http://argus.example:9090";
    stages_ = std::make_unique<Stages>();
    auto storage = StorageStage::Open(flags_, registry_, clock_);
    ASSERT_TRUE(storage.ok()) << storage.status().message();
    db_ = &stages_->Add(std::move(*storage)).db();
    auto events = EventsStage::Open(flags_, registry_, timers_);
    ASSERT_TRUE(events.ok()) << events.status().message();
    EventsStage& event_stage = stages_->Add(std::move(*events));
    auto notify_stage =
        NotifyStage::Open(flags_, clock_, timers_, loop_, registry_, event_stage.bus());
    ASSERT_TRUE(notify_stage.ok()) << notify_stage.status().message();
    notify_ = &stages_->Add(std::move(*notify_stage));
    promql::EngineOptions engine;
    engine.clock = &clock_;
    rules_ = &stages_->Add(std::make_unique<RulesStage>(
        timers_, *db_, registry_, engine, ExternalUrl(flags_),
        [notify = notify_](std::vector<model::Alert> alerts) { notify->Send(std::move(alerts)); }));
    notify_->AddRoutes(router_);
    Status applied =
        stages_->ApplyConfig(std::make_shared<const config::Config>(std::move(*config)));
    ASSERT_TRUE(applied.ok()) << applied.message();
  }

  // Sets memory_usage_ratio{namespace, pod}; Tick writes it from now on.
  void SetRatio(std::string ns, std::string pod, double v) {
    ratios_[model::Labels{{"__name__", "memory_usage_ratio"}, {"namespace", ns}, {"pod", pod}}] = v;
  }

  // Lets `d` of fake time pass, one evaluation interval at a time: the ratios are written at the
  // start of each interval, then its timers fire one after the other, and after each the
  // requests it started are awaited (unless slack_hangs_).
  void Tick(std::chrono::seconds d) {
    for (std::chrono::seconds done{0}; done < d; done += kEvaluationInterval) {
      auto appender = db_->NewAppender();
      for (const auto& [labels, v] : ratios_) {
        ASSERT_TRUE(appender->Append(0, labels, clock_.NowMillis(), v).ok());
      }
      ASSERT_TRUE(appender->Commit().ok());
      const Clock::time_point end = clock_.Now() + kEvaluationInterval;
      while (auto due = timers_.next_due()) {
        if (*due > end) break;
        AdvanceTo(*due);
      }
      AdvanceTo(end);
    }
  }

  // Waits (in real time) for the requests to Slack in flight to end.
  void Settle() { ASSERT_TRUE(notify_->queue().WaitUntilNoRequestInFlight(absl::Seconds(30))); }

  // What Slack was told on `path`, one line per request from the `from`-th on: a Slack
  // message's fallback text up to the summary ("[FIRING:1] HighMemory · namespace shop"), a
  // webhook message's status and count of alerts ("resolved 1").
  std::vector<std::string> Told(std::string_view path = kSlackPath, size_t from = 0) const {
    std::vector<std::string> told;
    std::vector<notify::FakeSlack::Request> requests = slack_->requests();
    for (size_t i = from; i < requests.size(); ++i) {
      if (requests[i].path != path) continue;
      simdjson::dom::parser parser;
      simdjson::dom::object body;
      if (parser.parse(simdjson::padded_string(requests[i].body)).get(body) != simdjson::SUCCESS) {
        told.push_back("not JSON: " + requests[i].body);
        continue;
      }
      std::string_view text, status;
      simdjson::dom::array alerts;
      if (body["text"].get(text) == simdjson::SUCCESS) {
        told.emplace_back(text.substr(0, text.find(" — ")));
      } else if (body["status"].get(status) == simdjson::SUCCESS &&
                 body["alerts"].get(alerts) == simdjson::SUCCESS) {
        told.push_back(std::string(status) + " " + std::to_string(alerts.size()));
      } else {
        told.push_back("unknown: " + requests[i].body);
      }
    }
    return told;
  }

  // The alerting rules' alerts in `state`, by their labels' text.
  std::vector<std::string> RuleAlerts(rules::AlertState state) const {
    std::vector<std::string> out;
    for (const rules::AlertStatus& a : rules_->manager().Alerts()) {
      if (a.state == state) out.push_back(a.labels.ToString());
    }
    return out;
  }

  // The line of `name` (with its labels) on /metrics, or "" when it has none.
  std::string MetricLine(std::string_view name) const {
    std::string text;
    registry_.Render(&text);
    size_t at = text.find("\n" + std::string(name) + " ");
    if (at == std::string::npos) return "";
    return text.substr(at + 1, text.find('\n', at + 1) - at - 1);
  }

  // Calls the API route `method` `path` with `body`.
  http::Response Call(std::string method, std::string path, std::string body = "") {
    http::Request request;
    request.method = std::move(method);
    request.path = std::move(path);
    request.body = std::move(body);
    bool allowed = false;
    http::Response response;
    const http::Handler* handler = router_.Find(request.method, request.path, &allowed);
    EXPECT_NE(handler, nullptr) << request.path;
    if (handler) (*handler)(request, &response);
    return response;
  }

  ManualClock clock_;
  ManualTimerSource timers_{clock_};
  http::EventLoop loop_{2};
  std::unique_ptr<notify::FakeSlack> slack_;
  // True while Slack may hold a request unanswered, which ends only when its deadline comes on
  // the fake clock: ticks then await nothing (the one lane to Slack sends nothing else meanwhile).
  bool slack_hangs_ = false;
  MetricsRegistry registry_;
  const std::filesystem::path dir_;
  ServerFlags flags_;
  http::Router router_;
  std::unique_ptr<Stages> stages_;
  tsdb::Db* db_ = nullptr;
  NotifyStage* notify_ = nullptr;
  RulesStage* rules_ = nullptr;

 private:
  void AdvanceTo(Clock::time_point t) {
    timers_.Advance(std::chrono::duration_cast<std::chrono::milliseconds>(
        std::max(t - clock_.Now(), Clock::time_point::duration(0))));
    if (!slack_hangs_) Settle();
  }

  std::map<model::Labels, double> ratios_;
};

}  // namespace argus::cmd::alerting_test
