#include "notify/alertmanager_set.h"

#include <set>

#include "base/log.h"
#include "discovery/file_discoverer.h"
#include "discovery/static_discoverer.h"
#include "model/relabel.h"

namespace argus::notify {
namespace {

// Where an Alertmanager takes alerts under `path_prefix`: "/" + prefix + "/api/v2/alerts", with
// no doubled or trailing slashes from the prefix (Go's path.Join).
std::string AlertsPath(std::string_view path_prefix, std::string_view api_version) {
  std::string path;
  size_t i = 0;
  while (i < path_prefix.size()) {
    size_t end = std::min(path_prefix.find('/', i), path_prefix.size());
    if (end > i) path += "/" + std::string(path_prefix.substr(i, end - i));
    i = end + 1;
  }
  return path + "/api/" + std::string(api_version) + "/alerts";
}

}  // namespace

Result<std::optional<std::string>> AlertmanagerUrl(const model::Labels& discovered,
                                                   const config::AlertmanagerConfig& config) {
  model::LabelsBuilder b(discovered);
  if (discovered.Get("__scheme__").empty()) b.Set("__scheme__", config.scheme);
  if (discovered.Get("__alerts_path__").empty()) {
    b.Set("__alerts_path__", AlertsPath(config.path_prefix, config.api_version));
  }
  if (!model::Relabel(config.relabel_configs, &b)) return std::optional<std::string>();
  std::string address(b.Get("__address__"));
  if (Status valid = config::CheckTargetAddress(address); !valid.ok()) return valid;
  return std::optional<std::string>(std::string(b.Get("__scheme__")) + "://" + address +
                                    std::string(b.Get("__alerts_path__")));
}

AlertmanagerSet::AlertmanagerSet(config::AlertmanagerConfig config, TimerSource& timers,
                                 std::function<void()> changed)
    : config_(std::move(config)), changed_(std::move(changed)) {
  if (!config_.static_configs.empty()) {
    discoverers_.push_back(discovery::NewStaticDiscoverer(config_.static_configs));
  }
  for (const config::FileSdConfig& file_sd : config_.file_sd_configs) {
    discoverers_.push_back(std::make_unique<discovery::FileDiscoverer>(file_sd, timers));
  }
}

AlertmanagerSet::~AlertmanagerSet() { Stop(); }

void AlertmanagerSet::Start() {
  for (size_t i = 0; i < discoverers_.size(); ++i) {
    discoverers_[i]->Start(
        [this, i](std::vector<discovery::TargetGroup> groups) { Update(i, std::move(groups)); });
  }
}

void AlertmanagerSet::Stop() {
  for (auto& discoverer : discoverers_) discoverer->Stop();
}

std::vector<std::string> AlertmanagerSet::urls() const {
  absl::MutexLock lock(&mu_);
  return urls_;
}

void AlertmanagerSet::Update(size_t index, std::vector<discovery::TargetGroup> groups) {
  {
    absl::MutexLock lock(&mu_);
    groups_[index] = std::move(groups);
    std::vector<std::string> urls;
    std::set<std::string> seen;
    for (const auto& [_, discovered] : groups_) {
      for (const discovery::TargetGroup& group : discovered) {
        std::vector<std::string> found;
        Status status = Status::Ok();
        for (const model::Labels& target : group.targets) {
          auto url = AlertmanagerUrl(discovery::DiscoveredLabels(group, target), config_);
          if (!url.ok()) {
            status = url.status();
            break;
          }
          if (*url) found.push_back(std::move(**url));
        }
        if (!status.ok()) {
          log::Error("Creating discovered Alertmanagers failed",
                     {{"group", group.source}, {"err", status.message()}});
          continue;
        }
        for (std::string& url : found) {
          if (seen.insert(url).second) urls.push_back(std::move(url));
        }
      }
    }
    if (urls == urls_) return;
    urls_ = std::move(urls);
  }
  changed_();
}

}  // namespace argus::notify
