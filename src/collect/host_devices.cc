// The host collector's per-device parts: network interfaces, disks and file systems.

#include <dirent.h>
#include <re2/re2.h>
#include <sys/statfs.h>

#include "collect/host_collector.h"
#include "collect/net_dev.h"

namespace argus::collect {
namespace {

using model::MetricType;

re2::StringPiece Piece(std::string_view s) { return re2::StringPiece(s.data(), s.size()); }

// /proc/diskstats' counters after the device name, in order, with node_exporter's names and the
// factor that turns each into its unit (sectors of 512 bytes, milliseconds).
struct DiskField {
  MetricDesc metric;
  double scale;
};
constexpr DiskField kDiskFields[] = {
    {{"node_disk_reads_completed_total", "The total number of reads completed successfully.",
      MetricType::kCounter},
     1},
    {{"node_disk_reads_merged_total", "The total number of reads merged.", MetricType::kCounter},
     1},
    {{"node_disk_read_bytes_total", "The total number of bytes read successfully.",
      MetricType::kCounter},
     512},
    {{"node_disk_read_time_seconds_total", "The total number of seconds spent by all reads.",
      MetricType::kCounter},
     0.001},
    {{"node_disk_writes_completed_total", "The total number of writes completed successfully.",
      MetricType::kCounter},
     1},
    {{"node_disk_writes_merged_total", "The number of writes merged.", MetricType::kCounter}, 1},
    {{"node_disk_written_bytes_total", "The total number of bytes written successfully.",
      MetricType::kCounter},
     512},
    {{"node_disk_write_time_seconds_total",
      "This is the total number of seconds spent by all writes.", MetricType::kCounter},
     0.001},
    {{"node_disk_io_now", "The number of I/Os currently in progress.", MetricType::kGauge}, 1},
    {{"node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.", MetricType::kCounter},
     0.001},
    {{"node_disk_io_time_weighted_seconds_total", "The weighted # of seconds spent doing I/Os.",
      MetricType::kCounter},
     0.001},
    // Since Linux 4.18.
    {{"node_disk_discards_completed_total", "The total number of discards completed successfully.",
      MetricType::kCounter},
     1},
    {{"node_disk_discards_merged_total", "The total number of discards merged.",
      MetricType::kCounter},
     1},
    {{"node_disk_discarded_sectors_total", "The total number of sectors discarded successfully.",
      MetricType::kCounter},
     1},
    {{"node_disk_discard_time_seconds_total",
      "This is the total number of seconds spent by all discards.", MetricType::kCounter},
     0.001},
    // Since Linux 5.5.
    {{"node_disk_flush_requests_total", "The total number of flush requests completed successfully",
      MetricType::kCounter},
     1},
    {{"node_disk_flush_requests_time_seconds_total",
      "This is the total number of seconds spent by all flush requests.", MetricType::kCounter},
     0.001},
};

struct FsMetrics {
  MetricDesc size{"node_filesystem_size_bytes", "Filesystem size in bytes.", MetricType::kGauge};
  MetricDesc free{"node_filesystem_free_bytes", "Filesystem free space in bytes.",
                  MetricType::kGauge};
  MetricDesc avail{"node_filesystem_avail_bytes",
                   "Filesystem space available to non-root users in bytes.", MetricType::kGauge};
  MetricDesc files{"node_filesystem_files", "Filesystem total file nodes.", MetricType::kGauge};
  MetricDesc files_free{"node_filesystem_files_free", "Filesystem total free file nodes.",
                        MetricType::kGauge};
  MetricDesc readonly{"node_filesystem_readonly", "Filesystem read-only status.",
                      MetricType::kGauge};
  MetricDesc device_error{"node_filesystem_device_error",
                          "Whether an error occurred while getting statistics for the given "
                          "device.",
                          MetricType::kGauge};
};
constexpr FsMetrics kFs;

constexpr MetricDesc kNetworkUp{"node_network_up", "Value is 1 if operstate is 'up', 0 otherwise.",
                                MetricType::kGauge};
constexpr MetricDesc kNetworkMtu{"node_network_mtu_bytes", "Network device property: mtu_bytes",
                                 MetricType::kGauge};
constexpr MetricDesc kNetworkQueue{"node_network_transmit_queue_length",
                                   "Network device property: transmit_queue_length",
                                   MetricType::kGauge};

// Undoes the octal escapes (\040 for a space) of a field of /proc/mounts.
void Unescape(std::string_view field, std::string* out) {
  out->clear();
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size()) {
      int v = 0;
      bool octal = true;
      for (size_t j = 1; j <= 3; ++j) {
        char c = field[i + j];
        octal = octal && c >= '0' && c <= '7';
        v = v * 8 + (c - '0');
      }
      if (octal) {
        *out += static_cast<char>(v);
        i += 3;
        continue;
      }
    }
    *out += field[i];
  }
}

}  // namespace

bool HostCollector::CollectNetdev(SampleWriter& out) {
  auto text = file_.Read(ProcPath("net/dev"));
  if (!text) return false;
  ForEachNetDev(*text, [&](std::string_view device, const NetDevCounters& counters) {
    // node_exporter 1.5 reads the counters over netlink, which skips the loopback device.
    if (device == "lo") return;
    for (size_t i = 0; i < counters.size(); ++i) {
      name_.assign("node_network_");
      name_ += kNetDevFieldNames[i];
      name_ += "_total";
      help_.assign("Network device statistic ");
      help_ += kNetDevFieldNames[i];
      help_ += '.';
      out.Add({name_, help_, MetricType::kCounter}, {{"device", device}},
              static_cast<double>(counters[i]));
    }
  });
  return true;
}

bool HostCollector::CollectNetclass(SampleWriter& out) {
  DIR* dir = opendir(SysPath("class/net").c_str());
  if (dir == nullptr) return false;
  while (dirent* e = readdir(dir)) {
    std::string_view device = e->d_name;
    if (device.starts_with('.')) continue;
    // One line of one attribute; nullopt where the device does not have it.
    auto read = [&](std::string_view attribute) -> std::optional<std::string_view> {
      path_.assign(paths_.sys);
      path_ += "/class/net/";
      path_ += device;
      path_ += '/';
      path_ += attribute;
      auto text = file_.Read(path_);
      if (!text) return std::nullopt;
      return text->substr(0, text->find('\n'));
    };
    if (auto state = read("operstate")) out.Add(kNetworkUp, {{"device", device}}, *state == "up");
    // Some drivers fail reads of a device that is down; its values are left out, as
    // node_exporter does.
    if (auto mtu = read("mtu"); auto v = mtu ? ParseUint(*mtu) : std::nullopt) {
      out.Add(kNetworkMtu, {{"device", device}}, static_cast<double>(*v));
    }
    if (auto queue = read("tx_queue_len"); auto v = queue ? ParseUint(*queue) : std::nullopt) {
      out.Add(kNetworkQueue, {{"device", device}}, static_cast<double>(*v));
    }
  }
  closedir(dir);
  return true;
}

bool HostCollector::CollectDiskstats(SampleWriter& out) {
  auto text = file_.Read(ProcPath("diskstats"));
  if (!text) return false;
  for (std::string_view rest = *text; !rest.empty();) {
    std::string_view line = NextLine(&rest);
    NextToken(&line);  // Major and minor numbers.
    NextToken(&line);
    std::string_view device = NextToken(&line);
    if (device.empty() || RE2::FullMatch(Piece(device), *disk_exclude_)) continue;
    for (const DiskField& field : kDiskFields) {
      auto v = ParseUint(NextToken(&line));
      if (!v) break;  // Older kernels have fewer fields.
      out.Add(field.metric, {{"device", device}}, static_cast<double>(*v) * field.scale);
    }
  }
  return true;
}

bool HostCollector::CollectFilesystems(SampleWriter& out) {
  auto text = mounts_.Read(ProcPath("1/mounts"));
  if (!text) text = mounts_.Read(ProcPath("mounts"));
  if (!text) return false;
  for (std::string_view rest = *text; !rest.empty();) {
    std::string_view line = NextLine(&rest);
    std::string_view device = NextToken(&line);
    std::string_view mount_point = NextToken(&line);
    std::string_view fs_type = NextToken(&line);
    std::string_view options = NextToken(&line);
    if (options.empty()) continue;
    Unescape(mount_point, &mount_point_);
    Unescape(device, &device_);
    if (RE2::PartialMatch(Piece(mount_point_), *mount_point_exclude_) ||
        RE2::FullMatch(Piece(fs_type), *fs_type_exclude_)) {
      continue;
    }
    bool readonly = options == "ro" || options.starts_with("ro,") || options.ends_with(",ro") ||
                    options.find(",ro,") != std::string_view::npos;
    path_.clear();
    if (paths_.rootfs != "/") path_ += paths_.rootfs;
    path_ += mount_point_;
    struct statfs fs {};
    std::initializer_list<LabelPair> labels = {
        {"device", device_}, {"fstype", fs_type}, {"mountpoint", mount_point_}};
    bool failed = statfs(path_.c_str(), &fs) != 0;
    out.Add(kFs.device_error, labels, failed ? 1 : 0);
    if (failed) continue;
    double block = static_cast<double>(fs.f_bsize);
    out.Add(kFs.size, labels, static_cast<double>(fs.f_blocks) * block);
    out.Add(kFs.free, labels, static_cast<double>(fs.f_bfree) * block);
    out.Add(kFs.avail, labels, static_cast<double>(fs.f_bavail) * block);
    out.Add(kFs.files, labels, static_cast<double>(fs.f_files));
    out.Add(kFs.files_free, labels, static_cast<double>(fs.f_ffree));
    out.Add(kFs.readonly, labels, readonly ? 1 : 0);
  }
  return true;
}

}  // namespace argus::collect
