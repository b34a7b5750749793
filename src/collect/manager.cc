#include "collect/manager.h"

#include <unistd.h>

#include <boost/asio/steady_timer.hpp>

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

// Runs one CollectLoop at its interval on the event loop: the first collection right away, then
// one per interval, skipping slots that a slow collection overran.
class CollectManager::Runner : public std::enable_shared_from_this<Runner> {
 public:
  Runner(std::unique_ptr<CollectLoop> loop, http::EventLoop& events,
         std::chrono::milliseconds interval)
      : loop_(std::move(loop)), timer_(events.context()), interval_(interval) {}

  void Start() {
    next_ = std::chrono::steady_clock::now();
    Schedule();
  }

  // Stops the schedule and marks the loop's series stale; a collection running now finishes
  // first, since both hold the loop's lock.
  void Stop() {
    {
      std::lock_guard lock(mu_);
      stopped_ = true;
      timer_.cancel();
    }
    loop_->MarkStale();
  }

 private:
  void Schedule() {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    timer_.expires_at(next_);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->Collect();
    });
  }

  void Collect() {
    {
      std::lock_guard lock(mu_);
      if (stopped_) return;
    }
    loop_->RunOnce();
    auto now = std::chrono::steady_clock::now();
    do next_ += interval_;
    while (next_ <= now);
    Schedule();
  }

  const std::unique_ptr<CollectLoop> loop_;
  std::mutex mu_;
  bool stopped_ = false;  // Guarded by mu_.
  boost::asio::steady_timer timer_;
  const std::chrono::milliseconds interval_;
  std::chrono::steady_clock::time_point next_;
};

CollectManager::CollectManager(http::EventLoop& loop, storage::Appendable& storage,
                               const Clock& clock)
    : loop_(loop), storage_(storage), clock_(clock) {
  // Before any collector sizes its budget of kept files from the limit.
  RaiseOpenFileLimit();
}

CollectManager::~CollectManager() { Stop(); }

void CollectManager::Replace(std::shared_ptr<Runner>* runner, bool changed, bool enabled,
                             model::Labels target, std::chrono::milliseconds interval,
                             const std::function<std::unique_ptr<Collector>()>& make) {
  if (*runner && !changed) return;
  if (*runner) (*runner)->Stop();
  runner->reset();
  if (!enabled) return;
  auto loop = std::make_unique<CollectLoop>(make(), std::move(target), storage_, clock_);
  *runner = std::make_shared<Runner>(std::move(loop), loop_, interval);
  (*runner)->Start();
}

Status CollectManager::ApplyConfig(const config::Config& config) {
  std::lock_guard lock(mu_);
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
  std::lock_guard lock(mu_);
  if (host_) host_->Stop();
  if (containers_) containers_->Stop();
  host_.reset();
  containers_.reset();
}

}  // namespace argus::collect
