#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "discovery/discoverer.h"
#include "http/event_loop.h"

namespace argus::discovery {

// Targets from files (file_sd_configs): JSON or YAML lists of {targets: [...], labels: {...}},
// with globs in the last path component. The files are re-read every second (or every
// refresh_interval if shorter) and, when their contents changed, the new groups are sent. A file
// that does not parse keeps its last good groups and the error is logged with the file and line.
// Each target gets __meta_filepath.
class FileDiscoverer final : public Discoverer {
 public:
  FileDiscoverer(config::FileSdConfig config, http::EventLoop& loop);
  ~FileDiscoverer() override;

  void Start(UpdateFunc update) override;
  void Stop() override;

  // Reads the files now and sends the groups if they changed (or on the first call). Thread-safe;
  // the timer calls it, and tests call it directly instead of waiting for the timer.
  void Refresh();

 private:
  struct State;
  // Both work on the shared state only, so that a timer firing during destruction is safe.
  static void Refresh(State& state);
  static void ScheduleRefresh(const std::shared_ptr<State>& state);

  http::EventLoop& loop_;
  std::shared_ptr<State> state_;
};

// Parses one file's contents into groups (sources "<path>:<index>"); exposed for tests.
Result<std::vector<TargetGroup>> ParseTargetFile(const std::string& path, const std::string& text);

}  // namespace argus::discovery
