#include "notify/forwarder.h"

#include <algorithm>
#include <iterator>

#include "base/log.h"
#include "base/rfc3339.h"
#include "config/http_client_auth.h"
#include "model/relabel.h"
#include "notify/render_json.h"

namespace argus::notify {
namespace {

// Alertmanager's postable alerts: labels, annotations, and the times and generator URL when set.
std::string PostableAlerts(std::span<const model::Alert> alerts) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartArray();
  for (const model::Alert& alert : alerts) {
    w.StartObject();
    w.Key("labels");
    WriteJsonLabels(w, alert.labels);
    w.Key("annotations");
    WriteJsonLabels(w, alert.annotations);
    if (alert.starts_at_ms != 0) WriteJsonField(w, "startsAt", FormatRfc3339(alert.starts_at_ms));
    if (alert.ends_at_ms != 0) WriteJsonField(w, "endsAt", FormatRfc3339(alert.ends_at_ms));
    if (!alert.generator_url.empty()) WriteJsonField(w, "generatorURL", alert.generator_url);
    w.EndObject();
  }
  w.EndArray();
  return std::string(buffer.GetString(), buffer.GetSize());
}

// `alerts` with `extra` labels where they lack them and then `configs` applied, without those
// that relabeling dropped.
std::vector<model::Alert> Relabeled(std::span<const model::Alert> alerts,
                                    const model::Labels& extra,
                                    std::span<const model::RelabelConfig> configs) {
  std::vector<model::Alert> kept;
  kept.reserve(alerts.size());
  for (const model::Alert& alert : alerts) {
    model::LabelsBuilder b(alert.labels);
    for (const model::Label& l : extra) {
      if (alert.labels.Get(l.name).empty()) b.Set(l.name, l.value);
    }
    if (!model::Relabel(configs, &b)) continue;
    model::Alert relabeled = alert;
    relabeled.labels = b.Build();
    kept.push_back(std::move(relabeled));
  }
  return kept;
}

}  // namespace

// The alerts of one batch on their way to every Alertmanager. Guarded by the forwarder's mu_.
struct AlertForwarder::Batch {
  size_t size = 0;
  size_t pending = 0;  // Requests not answered yet.
  bool accepted = false;
};

AlertForwarder::AlertForwarder(http::Client& client, TimerSource& timers, MetricsRegistry& registry,
                               Options options)
    : client_(client),
      timers_(timers),
      options_(options),
      sent_(registry.AddCounterFamily("prometheus_notifications_sent_total",
                                      "Total number of alerts sent.", {"alertmanager"})),
      errors_(registry.AddCounterFamily("prometheus_notifications_errors_total",
                                        "Total number of errors sending alert notifications.",
                                        {"alertmanager"})),
      dropped_(registry.AddCounter(
          "prometheus_notifications_dropped_total",
          "Total number of alerts dropped due to errors when sending to Alertmanager.")) {
  registry.AddGaugeFunc("prometheus_notifications_queue_length",
                        "The number of alert notifications in the queue.", [this] {
                          absl::MutexLock lock(&mu_);
                          return static_cast<double>(queue_.size());
                        });
  registry
      .AddGauge("prometheus_notifications_queue_capacity",
                "The capacity of the alert notifications queue.")
      .Set(static_cast<double>(options_.queue_capacity));
  registry.AddGaugeFunc("prometheus_notifications_alertmanagers_discovered",
                        "The number of alertmanagers discovered and active.",
                        [this] { return static_cast<double>(Alertmanagers().size()); });
}

AlertForwarder::~AlertForwarder() {
  Stop();
  // The answers of a batch in flight call back into the forwarder.
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(this, &AlertForwarder::NoBatchInFlight));
}

void AlertForwarder::ApplyConfig(const config::AlertingConfig& alerting,
                                 const model::Labels& external_labels) {
  std::vector<std::shared_ptr<AlertmanagerSet>> sets;
  for (const config::AlertmanagerConfig& am : alerting.alertmanagers) {
    sets.push_back(std::make_shared<AlertmanagerSet>(am, timers_, [this] { SyncCounters(); }));
    if (am.api_version == "v1") {
      log::Warn("Alertmanager API v1 is deprecated; alerts are posted to /api/v1/alerts",
                {{"path_prefix", am.path_prefix}});
    }
  }
  // Started before they are in force, so that a batch never finds them empty.
  for (auto& set : sets) set->Start();
  std::vector<std::shared_ptr<AlertmanagerSet>> previous;
  {
    absl::MutexLock lock(&mu_);
    if (stopped_) return;
    previous = std::exchange(sets_, std::move(sets));
    alert_relabel_configs_ = alerting.alert_relabel_configs;
    external_labels_ = external_labels;
  }
  for (auto& set : previous) set->Stop();
  SyncCounters();
}

void AlertForwarder::Send(std::span<const model::Alert> alerts) {
  std::optional<Taken> taken;
  {
    absl::MutexLock lock(&mu_);
    if (stopped_ || sets_.empty()) return;
    std::vector<model::Alert> kept = Relabeled(alerts, external_labels_, alert_relabel_configs_);
    size_t capacity = options_.queue_capacity;
    auto first = kept.begin();
    if (kept.size() > capacity) {
      size_t over = kept.size() - capacity;
      log::Warn("Alert batch larger than queue capacity, dropping alerts", {{"num_dropped", over}});
      dropped_.Inc(static_cast<double>(over));
      first += static_cast<ptrdiff_t>(over);
    }
    size_t incoming = static_cast<size_t>(kept.end() - first);
    if (queue_.size() + incoming > capacity) {
      size_t over = queue_.size() + incoming - capacity;
      log::Warn("Alert notification queue full, dropping alerts", {{"num_dropped", over}});
      dropped_.Inc(static_cast<double>(over));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(over));
    }
    queue_.insert(queue_.end(), std::make_move_iterator(first),
                  std::make_move_iterator(kept.end()));
    taken = TakeBatch();
  }
  if (taken) Dispatch(std::move(*taken));
}

std::vector<std::string> AlertForwarder::Alertmanagers() const {
  std::vector<std::shared_ptr<AlertmanagerSet>> sets;
  {
    absl::MutexLock lock(&mu_);
    sets = sets_;
  }
  std::vector<std::string> urls;
  for (const auto& set : sets) {
    std::vector<std::string> found = set->urls();
    urls.insert(urls.end(), found.begin(), found.end());
  }
  return urls;
}

bool AlertForwarder::WaitUntilIdle(absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithTimeout(absl::Condition(this, &AlertForwarder::Idle), timeout);
}

void AlertForwarder::Stop() {
  std::vector<std::shared_ptr<AlertmanagerSet>> sets;
  {
    absl::MutexLock lock(&mu_);
    if (std::exchange(stopped_, true)) return;
    sets = std::move(sets_);
    if (!queue_.empty()) {
      log::Warn("Alerts for the Alertmanagers dropped on shutdown", {{"count", queue_.size()}});
      dropped_.Inc(static_cast<double>(queue_.size()));
      queue_.clear();
    }
  }
  for (auto& set : sets) set->Stop();
}

bool AlertForwarder::NoBatchInFlight() const { return !in_flight_; }

bool AlertForwarder::Idle() const { return !in_flight_ && (queue_.empty() || stopped_); }

std::optional<AlertForwarder::Taken> AlertForwarder::TakeBatch() {
  if (in_flight_ || stopped_ || queue_.empty()) return std::nullopt;
  auto end =
      queue_.begin() + static_cast<ptrdiff_t>(std::min(queue_.size(), options_.max_batch_size));
  Taken taken;
  taken.alerts.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(end));
  taken.sets = sets_;
  queue_.erase(queue_.begin(), end);
  in_flight_ = true;
  return taken;
}

void AlertForwarder::Dispatch(Taken taken) {
  for (;;) {
    struct Destination {
      const AlertmanagerSet* set;
      std::vector<model::Alert> alerts;
      std::vector<std::string> urls;
    };
    std::vector<Destination> destinations;
    auto batch = std::make_shared<Batch>();
    batch->size = taken.alerts.size();
    for (const auto& set : taken.sets) {
      Destination d{set.get(), {}, set->urls()};
      if (d.urls.empty()) continue;
      const auto& relabel = set->config().alert_relabel_configs;
      d.alerts = relabel.empty() ? taken.alerts : Relabeled(taken.alerts, {}, relabel);
      if (d.alerts.empty()) continue;
      batch->pending += d.urls.size();
      destinations.push_back(std::move(d));
    }
    if (batch->pending > 0) {
      for (const Destination& d : destinations) Post(batch, *d.set, d.alerts, d.urls);
      return;
    }
    // No Alertmanager to go to: dropped, as when none accepted it.
    absl::MutexLock lock(&mu_);
    dropped_.Inc(static_cast<double>(batch->size));
    in_flight_ = false;
    std::optional<Taken> next = TakeBatch();
    if (!next) return;
    taken = std::move(*next);
  }
}

void AlertForwarder::Post(std::shared_ptr<Batch> batch, const AlertmanagerSet& set,
                          std::span<const model::Alert> alerts,
                          const std::vector<std::string>& urls) {
  const config::AlertmanagerConfig& config = set.config();
  const config::TlsConfig& tls = config.http_client.tls_config;
  http::ClientRequest request;
  request.method = "POST";
  request.body = PostableAlerts(alerts);
  request.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(config.timeout);
  request.deadline_timers = &timers_;
  request.follow_redirects = config.http_client.follow_redirects;
  request.tls = {tls.ca_file, tls.cert_file, tls.key_file, tls.server_name,
                 tls.insecure_skip_verify};
  request.headers["Content-Type"] = "application/json";
  request.headers["User-Agent"] = "Argus";
  auto authorization = config::AuthorizationHeader(config.http_client);
  if (authorization.ok() && *authorization) request.headers["Authorization"] = **authorization;
  size_t count = alerts.size();
  for (const std::string& url : urls) {
    auto done = [this, batch, url, count](const Status& status) {
      if (!status.ok()) {
        log::Error("Error sending alerts",
                   {{"alertmanager", url}, {"count", count}, {"err", status.message()}});
      }
      Done(batch, url, count, status);
    };
    if (!authorization.ok()) {
      done(authorization.status());
      continue;
    }
    request.url = url;
    client_.Send(request, [done](Result<http::ClientResponse> response) {
      if (!response.ok()) return done(response.status());
      if (response->status / 100 != 2) {
        return done(
            Status::Errorf(Status::Code::kIOError, "bad response status {}", response->status));
      }
      done(Status::Ok());
    });
  }
}

void AlertForwarder::Done(const std::shared_ptr<Batch>& batch, const std::string& url, size_t count,
                          const Status& status) {
  std::optional<Taken> taken;
  {
    absl::MutexLock lock(&mu_);
    sent_.WithLabels({url}).Inc(static_cast<double>(count));
    if (status.ok()) {
      batch->accepted = true;
    } else {
      errors_.WithLabels({url}).Inc();
    }
    if (--batch->pending > 0) return;
    if (!batch->accepted) dropped_.Inc(static_cast<double>(batch->size));
    in_flight_ = false;
    // Taken under the lock: once no batch is in flight, the destructor may run.
    taken = TakeBatch();
  }
  if (taken) Dispatch(std::move(*taken));
}

void AlertForwarder::SyncCounters() {
  std::vector<std::string> found = Alertmanagers();
  std::set<std::string> urls(found.begin(), found.end());
  absl::MutexLock lock(&mu_);
  for (const std::string& url : urls) {
    sent_.WithLabels({url});
    errors_.WithLabels({url});
  }
  for (const std::string& url : counted_urls_) {
    if (urls.count(url)) continue;
    sent_.Remove({url});
    errors_.Remove({url});
  }
  counted_urls_ = std::move(urls);
}

}  // namespace argus::notify
