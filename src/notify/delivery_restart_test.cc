// Restarts of the delivery queue: after a clean stop, after a kill -9 (a real one, of a child
// process, and its image: the directory copied while a request is in flight), and after a crash
// that cut a write short.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "notify/delivery_queue.h"
#include "notify/delivery_test_util.h"
#include "tsdb/wal/segments.h"

namespace argus::notify {
namespace {

using namespace std::chrono_literals;
using notify_test::MakeMessage;
using tsdb::wal::wal_test::ReadFile;
using tsdb::wal::wal_test::WriteFile;
using Reply = FakeSlack::Reply;

class DeliveryRestartTest : public notify_test::DeliveryTest {};

TEST_F(DeliveryRestartTest, DeliveredMessagesAreNotSentAgainAfterARestart) {
  slack_->Script({Reply::Ok(), Reply::Ok(), Reply::ServerError()});
  slack_->SetDefault(Reply::ServerError());
  OpenQueue();
  for (int i = 1; i <= 4; ++i) Enqueue(MakeMessage("team", "g" + std::to_string(i), i, i));
  EXPECT_EQ(Received(), (std::vector<std::string>{"body 1", "body 2", "body 3"}));
  EXPECT_EQ(queue_->pending(), 2u);
  queue_.reset();  // Writes nothing on the way down: the same as a crash.

  slack_->SetDefault(Reply::Ok());
  OpenQueue();
  EXPECT_EQ(Received(),
            (std::vector<std::string>{"body 1", "body 2", "body 3", "body 3", "body 4"}));
  EXPECT_EQ(queue_->pending(), 0u);
  auto last = queue_->LastDelivery({"team", "slack", 0, "g2"});
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->group_state_hash, 2u);
}

TEST_F(DeliveryRestartTest, AKillWhileARequestIsInFlightLosesNothing) {
  timeout_ = 60s;
  slack_->Script({Reply::Hang()});
  OpenQueue();
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(queue_->Enqueue(MakeMessage("team", "g", i, i)).ok());
  ASSERT_TRUE(slack_->WaitForRequests(1, absl::Seconds(30)));
  // What a kill -9 at this moment leaves on disk.
  std::filesystem::path image = tmp_.path() / "crash";
  std::filesystem::copy(Options().dir, image);
  slack_->ReleaseHung();
  Settle();
  queue_.reset();

  FakeSlack* after = StartSlack();
  ASSERT_NE(after, nullptr);
  urls_["team"] = after->url();
  DeliveryOptions options = Options();
  options.dir = image;
  OpenQueue(options);
  // The message in flight at the kill is sent again: at least once.
  EXPECT_EQ(Received(*after), (std::vector<std::string>{"body 1", "body 2", "body 3"}));
}

TEST_F(DeliveryRestartTest, AWriteCutShortByACrashLosesOnlyItself) {
  slack_->SetDefault(Reply::ServerError());
  OpenQueue();
  for (int i = 1; i <= 3; ++i) Enqueue(MakeMessage("team", "g", i, i));
  queue_.reset();
  // The crash came while the third message was written: its Enqueue never returned.
  auto segments = tsdb::wal::ListSegments(Options().dir);
  ASSERT_TRUE(segments.ok() && !segments->empty());
  std::filesystem::path last = tsdb::wal::SegmentPath(Options().dir, segments->back());
  std::string bytes = ReadFile(last);
  size_t cut = bytes.rfind("body 3");
  ASSERT_NE(cut, std::string::npos);
  WriteFile(last, bytes.substr(0, cut + 2));

  size_t before = slack_->request_count();
  slack_->SetDefault(Reply::Ok());
  OpenQueue();
  std::vector<std::string> received = Received();
  EXPECT_EQ(std::vector<std::string>(received.begin() + before, received.end()),
            (std::vector<std::string>{"body 1", "body 2"}));
}

// A real kill -9: a child process queues messages and kills itself; the parent's queue sends
// them. Runs before any thread of this test starts, since it forks.
TEST(DeliveryKillTest, MessagesQueuedByAKilledProcessAreSentAfterTheRestart) {
  tsdb::wal::wal_test::ScratchDir tmp;
  std::filesystem::path dir = tmp.path() / "queue";
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ManualClock clock;
    ManualTimerSource timers(clock);
    http::EventLoop loop(1);  // Never started: nothing is sent.
    http::Client client(loop);
    auto queue = DeliveryQueue::Open(
        {.dir = dir}, timers, client,
        [](std::string_view, std::string_view, int) { return Result<Endpoint>(Endpoint{}); });
    if (!queue.ok()) _exit(1);
    for (int i = 1; i <= 3; ++i) {
      if (!(*queue)->Enqueue(MakeMessage("team", "g", i, i)).ok()) _exit(2);
    }
    kill(getpid(), SIGKILL);
    _exit(3);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;

  ManualClock clock{Clock::time_point(std::chrono::milliseconds(notify_test::kStartMs))};
  ManualTimerSource timers(clock);
  http::EventLoop loop(2);
  loop.Start();
  auto slack = FakeSlack::Start(loop);
  ASSERT_TRUE(slack.ok());
  http::Client client(loop);
  std::string url = (*slack)->url();
  auto queue = DeliveryQueue::Open({.dir = dir}, timers, client,
                                   [&](std::string_view, std::string_view, int) {
                                     return Result<Endpoint>(Endpoint{.url = url});
                                   });
  ASSERT_TRUE(queue.ok()) << queue.status().message();
  EXPECT_EQ((*queue)->pending(), 3u);
  (*queue)->Start();
  ASSERT_TRUE((*slack)->WaitForRequests(3, absl::Seconds(30)));
  ASSERT_TRUE((*queue)->WaitUntilNoRequestInFlight(absl::Seconds(30)));
  std::vector<std::string> bodies;
  for (const auto& r : (*slack)->requests()) bodies.push_back(r.body);
  EXPECT_EQ(bodies, (std::vector<std::string>{"body 1", "body 2", "body 3"}));
  EXPECT_EQ((*queue)->pending(), 0u);
  queue->reset();
  (*slack)->Shutdown();
  loop.Stop();
}

}  // namespace
}  // namespace argus::notify
