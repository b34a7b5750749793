#include "collect/manager.h"

#include <unistd.h>

#include "base/periodic_task.h"
#include "collect/collect_loop.h"
#include "collect/container_collector.h"
#include "collect/host_collector.h"
#include "collect/kept_file.h"

namespace argus::collect {
namespace {

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "localhost";
  return name;
}

model::Labels Target(const std::string& job, const std::string& instance) {
  return model::Labels{{"job", job}, {"instance", instance.empty() ? HostName() : instance}};
}

}  // namespace

// One CollectLoop, collecting once per interval from when it starts.
class CollectManager::Runner {
 public:
  Runner(std::unique_ptr<CollectLoop> loop, TimerSource& timers, std::chrono::milliseconds interval)
      : loop_(std::move(loop)),
        task_(timers, {.interval = interval}, [this] { loop_->RunOnce(); }) {
    task_.Start();
  }

  // Stops the collections and marks the loop's series stale: no collection runs afterwards.
  void Stop() {
    task_.Stop();
    loop_->MarkStale();
  }

 private:
  const std::unique_ptr<CollectLoop> loop_;
  PeriodicTask task_;
};

CollectManager::CollectManager(TimerSource& timers, storage::Appendable& storage)
    : timers_(timers), storage_(storage), clock_(timers.clock()) {
  // Before any collector sizes its budget of kept files from the limit.
  RaiseOpenFileLimit();
}

CollectManager::~CollectManager() { Stop(); }

void CollectManager::Replace(std::unique_ptr<Runner>* runner, bool changed, bool enabled,
                             model::Labels target, std::chrono::milliseconds interval,
                             const std::function<std::unique_ptr<Collector>()>& make) {
  if (*runner && !changed) return;
  if (*runner) (*runner)->Stop();
  runner->reset();
  if (!enabled) return;
  auto loop = std::make_unique<CollectLoop>(make(), std::move(target), storage_, clock_);
  *runner = std::make_unique<Runner>(std::move(loop), timers_, interval);
}

Status CollectManager::ApplyConfig(const config::Config& config) {
  absl::MutexLock lock(&mu_);
  const config::HostCollectorConfig& host = config.collectors.host;
  Replace(&host_, !(host == applied_.host), host.enabled, Target(host.job_name, host.instance),
          host.scrape_interval, [&] {
            return std::make_unique<HostCollector>(
                HostPaths{host.proc_path, host.sys_path, host.rootfs_path}, clock_);
          });
  const config::ContainerCollectorConfig& containers = config.collectors.containers;
  Replace(&containers_, !(containers == applied_.containers), containers.enabled,
          Target(containers.job_name, containers.instance), containers.scrape_interval, [&] {
            return std::make_unique<ContainerCollector>(
                ContainerPaths{containers.cgroup_path, containers.proc_path, containers.sys_path,
                               containers.docker_socket, containers.pod_logs_path},
                clock_);
          });
  applied_ = config.collectors;
  return Status::Ok();
}

void CollectManager::Stop() {
  absl::MutexLock lock(&mu_);
  if (host_) host_->Stop();
  if (containers_) containers_->Stop();
  host_.reset();
  containers_.reset();
}

}  // namespace argus::collect
