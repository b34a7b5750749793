#include "collect/pod_logs.h"

#include <absl/strings/string_view.h>
#include <dirent.h>

#include <functional>

namespace argus::collect {
namespace {

// Calls `f` with the name of every entry of `dir` but "." and "..".
void ForEachEntry(const std::string& dir, const std::function<void(std::string_view)>& f) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return;
  while (dirent* e = readdir(d)) {
    std::string_view name = e->d_name;
    if (name != "." && name != "..") f(name);
  }
  closedir(d);
}

// Splits "a_b_c" into its three parts; false unless there are exactly three, none empty.
bool SplitThree(std::string_view s, std::string_view parts[3]) {
  for (int i = 0; i < 2; ++i) {
    size_t underscore = s.find('_');
    if (underscore == std::string_view::npos || underscore == 0) return false;
    parts[i] = s.substr(0, underscore);
    s.remove_prefix(underscore + 1);
  }
  parts[2] = s;
  return !s.empty() && s.find('_') == std::string_view::npos;
}

}  // namespace

void PodLogIndex::Refresh() {
  containers_.clear();
  pods_.clear();
  ForEachEntry(root_ + "/pods", [&](std::string_view name) {
    std::string_view parts[3];  // namespace, pod, uid
    if (!SplitThree(name, parts)) return;
    pods_[std::string(parts[2])] = {std::string(parts[1]), std::string(parts[0]), ""};
  });
  ForEachEntry(root_ + "/containers", [&](std::string_view name) {
    // <pod>_<namespace>_<container>-<64 hex digits>.log
    constexpr size_t kIdLength = 64;
    if (!name.ends_with(".log")) return;
    name.remove_suffix(4);
    if (name.size() < kIdLength + 2 || name[name.size() - kIdLength - 1] != '-') return;
    std::string_view id = name.substr(name.size() - kIdLength);
    std::string_view parts[3];  // pod, namespace, container
    if (!SplitThree(name.substr(0, name.size() - kIdLength - 1), parts)) return;
    containers_[std::string(id)] = {std::string(parts[0]), std::string(parts[1]),
                                    std::string(parts[2])};
  });
}

const KubeNames* PodLogIndex::Container(std::string_view id) const {
  auto it = containers_.find(absl::string_view(id.data(), id.size()));
  return it == containers_.end() ? nullptr : &it->second;
}

const KubeNames* PodLogIndex::Pod(std::string_view uid) const {
  auto it = pods_.find(absl::string_view(uid.data(), uid.size()));
  return it == pods_.end() ? nullptr : &it->second;
}

}  // namespace argus::collect
