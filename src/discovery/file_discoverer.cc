#include "discovery/file_discoverer.h"

#include <fnmatch.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "base/log.h"

namespace argus::discovery {
namespace {

// How often the files are looked at for changes (Prometheus watches them with inotify; re-reading
// small files this often costs about as little and needs no watch descriptors).
constexpr model::Duration kWatchPeriod = std::chrono::seconds(1);

Status ErrorIn(const std::string& path, const YAML::Mark& mark, std::string_view what) {
  return Status::Errorf(Status::Code::kInvalidInput, "{}:{}:{}: {}", path, mark.line + 1,
                        mark.column + 1, what);
}

// Start reads the files itself, so the first periodic read comes one period later.
model::Duration Period(const config::FileSdConfig& config) {
  if (config.refresh_interval <= model::Duration::zero()) return kWatchPeriod;
  return std::min(config.refresh_interval, kWatchPeriod);
}

}  // namespace

std::vector<std::string> MatchingFiles(const std::string& pattern) {
  std::filesystem::path p(pattern);
  std::string glob = p.filename().string();
  std::vector<std::string> out;
  std::error_code ec;
  std::filesystem::path dir = p.has_parent_path() ? p.parent_path() : ".";
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && fnmatch(glob.c_str(), entry.path().filename().c_str(), 0) == 0) {
      out.push_back(entry.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<TargetGroup>> ParseTargetFile(const std::string& path, const std::string& text) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return ErrorIn(path, e.mark, e.msg);
  }
  std::vector<TargetGroup> groups;
  if (root.IsNull()) return groups;
  if (!root.IsSequence()) return ErrorIn(path, root.Mark(), "expected a list of target groups");
  for (size_t i = 0; i < root.size(); ++i) {
    const YAML::Node& g = root[i];
    if (!g.IsMap()) return ErrorIn(path, g.Mark(), "expected {targets: [...], labels: {...}}");
    TargetGroup group;
    group.source = path + ":" + std::to_string(i);
    std::vector<model::Label> labels{{"__meta_filepath", path}};
    for (const auto& entry : g) {
      std::string key = entry.first.Scalar();
      if (key == "targets") {
        if (!entry.second.IsSequence())
          return ErrorIn(path, entry.second.Mark(), "expected a list");
        for (const auto& t : entry.second) {
          group.targets.push_back(model::Labels{{"__address__", t.Scalar()}});
        }
      } else if (key == "labels") {
        if (!entry.second.IsMap()) return ErrorIn(path, entry.second.Mark(), "expected a mapping");
        for (const auto& l : entry.second) {
          std::string name = l.first.Scalar();
          if (!model::IsValidLabelName(name)) {
            return ErrorIn(path, l.first.Mark(), "\"" + name + "\" is not a valid label name");
          }
          labels.push_back({name, l.second.Scalar()});
        }
      } else {
        return ErrorIn(path, entry.first.Mark(), "unknown field \"" + key + "\"");
      }
    }
    group.labels = model::Labels::FromUnsorted(std::move(labels));
    groups.push_back(std::move(group));
  }
  return groups;
}

FileDiscoverer::FileDiscoverer(config::FileSdConfig config, TimerSource& timers)
    : config_(std::move(config)),
      task_(timers, {.interval = Period(config_), .initial_delay = Period(config_)},
            [this] { Refresh(); }) {}

FileDiscoverer::~FileDiscoverer() { Stop(); }

void FileDiscoverer::Start(UpdateFunc update) {
  {
    absl::MutexLock lock(&mu_);
    update_ = std::move(update);
  }
  Refresh();
  task_.Start();
}

void FileDiscoverer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopped_ = true;
  }
  task_.Stop();
}

void FileDiscoverer::Refresh() {
  absl::MutexLock lock(&mu_);
  if (stopped_) return;
  bool changed = !sent_;
  std::map<std::string, std::vector<TargetGroup>> groups;
  for (const auto& pattern : config_.files) {
    for (const auto& path : MatchingFiles(pattern)) {
      std::ifstream in(path, std::ios::binary);
      std::string text(std::istreambuf_iterator<char>(in), {});
      auto& last = contents_[path];
      if (text == last && groups_.count(path)) {
        groups[path] = groups_[path];
        continue;
      }
      auto parsed = ParseTargetFile(path, text);
      if (!parsed.ok()) {
        log::Error("Error reading file for service discovery; keeping its last targets",
                   {{"err", parsed.status().message()}});
        if (groups_.count(path)) groups[path] = groups_[path];
        continue;
      }
      last = text;
      groups[path] = std::move(*parsed);
      changed = true;
    }
  }
  changed = changed || groups.size() != groups_.size();
  groups_ = std::move(groups);
  if (!changed || !update_) return;
  sent_ = true;
  std::vector<TargetGroup> all;
  for (const auto& [path, g] : groups_) all.insert(all.end(), g.begin(), g.end());
  update_(std::move(all));
}

}  // namespace argus::discovery
