// amtool (Debian's prometheus-alertmanager 0.25) against Argus' Alertmanager API v2 on
// loopback: what it sends and reads must be Alertmanager's. Skips when amtool is not installed.

#include <gtest/gtest.h>
#include <stdio.h>
#include <sys/wait.h>

#include <filesystem>

#include "api/alertmanager_api.h"
#include "api/alertmanager_json.h"
#include "base/manual_timer_source.h"
#include "http/event_loop.h"

namespace argus::api {
namespace {

constexpr const char* kAmtool = "/usr/bin/amtool";

class AmtoolTest : public ::testing::Test {
 protected:
  // The manual clock starts at the real time, as amtool stamps silences with it.
  AmtoolTest() : clock_(SystemClock::Instance().Now()), timers_(clock_), loop_(1) {}

  void SetUp() override {
    if (!std::filesystem::exists(kAmtool)) {
      GTEST_SKIP() << kAmtool << " is not installed (Debian package prometheus-alertmanager)";
    }
    silences_ = notify::SilenceStore::Open(clock_, "", std::chrono::hours(120)).value();
    auto config = std::make_shared<config::NotifyConfig>();
    config->route.receiver = "team";
    config->route.group_by = {"alertname"};
    config->receivers = {config::Receiver{.name = "team"}};
    config->original = "route:\n  receiver: team\nreceivers:\n- name: team\n";
    dispatcher_ = notify::Dispatcher::Make(
                      *config,
                      notify::DispatcherDeps{
                          .timers = timers_,
                          .alerts = alerts_,
                          .silences = *silences_,
                          .notification_log = log_,
                          .notify = [](const notify::GroupNotification&) { return Status::Ok(); }})
                      .value();
    AlertmanagerSources sources;
    sources.clock = &clock_;
    sources.dispatcher = [this] { return dispatcher_; };
    sources.config = [config] { return config; };
    sources.alerts = &alerts_;
    sources.silences = silences_.get();
    http::Router router;
    RegisterAlertmanagerRoutes(std::move(sources), &router);
    loop_.Start();
    auto server = http::Server::Start(loop_, http::ServerOptions{.listen_address = "127.0.0.1:0"},
                                      std::move(router));
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
    loop_.Stop();
  }

  // Runs amtool with `args` against the server; its standard output. (Its standard error has a
  // warning that Argus' version is not amtool's.)
  std::string Amtool(const std::string& args, int* exit_code = nullptr) {
    const std::string command = fmt::format(
        "{} --alertmanager.url=http://127.0.0.1:{} {} 2>/dev/null", kAmtool, server_->port(), args);
    FILE* pipe = ::popen(command.c_str(), "r");
    EXPECT_NE(pipe, nullptr);
    std::string out;
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, n);
    const int status = ::pclose(pipe);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (exit_code) {
      *exit_code = code;
    } else {
      EXPECT_EQ(code, 0) << args << ":\n" << out;
    }
    return out;
  }

  ManualClock clock_;
  ManualTimerSource timers_;
  notify::AlertStore alerts_;
  std::unique_ptr<notify::SilenceStore> silences_;
  notify::MemoryNotificationLog log_;
  std::shared_ptr<notify::Dispatcher> dispatcher_;
  http::EventLoop loop_;
  std::unique_ptr<http::Server> server_;
};

TEST_F(AmtoolTest, AlertsAndSilencesRoundTrip) {
  Amtool("alert add alertname=DiskFull instance=db-1 --annotation=summary=full");
  EXPECT_EQ(alerts_.size(), 1u);
  std::string alerts = Amtool("alert query");
  EXPECT_NE(alerts.find("DiskFull"), std::string::npos) << alerts;
  EXPECT_NE(alerts.find("full"), std::string::npos) << alerts;
  EXPECT_EQ(Amtool("alert query alertname=Other"), "Alertname  Starts At  Summary  State  \n");

  // Starting at the manual clock's now, which the real one has passed meanwhile.
  const std::string id =
      Amtool("silence add alertname=DiskFull --comment=disk -a alice -d 1h --start=" +
             alertmanager::FormatDateTime(clock_.NowMillis()));
  ASSERT_EQ(id.size(), 37u) << id;  // A UUID and a newline.
  EXPECT_EQ(Amtool("silence query -q"), id);
  EXPECT_NE(Amtool("silence query").find("alice"), std::string::npos);
  // Silenced alerts are hidden unless asked for.
  EXPECT_EQ(Amtool("alert query").find("DiskFull"), std::string::npos);
  EXPECT_NE(Amtool("alert query --silenced").find("DiskFull"), std::string::npos);

  Amtool("silence expire " + id.substr(0, 36));
  clock_.Advance(std::chrono::milliseconds(1));
  EXPECT_EQ(Amtool("silence query -q"), "");
  EXPECT_EQ(Amtool("silence query -q --expired"), id);

  int code = 0;
  const std::string missing = Amtool("silence expire 00000000-0000-4000-8000-000000000000", &code);
  EXPECT_NE(code, 0) << missing;

  EXPECT_NE(Amtool("config show").find("receiver: team"), std::string::npos);
}

}  // namespace
}  // namespace argus::api
