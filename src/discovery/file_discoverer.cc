#include "discovery/file_discoverer.h"

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>
#include <fnmatch.h>
#include <spdlog/spdlog.h>
#include <yaml-cpp/yaml.h>

#include <boost/asio/steady_timer.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

namespace argus::discovery {
namespace {

// How often the files are looked at for changes (Prometheus watches them with inotify; re-reading
// small files this often costs about as little and needs no watch descriptors).
constexpr model::Duration kWatchPeriod = std::chrono::seconds(1);

Status ErrorIn(const std::string& path, const YAML::Mark& mark, std::string_view what) {
  return Status::Errorf(Status::Code::kInvalidInput, "{}:{}:{}: {}", path, mark.line + 1,
                        mark.column + 1, what);
}

// The files matching `pattern`, whose last path component may hold a glob.
std::vector<std::string> Expand(const std::string& pattern) {
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

}  // namespace

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

struct FileDiscoverer::State {
  config::FileSdConfig config;  // Set before Start, then only read.
  // Held while refreshing, through the call of `update`: before the receiver's locks.
  absl::Mutex mu;
  UpdateFunc update ABSL_GUARDED_BY(mu);
  bool stopped ABSL_GUARDED_BY(mu) = false;
  bool sent ABSL_GUARDED_BY(mu) = false;
  std::map<std::string, std::string> contents ABSL_GUARDED_BY(mu);  // Last good text per file.
  // Last good groups per file.
  std::map<std::string, std::vector<TargetGroup>> groups ABSL_GUARDED_BY(mu);
  std::unique_ptr<boost::asio::steady_timer> timer ABSL_GUARDED_BY(mu);
};

FileDiscoverer::FileDiscoverer(config::FileSdConfig config, http::EventLoop& loop)
    : loop_(loop), state_(std::make_shared<State>()) {
  state_->config = std::move(config);
}

FileDiscoverer::~FileDiscoverer() { Stop(); }

void FileDiscoverer::Start(UpdateFunc update) {
  {
    absl::MutexLock lock(&state_->mu);
    state_->update = std::move(update);
    state_->timer = std::make_unique<boost::asio::steady_timer>(loop_.context());
  }
  Refresh(*state_);
  ScheduleRefresh(state_);
}

void FileDiscoverer::ScheduleRefresh(const std::shared_ptr<State>& state) {
  absl::MutexLock lock(&state->mu);
  if (state->stopped || !state->timer) return;
  state->timer->expires_after(
      std::min<model::Duration>(state->config.refresh_interval, kWatchPeriod));
  state->timer->async_wait([state](boost::system::error_code ec) {
    if (ec) return;
    Refresh(*state);
    ScheduleRefresh(state);
  });
}

void FileDiscoverer::Refresh() { Refresh(*state_); }

void FileDiscoverer::Refresh(State& s) {
  absl::MutexLock lock(&s.mu);
  if (s.stopped) return;
  bool changed = !s.sent;
  std::map<std::string, std::vector<TargetGroup>> groups;
  for (const auto& pattern : s.config.files) {
    for (const auto& path : Expand(pattern)) {
      std::ifstream in(path, std::ios::binary);
      std::string text(std::istreambuf_iterator<char>(in), {});
      auto& last = s.contents[path];
      if (text == last && s.groups.count(path)) {
        groups[path] = s.groups[path];
        continue;
      }
      auto parsed = ParseTargetFile(path, text);
      if (!parsed.ok()) {
        spdlog::error(
            "msg=\"Error reading file for service discovery; keeping its last targets\" "
            "err=\"{}\"",
            parsed.status().message());
        if (s.groups.count(path)) groups[path] = s.groups[path];
        continue;
      }
      last = text;
      groups[path] = std::move(*parsed);
      changed = true;
    }
  }
  changed = changed || groups.size() != s.groups.size();
  s.groups = std::move(groups);
  if (!changed || !s.update) return;
  s.sent = true;
  std::vector<TargetGroup> all;
  for (const auto& [path, g] : s.groups) all.insert(all.end(), g.begin(), g.end());
  s.update(std::move(all));
}

void FileDiscoverer::Stop() {
  absl::MutexLock lock(&state_->mu);
  state_->stopped = true;
  if (state_->timer) state_->timer->cancel();
}

}  // namespace argus::discovery
