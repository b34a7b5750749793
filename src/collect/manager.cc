#include "collect/manager.h"

#include <unistd.h>

#include <algorithm>

#include "base/periodic_task.h"
#include "collect/collect_loop.h"
#include "collect/container_collector.h"
#include "collect/host_collector.h"
#include "collect/kept_file.h"
#include "collect/self_collector.h"

namespace argus::collect {
namespace {

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "localhost";
  return name;
}

model::Labels Target(const std::string& job, const std::string& instance,
                     const std::string& default_instance) {
  return model::Labels{{"job", job}, {"instance", instance.empty() ? default_instance : instance}};
}

}  // namespace

// One CollectLoop, collecting once per interval from when it starts, and what the API shows of it.
class CollectManager::Runner {
 public:
  Runner(std::unique_ptr<CollectLoop> loop, std::string url, TimerSource& timers,
         std::chrono::milliseconds interval)
      : loop_(std::move(loop)),
        url_(std::move(url)),
        interval_(interval),
        task_(timers, {.interval = interval}, [this] { loop_->RunOnce(); }) {
    task_.Start();
  }

  // Stops the collections and marks the loop's series stale: no collection runs afterwards.
  void Stop() {
    task_.Stop();
    loop_->MarkStale();
  }

  std::string_view job() const { return loop_->target().Get("job"); }

  // As CollectManager::Targets says.
  scrape::TargetStatus Status() const {
    CollectLoop::Health health = loop_->health();
    scrape::TargetStatus t;
    t.labels = loop_->target();
    t.discovered = loop_->target();
    t.url = url_;
    t.health = health.state;
    t.last_error = std::move(health.last_error);
    t.last_scrape_ms = health.last_collection_ms;
    t.last_duration_seconds = health.last_duration_seconds;
    t.interval = interval_;
    t.timeout = interval_;
    return t;
  }

  scrape::TargetMetadata Metadata() const {
    return {std::string(job()), loop_->target(), loop_->Metadata()};
  }

 private:
  const std::unique_ptr<CollectLoop> loop_;
  const std::string url_;
  const std::chrono::milliseconds interval_;
  PeriodicTask task_;
};

CollectManager::CollectManager(TimerSource& timers, storage::Appendable& storage,
                               const MetricsRegistry& registry, std::string listen_address)
    : timers_(timers),
      storage_(storage),
      clock_(timers.clock()),
      registry_(registry),
      listen_address_(std::move(listen_address)) {
  // Before any collector sizes its budget of kept files from the limit.
  RaiseOpenFileLimit();
}

CollectManager::~CollectManager() { Stop(); }

void CollectManager::Replace(std::unique_ptr<Runner>* runner, bool changed, bool enabled,
                             model::Labels target, std::string url,
                             std::chrono::milliseconds interval,
                             const std::function<std::unique_ptr<Collector>()>& make) {
  if (*runner && !changed) return;
  if (*runner) (*runner)->Stop();
  runner->reset();
  if (!enabled) return;
  auto loop = std::make_unique<CollectLoop>(make(), std::move(target), storage_, clock_);
  *runner = std::make_unique<Runner>(std::move(loop), std::move(url), timers_, interval);
}

Status CollectManager::ApplyConfig(const config::Config& config) {
  absl::MutexLock lock(&mu_);
  const config::HostCollectorConfig& host = config.collectors.host;
  Replace(&host_, !(host == applied_.host), host.enabled,
          Target(host.job_name, host.instance, HostName()), "file://" + host.proc_path,
          host.scrape_interval, [&] {
            return std::make_unique<HostCollector>(
                HostPaths{host.proc_path, host.sys_path, host.rootfs_path}, clock_);
          });
  const config::ContainerCollectorConfig& containers = config.collectors.containers;
  Replace(&containers_, !(containers == applied_.containers), containers.enabled,
          Target(containers.job_name, containers.instance, HostName()),
          "file://" + containers.cgroup_path, containers.scrape_interval, [&] {
            return std::make_unique<ContainerCollector>(
                ContainerPaths{containers.cgroup_path, containers.proc_path, containers.sys_path,
                               containers.docker_socket, containers.pod_logs_path},
                clock_);
          });
  const config::SelfCollectorConfig& self = config.collectors.self;
  Replace(&self_, !(self == applied_.self), self.enabled,
          Target(self.job_name, self.instance, listen_address_),
          "http://" + listen_address_ + "/metrics", self.scrape_interval,
          [&] { return std::make_unique<SelfCollector>(registry_); });
  applied_ = config.collectors;
  return Status::Ok();
}

void CollectManager::Stop() {
  absl::MutexLock lock(&mu_);
  for (std::unique_ptr<Runner>* runner : {&host_, &containers_, &self_}) {
    if (*runner) (*runner)->Stop();
    runner->reset();
  }
}

std::vector<const CollectManager::Runner*> CollectManager::Running() const {
  std::vector<const Runner*> running;
  for (const auto& runner : {host_.get(), containers_.get(), self_.get()}) {
    if (runner) running.push_back(runner);
  }
  std::ranges::sort(running, {}, &Runner::job);
  return running;
}

std::vector<scrape::JobTargets> CollectManager::Targets() const {
  absl::MutexLock lock(&mu_);
  std::vector<scrape::JobTargets> out;
  for (const Runner* runner : Running())
    out.push_back({std::string(runner->job()), {runner->Status()}, {}});
  return out;
}

std::vector<scrape::TargetMetadata> CollectManager::Metadata() const {
  absl::MutexLock lock(&mu_);
  std::vector<scrape::TargetMetadata> out;
  for (const Runner* runner : Running()) out.push_back(runner->Metadata());
  return out;
}

}  // namespace argus::collect
