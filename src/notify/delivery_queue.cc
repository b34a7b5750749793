#include "notify/delivery_queue.h"

#include <vector>

#include "base/log.h"

namespace argus::notify {
namespace {

// Receivers answer in a few bytes; more is not read.
constexpr uint64_t kResponseSizeLimit = 64 << 10;

double Seconds(Clock::time_point::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

Result<std::unique_ptr<DeliveryQueue>> DeliveryQueue::Open(DeliveryOptions options,
                                                           TimerSource& timers,
                                                           http::Client& client,
                                                           EndpointResolver resolver) {
  ARGUS_ASSIGN_OR_RETURN(
      auto journal, QueueJournal::Open(options.dir, options.journal, timers.clock().NowMillis()));
  if (!journal->pending().empty()) {
    log::Info("Notifications left in the delivery queue will be sent",
              {{"count", journal->pending().size()}});
  }
  return std::unique_ptr<DeliveryQueue>(new DeliveryQueue(std::move(options), timers, client,
                                                          std::move(resolver), std::move(journal)));
}

DeliveryQueue::DeliveryQueue(DeliveryOptions options, TimerSource& timers, http::Client& client,
                             EndpointResolver resolver, std::unique_ptr<QueueJournal> journal)
    : options_(std::move(options)),
      timers_(timers),
      clock_(timers.clock()),
      client_(client),
      resolver_(std::move(resolver)),
      metrics_(options_.metrics, clock_),
      journal_(std::move(journal)),
      backoff_(options_.backoff) {
  absl::MutexLock lock(&mu_);
  for (const auto& [id, message] : journal_->pending()) LaneFor(LaneOf(message)).ids.push_back(id);
  UpdateQueueMetrics();
}

DeliveryQueue::~DeliveryQueue() { Stop(); }

DeliveryQueue::LaneKey DeliveryQueue::LaneOf(const Message& message) {
  return LaneKey{message.receiver, message.integration, message.integration_index, ""};
}

DeliveryQueue::Lane& DeliveryQueue::LaneFor(const LaneKey& key) {
  Lane& lane = lanes_[key];
  if (lane.retry_timer == nullptr) lane.retry_timer = timers_.NewTimer();
  return lane;
}

void DeliveryQueue::Start() {
  std::vector<LaneKey> keys;
  {
    absl::MutexLock lock(&mu_);
    if (started_ || stopped_) return;
    started_ = true;
    for (const auto& [key, lane] : lanes_) keys.push_back(key);
  }
  for (const LaneKey& key : keys) Attempt(key);
}

Status DeliveryQueue::Enqueue(Message message) {
  if (message.receiver.empty() || message.integration.empty() || message.integration_index < 0) {
    return Status::Errorf(Status::Code::kInvalidInput,
                          "a notification for receiver \"{}\", integration \"{}\", index {}: "
                          "it needs a receiver, an integration and an index >= 0",
                          message.receiver, message.integration, message.integration_index);
  }
  LaneKey key = LaneOf(message);
  bool idle = false;
  {
    absl::MutexLock lock(&mu_);
    if (stopped_) return Status::Error("the delivery queue is stopped");
    Status refused;
    if (journal_->pending().size() >= options_.max_pending) {
      refused = Status::Errorf(Status::Code::kLimitExceeded,
                               "the delivery queue is full ({} notifications wait)",
                               journal_->pending().size());
    } else if (auto id = journal_->Add(message); id.ok()) {
      Lane& lane = LaneFor(key);
      lane.ids.push_back(*id);
      idle = started_ && !lane.busy;
      UpdateQueueMetrics();
    } else {
      refused = id.status();
    }
    if (!refused.ok()) {
      metrics_.CountNotification(message.integration);
      metrics_.CountFailed(message.integration, FailureReason::kOther);
      log::Error("Notification refused by the delivery queue",
                 {{"receiver", message.receiver},
                  {"integration", message.integration},
                  {"integration_index", message.integration_index},
                  {"group_key", message.group_key},
                  {"err", refused.message()}});
      return refused;
    }
  }
  if (idle) Attempt(key);
  return Status::Ok();
}

std::optional<uint64_t> DeliveryQueue::FirstToSend(Lane& lane) {
  while (!lane.ids.empty()) {
    uint64_t id = lane.ids.front();
    const Message& message = journal_->pending().at(id);
    const DeliveryEntry* last = journal_->LastDelivery(KeyOf(message));
    if (last == nullptr || last->group_state_hash != message.group_state_hash ||
        last->delivered_ms < message.created_ms) {
      return id;
    }
    log::Debug("Notification not sent: its group state was delivered after it was made",
               {{"receiver", message.receiver},
                {"integration", message.integration},
                {"integration_index", message.integration_index},
                {"group_key", message.group_key}});
    Finish(lane, id, DoneReason::kDuplicate);
  }
  return std::nullopt;
}

void DeliveryQueue::Attempt(const LaneKey& key) {
  while (true) {
    uint64_t id;
    Message message;
    {
      absl::MutexLock lock(&mu_);
      Lane& lane = lanes_.at(key);
      if (!started_ || stopped_ || lane.busy) return;
      auto first = FirstToSend(lane);
      if (!first) return;
      id = *first;
      message = journal_->pending().at(id);
      if (lane.failed_attempts == 0) metrics_.CountNotification(message.integration);
      lane.busy = true;
      ++in_flight_;
    }
    auto endpoint = resolver_(message.receiver, message.integration, message.integration_index);
    if (!endpoint.ok()) {
      bool gone = endpoint.status().code() == Status::Code::kNotFound;
      AttemptOutcome outcome{gone ? AttemptOutcome::Kind::kFailed : AttemptOutcome::Kind::kRetry,
                             FailureReason::kOther, "no endpoint: " + endpoint.status().message(),
                             std::nullopt};
      bool go_on = Record(key, id, outcome);
      EndActivity();
      if (go_on) continue;
      return;
    }
    http::ClientRequest request{
        .method = "POST",
        .url = endpoint->url,
        .headers = std::move(endpoint->headers),
        .body = std::move(message.body),
        .timeout = endpoint->timeout,
        .body_size_limit = kResponseSizeLimit,
        .tls = std::move(endpoint->tls),
        .follow_redirects = endpoint->follow_redirects,
        .deadline_timers = &timers_,
    };
    request.headers["Content-Type"] = message.content_type;
    Clock::time_point start = clock_.Now();
    client_.Send(std::move(request),
                 [this, key, id, start, url = endpoint->url,
                  integration = message.integration](Result<http::ClientResponse> result) {
                   Clock::time_point end = clock_.Now();
                   AttemptOutcome outcome = JudgeResponse(integration, result, url, end);
                   metrics_.CountRequest(integration, Seconds(end - start),
                                         outcome.kind != AttemptOutcome::Kind::kDelivered);
                   if (Record(key, id, outcome)) Attempt(key);
                   // Last: once the count is down, Stop may return and the queue go.
                   EndActivity();
                 });
    return;
  }
}

bool DeliveryQueue::Record(const LaneKey& key, uint64_t id, const AttemptOutcome& outcome) {
  absl::MutexLock lock(&mu_);
  Lane& lane = lanes_.at(key);
  lane.busy = false;
  const Message& message = journal_->pending().at(id);
  std::initializer_list<log::Field> where = {{"receiver", message.receiver},
                                             {"integration", message.integration},
                                             {"integration_index", message.integration_index},
                                             {"group_key", message.group_key}};
  switch (outcome.kind) {
    case AttemptOutcome::Kind::kDelivered:
      log::Debug("Notification delivered", where);
      lane.failed_attempts = 0;
      Finish(lane, id, DoneReason::kDelivered);
      return !stopped_;
    case AttemptOutcome::Kind::kFailed: {
      metrics_.CountFailed(message.integration, outcome.reason);
      std::vector<log::Field> fields(where);
      fields.emplace_back("reason", ReasonLabel(outcome.reason));
      fields.emplace_back("err", outcome.description);
      log::Write(log::Level::kError, "Notification failed for good; dropped from the queue",
                 fields);
      lane.failed_attempts = 0;
      Finish(lane, id, DoneReason::kFailed);
      return !stopped_;
    }
    case AttemptOutcome::Kind::kRetry:
      break;
  }
  ++lane.failed_attempts;
  auto delay = outcome.retry_after ? std::min(*outcome.retry_after, options_.max_retry_after)
                                   : backoff_.Delay(lane.failed_attempts);
  std::vector<log::Field> fields(where);
  fields.emplace_back("attempt", lane.failed_attempts);
  fields.emplace_back("retry_in", fmt::format("{}ms", delay.count()));
  fields.emplace_back("err", outcome.description);
  log::Write(log::Level::kWarn, "Notification attempt failed; will retry", fields);
  if (stopped_) return false;
  lane.busy = true;
  lane.retry_timer->Schedule(clock_.Now() + delay, [this, key] {
    {
      absl::MutexLock lock(&mu_);
      lanes_.at(key).busy = false;
    }
    Attempt(key);
  });
  return false;
}

void DeliveryQueue::EndActivity() {
  absl::MutexLock lock(&mu_);
  --in_flight_;
}

void DeliveryQueue::Finish(Lane& lane, uint64_t id, DoneReason reason) {
  Status written = journal_->Finish(id, reason, clock_.NowMillis());
  if (!written.ok()) {
    log::Error("Cannot record a notification as done; it may be sent again after a restart",
               {{"err", written.message()}});
  }
  lane.ids.pop_front();
  UpdateQueueMetrics();
}

void DeliveryQueue::UpdateQueueMetrics() {
  const auto& pending = journal_->pending();
  std::optional<int64_t> oldest;
  for (const auto& [id, message] : pending) {
    oldest = std::min(oldest.value_or(message.created_ms), message.created_ms);
  }
  metrics_.SetQueue(pending.size(), oldest);
}

std::optional<DeliveryEntry> DeliveryQueue::LastDelivery(const DeliveryKey& key) const {
  absl::MutexLock lock(&mu_);
  const DeliveryEntry* entry = journal_->LastDelivery(key);
  return entry == nullptr ? std::nullopt : std::optional<DeliveryEntry>(*entry);
}

size_t DeliveryQueue::pending() const {
  absl::MutexLock lock(&mu_);
  return journal_->pending().size();
}

bool DeliveryQueue::WaitUntilNoRequestInFlight(absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithTimeout(absl::Condition(this, &DeliveryQueue::NoRequestInFlight), timeout);
}

void DeliveryQueue::Stop() {
  std::vector<Timer*> timers;
  {
    absl::MutexLock lock(&mu_);
    stopped_ = true;
    for (auto& [key, lane] : lanes_) timers.push_back(lane.retry_timer.get());
  }
  // Outside the lock: Cancel waits for a callback that is running, which takes the lock.
  for (Timer* timer : timers) timer->Cancel();
  absl::MutexLock lock(&mu_, absl::Condition(this, &DeliveryQueue::NoRequestInFlight));
}

}  // namespace argus::notify
