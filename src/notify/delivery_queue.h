#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>
#include <absl/time/time.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/metrics.h"
#include "base/status.h"
#include "base/timer.h"
#include "http/client.h"
#include "notify/delivery_backoff.h"
#include "notify/delivery_metrics.h"
#include "notify/notification.h"
#include "notify/queue_journal.h"
#include "notify/sender_outcome.h"

namespace argus::notify {

// Where and how to send the messages of one integration of a receiver, read from the
// configuration when a message is sent (so that a reload applies to what is queued). The URL and
// the headers are secrets: they never appear in logs, errors or metrics.
struct Endpoint {
  std::string url;
  std::map<std::string, std::string> headers;  // Authorization, ...; Content-Type is the message's.
  std::chrono::milliseconds timeout{10'000};   // For one attempt.
  http::TlsOptions tls;
  bool follow_redirects = true;
};

// Finds the endpoint of integration `index` of `integration` ("slack", "webhook") of `receiver`.
// kNotFound when the configuration no longer has it: its messages then fail for good; any other
// error is retried like a connection error. Called from the queue's threads, never with the
// queue's lock held; it must be thread-safe.
using EndpointResolver = std::function<Result<Endpoint>(std::string_view receiver,
                                                        std::string_view integration, int index)>;

struct DeliveryOptions {
  std::filesystem::path dir;  // <data dir>/notify/queue
  BackoffOptions backoff;
  // A Retry-After longer than this is cut to it, so that one answer cannot stop a receiver for
  // days.
  std::chrono::milliseconds max_retry_after = std::chrono::hours(1);
  // Enqueue refuses messages past this many waiting ones (kLimitExceeded), which bounds the files.
  size_t max_pending = 10'000;
  JournalOptions journal;
  MetricsRegistry* metrics = nullptr;  // Must outlive the queue; nullptr: not exposed.
};

// Delivers messages durably: each is written to disk (fsynced) before its first attempt, and
// tried until the receiver accepts it or refuses it for good; then it leaves the queue.
//
// Order: messages of one lane — one (receiver, integration, integration_index) — are sent one at
// a time in the order they were enqueued; a message waiting for a retry holds back the lane's
// later ones. Lanes are independent. Connection errors, timeouts, 5xx and 429 are retried after
// a capped exponential back-off with jitter (or after the receiver's Retry-After); other answers
// are judged as in sender_outcome.h, and a permanent failure is logged at error level with the
// receiver's reason and counted.
//
// Restarts: Open finds the messages that were not done — after a kill -9 too — and Start sends
// them again in their original order. The delivery log records, per lane and group key, the
// group_state_hash last delivered: a message whose group state was delivered after the message
// was made is dropped instead of sent (two notifications of the same state queued during an
// outage are sent once). A crash between a delivery and its record (or a power loss soon after
// it, see queue_journal.h) sends that message again on restart: delivery is at least once, twice
// only in that window.
//
// The dispatcher's deduplication asks LastDelivery (Alertmanager's notification log) whether a
// group's state was already told, and repeats it only after its repeat_interval.
//
// Time: retries and each attempt's deadline (the endpoint's timeout) are timers of `timers`, on
// its clock.
//
// Threads: every method may be called from any thread. Attempts start from the caller of
// Enqueue/Start, from `timers`' threads (retries) and from `client`'s event loop (the next
// message of a lane); none blocks on the network. `timers`, `client` and the resolver's
// captures must outlive the queue.
class DeliveryQueue {
 public:
  // Opens (or creates) the queue in options.dir and replays it; sends nothing before Start.
  // kIOError when the directory cannot be read or written; kInvalidInput when a later version of
  // Argus wrote it.
  static Result<std::unique_ptr<DeliveryQueue>> Open(DeliveryOptions options, TimerSource& timers,
                                                     http::Client& client,
                                                     EndpointResolver resolver);
  // Stop().
  ~DeliveryQueue();
  DeliveryQueue(const DeliveryQueue&) = delete;
  DeliveryQueue& operator=(const DeliveryQueue&) = delete;

  // Starts sending what is queued, the messages found by Open first.
  void Start();

  // Accepts `message` for delivery: when it returns OK the message is on disk, and it is sent as
  // soon as its lane is free (at once, if it is idle and the queue started). kLimitExceeded when
  // max_pending messages wait; kIOError when it could not be written (both logged and counted
  // as failed); kInvalidInput for a message without receiver or integration, or with a negative
  // index; kError after Stop.
  Status Enqueue(Message message);

  // What was last delivered for a group on one lane; nullopt when nothing (within the delivery
  // log's retention).
  std::optional<DeliveryEntry> LastDelivery(const DeliveryKey& key) const;

  // How many messages wait to be delivered.
  size_t pending() const;

  // Blocks until no request is in flight, or `timeout` passes (false then). Requests end within
  // their endpoint's timeout. For tests, which drive retries with a manual timer source.
  bool WaitUntilNoRequestInFlight(absl::Duration timeout) const;

  // Stops: no attempt starts any more, armed retries are cancelled, and the call waits for the
  // requests in flight to end (their outcome is recorded). What is queued stays on disk for the
  // next Open. Idempotent. Must not be called from a callback of `timers` or `client`, and the
  // client's event loop must run until it returns.
  void Stop();

  const DeliveryMetrics& metrics() const { return metrics_; }

 private:
  struct Lane {
    std::deque<uint64_t> ids;  // Message ids, oldest first.
    int failed_attempts = 0;   // Of the first message, in a row.
    bool busy = false;         // A request is in flight or a retry is armed.
    std::unique_ptr<Timer> retry_timer;
  };
  using LaneKey = DeliveryKey;  // With an empty group_key: the lane of the message.

  DeliveryQueue(DeliveryOptions options, TimerSource& timers, http::Client& client,
                EndpointResolver resolver, std::unique_ptr<QueueJournal> journal);
  static LaneKey LaneOf(const Message& message);
  Lane& LaneFor(const LaneKey& key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Sends the first message of the lane unless it is busy or empty; drops duplicates first.
  void Attempt(const LaneKey& key) ABSL_LOCKS_EXCLUDED(mu_);
  // Takes the lane's messages that a delivery made redundant off its front; the first message
  // left, or nullopt when the lane is empty.
  std::optional<uint64_t> FirstToSend(Lane& lane) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Records the outcome of the attempt at message `id`, the first of its lane: the message
  // leaves the queue, or its retry is armed. True when the lane may go on with its next message.
  bool Record(const LaneKey& key, uint64_t id, const AttemptOutcome& outcome)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Ends what an attempt started: the count of requests in flight, which Stop waits for, covers
  // a request until its callback has recorded the outcome and started the lane's next message.
  void EndActivity() ABSL_LOCKS_EXCLUDED(mu_);
  void Finish(Lane& lane, uint64_t id, DoneReason reason) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void UpdateQueueMetrics() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool NoRequestInFlight() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return in_flight_ == 0; }

  const DeliveryOptions options_;
  TimerSource& timers_;
  const Clock& clock_;
  http::Client& client_;
  const EndpointResolver resolver_;
  DeliveryMetrics metrics_;

  mutable absl::Mutex mu_;
  std::unique_ptr<QueueJournal> journal_ ABSL_GUARDED_BY(mu_);
  std::map<LaneKey, Lane> lanes_ ABSL_GUARDED_BY(mu_);
  Backoff backoff_ ABSL_GUARDED_BY(mu_);
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace argus::notify
