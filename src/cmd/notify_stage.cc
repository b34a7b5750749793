#include "cmd/notify_stage.h"

#include <algorithm>
#include <filesystem>

#include "base/log.h"
#include "cmd/api_inputs.h"
#include "notify/dispatch_restart.h"
#include "notify/endpoints.h"
#include "notify/render.h"
#include "notify/render_data.h"

namespace argus::cmd {
namespace {

// How long silences stay after they expired (Alertmanager's --data.retention).
constexpr std::chrono::hours kSilenceRetention(120);

// The notify section in force when the file has none: one receiver that sends nothing.
const config::NotifyConfig& NoReceivers() {
  static const config::NotifyConfig* config = [] {
    auto* c = new config::NotifyConfig;
    c->route.receiver = "none";
    c->receivers.push_back(config::Receiver{.name = "none"});
    c->source = "<default>";
    return c;
  }();
  return *config;
}

const config::NotifyConfig& SectionOf(const config::Config& config) {
  return config.notify ? *config.notify : NoReceivers();
}

// The longest group_wait of the tree under `route`.
std::chrono::milliseconds LongestGroupWait(const config::Route& route) {
  std::chrono::milliseconds longest = route.group_wait;
  for (const config::Route& child : route.routes) {
    longest = std::max(longest, LongestGroupWait(child));
  }
  return longest;
}

}  // namespace

Result<std::unique_ptr<NotifyStage>> NotifyStage::Open(const ServerFlags& flags, const Clock& clock,
                                                       TimerSource& timers, http::EventLoop& loop,
                                                       MetricsRegistry& registry,
                                                       events::Bus& bus) {
  std::filesystem::path dir = std::filesystem::path(flags.storage_path) / "notify";
  ARGUS_ASSIGN_OR_RETURN(auto silences,
                         notify::SilenceStore::Open(clock, dir / "silences", kSilenceRetention));
  std::unique_ptr<NotifyStage> stage(
      new NotifyStage(flags, clock, timers, loop, registry, std::move(silences)));
  notify::DeliveryOptions options;
  options.dir = dir / "queue";
  options.metrics = &registry;
  NotifyStage* self = stage.get();
  ARGUS_ASSIGN_OR_RETURN(
      stage->queue_,
      notify::DeliveryQueue::Open(
          std::move(options), timers, stage->client_,
          [self](std::string_view receiver, std::string_view integration, int index) {
            return notify::ResolveEndpoint(*self->config(), receiver, integration, index);
          }));
  registry.AddGaugeFunc("alertmanager_dispatcher_aggregation_groups",
                        "Number of active aggregation groups", [self] {
                          std::shared_ptr<notify::Dispatcher> d = self->dispatcher();
                          return d ? static_cast<double>(d->GroupCount()) : 0.0;
                        });
  registry.AddGaugeFamilyFunc(
      "alertmanager_alerts", "How many alerts by state.", {"state"}, [self] {
        std::shared_ptr<notify::Dispatcher> d = self->dispatcher();
        notify::Dispatcher::StateCounts counts;
        if (d) counts = d->CountByState();
        return std::vector<LabelledValue>{{{"active"}, static_cast<double>(counts.active)},
                                          {{"suppressed"}, static_cast<double>(counts.suppressed)}};
      });
  stage->events_.emplace(bus.Subscribe([self](const events::Event& e) { self->OnEvent(e); }));
  return stage;
}

NotifyStage::NotifyStage(const ServerFlags& flags, const Clock& clock, TimerSource& timers,
                         http::EventLoop& loop, MetricsRegistry& registry,
                         std::unique_ptr<notify::SilenceStore> silences)
    : clock_(clock),
      timers_(timers),
      external_url_(ExternalUrl(flags)),
      build_(flags.build),
      start_time_ms_(clock.NowMillis()),
      client_(loop),
      forwarder_(client_, timers, registry, {}),
      silences_(std::move(silences)),
      api_metrics_(registry),
      config_(std::shared_ptr<const config::NotifyConfig>(&NoReceivers(),
                                                          [](const config::NotifyConfig*) {})) {}

NotifyStage::~NotifyStage() { Stop(); }

Status NotifyStage::CheckConfig(const config::Config& config) const {
  return notify::NotificationTemplates::Load(SectionOf(config).templates, clock_).status();
}

Status NotifyStage::ApplyConfig(const config::Config& config) {
  auto section = std::make_shared<const config::NotifyConfig>(SectionOf(config));
  ARGUS_ASSIGN_OR_RETURN(auto templates,
                         notify::NotificationTemplates::Load(section->templates, clock_));
  notify::DispatcherDeps deps{
      .timers = timers_,
      .alerts = alerts_,
      .silences = *silences_,
      .notification_log = log_,
      .notify = [this](const notify::GroupNotification& n) { return Tell(n); },
      .already_accepted = notify::AlreadyDelivered(
          section, [this](const notify::DeliveryKey& key) { return queue_->LastDelivery(key); }),
  };
  // The configuration goes in first: the new dispatcher may flush at once.
  std::shared_ptr<const config::NotifyConfig> previous_config;
  std::shared_ptr<const notify::NotificationTemplates> previous_templates;
  {
    absl::MutexLock lock(&mu_);
    previous_config = std::exchange(config_, section);
    previous_templates = std::exchange(templates_, templates);
  }
  auto made = notify::Dispatcher::Make(*section, std::move(deps));
  if (!made.ok()) {
    absl::MutexLock lock(&mu_);
    config_ = previous_config;
    templates_ = previous_templates;
    return made.status();
  }
  std::shared_ptr<notify::Dispatcher> previous;
  bool start = false;
  {
    absl::MutexLock lock(&mu_);
    previous = std::exchange(dispatcher_, std::shared_ptr<notify::Dispatcher>(std::move(*made)));
    start = !std::exchange(started_, true);
  }
  previous.reset();  // Its groups' timers stop; the new one took their alerts.
  if (start) queue_->Start();
  forwarder_.ApplyConfig(config.alerting, config.global.external_labels);
  for (const config::Receiver& receiver : section->receivers) {
    for (const std::string& kind : receiver.unsupported_integrations) {
      log::Warn("Receiver has an integration Argus does not deliver to",
                {{"receiver", receiver.name}, {"integration", kind}});
    }
  }
  return Status::Ok();
}

void NotifyStage::AddRoutes(http::Router& router) {
  api::AlertmanagerSources sources;
  sources.clock = &clock_;
  sources.dispatcher = [this] { return dispatcher(); };
  sources.config = [this] { return config(); };
  sources.alerts = &alerts_;
  sources.silences = silences_.get();
  sources.build = build_;
  sources.start_time_ms = start_time_ms_;
  sources.metrics = &api_metrics_;
  api::RegisterAlertmanagerRoutes(std::move(sources), &router);
}

void NotifyStage::Stop() {
  std::shared_ptr<notify::Dispatcher> dispatcher;
  {
    absl::MutexLock lock(&mu_);
    if (std::exchange(stopped_, true)) return;
    dispatcher = std::move(dispatcher_);
  }
  events_.reset();
  dispatcher.reset();
  forwarder_.Stop();
  if (queue_) queue_->Stop();
}

void NotifyStage::Send(std::vector<model::Alert> alerts) {
  forwarder_.Send(alerts);
  Dispatch(std::move(alerts));
}

void NotifyStage::Dispatch(std::vector<model::Alert> alerts) {
  std::shared_ptr<notify::Dispatcher> to = dispatcher();
  if (!to) return;
  Status status = to->PutAlerts(std::move(alerts));
  if (!status.ok()) log::Warn("Alerts not taken", {{"err", status.message()}});
}

std::shared_ptr<notify::Dispatcher> NotifyStage::dispatcher() const {
  absl::MutexLock lock(&mu_);
  return dispatcher_;
}

std::shared_ptr<const config::NotifyConfig> NotifyStage::config() const {
  absl::MutexLock lock(&mu_);
  return config_;
}

Status NotifyStage::Tell(const notify::GroupNotification& notification) {
  std::shared_ptr<const config::NotifyConfig> section;
  std::shared_ptr<const notify::NotificationTemplates> templates;
  {
    absl::MutexLock lock(&mu_);
    section = config_;
    templates = templates_;
  }
  auto receiver =
      std::find_if(section->receivers.begin(), section->receivers.end(),
                   [&](const config::Receiver& r) { return r.name == notification.receiver; });
  if (receiver == section->receivers.end()) {
    return Status::Errorf(Status::Code::kNotFound, "no receiver {}", notification.receiver);
  }
  notify::RenderResult rendered = notify::RenderNotification(
      notification, *receiver, {.external_url = external_url_, .templates = templates});
  for (const Status& error : rendered.errors) {
    log::Error("Notification not rendered as configured",
               {{"receiver", notification.receiver}, {"err", error.message()}});
  }
  for (notify::Message& message : rendered.messages) {
    ARGUS_RETURN_IF_ERROR(queue_->Enqueue(std::move(message)));
  }
  return Status::Ok();
}

// An event is an alert whose alertname is its kind, marked as an event (render_data.h), that
// fires long enough for the first flush of its group to tell it — past the longest group_wait —
// and is then resolved, which the renderer never tells.
void NotifyStage::OnEvent(const events::Event& event) {
  model::LabelsBuilder labels(event.labels);
  labels.Set("alertname", event.kind);
  labels.Set(notify::kEventLabel, notify::kEventLabelValue);
  model::LabelsBuilder annotations;
  annotations.Set("text", event.text);
  annotations.Set("link", event.link);
  std::chrono::milliseconds told_within =
      LongestGroupWait(config()->route) + std::chrono::minutes(1);
  // An event recorded late (a CI job's own time) is told from now on all the same.
  int64_t from_ms = std::max(event.time_ms, clock_.NowMillis());
  Dispatch({model::Alert{.labels = labels.Build(),
                         .annotations = annotations.Build(),
                         .starts_at_ms = event.time_ms,
                         .ends_at_ms = from_ms + told_within.count()}});
}

}  // namespace argus::cmd
