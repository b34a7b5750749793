#pragma once

#include <array>
#include <memory>
#include <string>

#include "base/clock.h"
#include "collect/collector.h"
#include "collect/text_file.h"

namespace re2 {
class RE2;
}

namespace argus::collect {

// Where the host collector reads, as node_exporter's --path.procfs, --path.sysfs and
// --path.rootfs: a DaemonSet mounts the host's trees somewhere else, tests point at fixtures.
struct HostPaths {
  std::string proc = "/proc";
  std::string sys = "/sys";
  std::string rootfs = "/";
};

// The host's own metrics with node_exporter 1.5's names, types, help texts and labels, for its
// collectors cpu, stat, loadavg, meminfo, netdev, netclass, diskstats, filesystem, pressure, time
// and uname (with its default device and file-system exclusions). Each collector's outcome is
// node_scrape_collector_success{collector}, 0 where its source is missing (no PSI on this
// kernel); Collect fails only when none succeeded. node_time_seconds comes from `clock`, which
// must outlive the collector. Used by one thread at a time.
class HostCollector final : public Collector {
 public:
  HostCollector(HostPaths paths, const Clock& clock);
  ~HostCollector() override;
  Status Collect(SampleWriter& out) override;

 private:
  bool CollectStat(SampleWriter& out, bool* cpu_ok);  // cpu and stat: both read /proc/stat.
  bool CollectLoadavg(SampleWriter& out);
  bool CollectMeminfo(SampleWriter& out);
  bool CollectPressure(SampleWriter& out);
  bool CollectUname(SampleWriter& out);
  bool CollectNetdev(SampleWriter& out);
  bool CollectNetclass(SampleWriter& out);
  bool CollectDiskstats(SampleWriter& out);
  bool CollectFilesystems(SampleWriter& out);
  // paths_.proc + "/" + relative, in path_.
  const std::string& ProcPath(std::string_view relative);
  const std::string& SysPath(std::string_view relative);

  const HostPaths paths_;
  const Clock& clock_;
  const std::unique_ptr<re2::RE2> disk_exclude_;
  const std::unique_ptr<re2::RE2> mount_point_exclude_;
  const std::unique_ptr<re2::RE2> fs_type_exclude_;
  TextFile file_;
  TextFile mounts_;  // Held while each mount point's statfs runs.
  std::string path_;
  std::string name_;  // Metric names and help texts made from what the files hold.
  std::string help_;
  std::string mount_point_;
  std::string device_;
  std::array<std::string, 5> uname_;  // sysname, release, version, nodename, domainname.
};

}  // namespace argus::collect
