#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <map>
#include <string>
#include <vector>

#include "base/periodic_task.h"
#include "base/timer.h"
#include "config/config.h"
#include "discovery/discoverer.h"

namespace argus::discovery {

// Targets from files (file_sd_configs): JSON or YAML lists of {targets: [...], labels: {...}},
// with globs in the last path component. The files are re-read every second (or every
// refresh_interval if shorter) on the threads of `timers`, and, when their contents changed, the
// new groups are sent. A file that does not parse keeps its last good groups and the error is
// logged with the file and line. Each target gets __meta_filepath. `timers` must outlive the
// discoverer. Thread-safe.
class FileDiscoverer final : public Discoverer {
 public:
  FileDiscoverer(config::FileSdConfig config, TimerSource& timers);
  ~FileDiscoverer() override;  // Stops.

  // Reads the files and sends their groups before it returns; then re-reads them periodically.
  void Start(UpdateFunc update) override;
  // Once it returns, nothing more is sent.
  void Stop() override;

 private:
  // Reads the files and sends the groups if they changed (or on the first call).
  void Refresh();

  const config::FileSdConfig config_;
  absl::Mutex mu_;
  UpdateFunc update_ ABSL_GUARDED_BY(mu_);
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  bool sent_ ABSL_GUARDED_BY(mu_) = false;
  std::map<std::string, std::string> contents_ ABSL_GUARDED_BY(mu_);  // Last good text per file.
  // Last good groups per file.
  std::map<std::string, std::vector<TargetGroup>> groups_ ABSL_GUARDED_BY(mu_);
  // Last, so that it stops first.
  PeriodicTask task_;
};

// The files matching `pattern`, whose last path component may hold a glob, sorted.
std::vector<std::string> MatchingFiles(const std::string& pattern);

// Parses one file's contents into groups (sources "<path>:<index>"); exposed for tests.
Result<std::vector<TargetGroup>> ParseTargetFile(const std::string& path, const std::string& text);

}  // namespace argus::discovery
