// The cost of one collection: the host over its fixture tree, and a generated tree of a few
// hundred containers in cgroup v1 and v2 layouts; beside it, what the scrape path spends on the
// same container samples served as text (parsing and appending only: no HTTP and none of the
// exporter's own work, so a lower bound of scraping cAdvisor). Allocations per collection are
// counted by the replaced operator new below, once the first collection has created the series.

#include <benchmark/benchmark.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <new>
#include <vector>

#include "base/clock.h"
#include "base/metrics.h"
#include "collect/container_collector.h"
#include "collect/host_collector.h"
#include "collect/sample_writer.h"
#include "scrape/scrape_loop.h"
#include "scrape/target.h"

namespace {
std::atomic<uint64_t> allocations{0};
}

void* operator new(size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) std::abort();
  return p;
}
void* operator new[](size_t size) { return operator new(size); }
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void* operator new(size_t size, std::align_val_t align) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  size_t a = static_cast<size_t>(align);
  void* p = std::aligned_alloc(a, (size + a - 1) / a * a);
  if (p == nullptr) std::abort();
  return p;
}
void* operator new[](size_t size, std::align_val_t align) { return operator new(size, align); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { std::free(p); }

namespace argus::collect {
namespace {

namespace fs = std::filesystem;

// Hands out refs and keeps nothing (or, when asked, the samples), so that what is measured is
// the collector's work and not a storage's.
class NullAppender final : public storage::Appender {
 public:
  explicit NullAppender(std::string* exposition) : exposition_(exposition) {}
  Result<storage::SeriesRef> Append(storage::SeriesRef ref, const model::Labels& labels, int64_t,
                                    double v) override {
    if (exposition_ != nullptr && !std::isnan(v)) {
      *exposition_ += labels.MetricName();
      *exposition_ += '{';
      for (const auto& l : labels) {
        if (l.name == model::kMetricName || l.name == "job" || l.name == "instance") continue;
        *exposition_ += l.name + "=\"";
        model::AppendEscapedLabelValue(exposition_, l.value);
        *exposition_ += "\",";
      }
      *exposition_ += "} ";
      AppendFloat(exposition_, v);
      *exposition_ += '\n';
    }
    return ref != 0 ? ref : ++next_;
  }
  Status Commit() override { return Status::Ok(); }
  void Rollback() override {}

 private:
  std::string* exposition_;
  storage::SeriesRef next_ = 0;
};

class NullStorage final : public storage::Appendable {
 public:
  std::unique_ptr<storage::Appender> NewAppender() override {
    return std::make_unique<NullAppender>(nullptr);
  }
};

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

constexpr char kMemoryStatV2[] =
    "anon 150000000\nfile 40000000\nkernel 3000000\nkernel_stack 200000\npagetables 400000\n"
    "sec_pagetables 0\npercpu 1000\nsock 0\nvmalloc 0\nshmem 0\nzswap 0\nzswapped 0\n"
    "file_mapped 10000000\nfile_dirty 0\nfile_writeback 0\nswapcached 0\nanon_thp 0\n"
    "file_thp 0\nshmem_thp 0\ninactive_anon 140000000\nactive_anon 10000000\n"
    "inactive_file 15000000\nactive_file 25000000\nunevictable 0\nslab_reclaimable 1000000\n"
    "slab_unreclaimable 500000\nslab 1500000\nworkingset_refault_anon 0\n"
    "workingset_refault_file 10\nworkingset_activate_anon 0\nworkingset_activate_file 5\n"
    "workingset_restore_anon 0\nworkingset_restore_file 0\nworkingset_nodereclaim 0\n"
    "pgscan 0\npgsteal 0\npgfault 123456\npgmajfault 12\npgrefill 0\npgactivate 100\n"
    "pgdeactivate 0\npglazyfree 0\npglazyfreed 0\nthp_fault_alloc 0\nthp_collapse_alloc 0\n";

constexpr char kNetDev[] =
    "Inter-|   Receive                                                |  Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs "
    "drop fifo colls carrier compressed\n"
    "    lo:     100       1    0    0    0     0          0         0      100       1    0    "
    "0    0     0       0          0\n"
    "  eth0: 123456789 98765 0 0 0 0 0 0 987654321 56789 0 0 0 0 0 0\n";

// A node's worth of Kubernetes pods, one container each, under the systemd driver (v2) or
// cgroupfs (v1), with the files the kernel has for them.
void GenerateTree(const fs::path& root, bool v2, int pods) {
  for (int i = 0; i < pods; ++i) {
    std::string uid = "6e1f7a5c-2b9d-4c3e-8f10-" + std::to_string(100000000000 + i);
    std::string id = std::string(56, 'a') + std::to_string(10000000 + i);
    int pid = 10000 + i;
    Write(root / "proc" / std::to_string(pid) / "net/dev", kNetDev);
    std::string procs = std::to_string(pid) + "\n" + std::to_string(pid + 50000) + "\n";
    if (v2) {
      fs::path pod = root / "cgroup/kubepods.slice/kubepods-burstable.slice" /
                     ("kubepods-burstable-pod" + uid + ".slice");
      for (const fs::path& dir : {pod, pod / ("cri-containerd-" + id + ".scope")}) {
        Write(dir / "cpu.stat",
              "usage_usec 3900000\nuser_usec 2400000\nsystem_usec 1500000\nnr_periods 500\n"
              "nr_throttled 50\nthrottled_usec 2500000\nnr_bursts 0\nburst_usec 0\n");
        Write(dir / "cpu.weight", "8\n");
        Write(dir / "cpu.max", "20000 100000\n");
        Write(dir / "memory.current", "190000000\n");
        Write(dir / "memory.stat", kMemoryStatV2);
        Write(dir / "memory.swap.current", "0\n");
        Write(dir / "memory.max", "268435456\n");
        Write(dir / "memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n");
        Write(dir / "io.stat",
              "8:0 rbytes=1048576 wbytes=2097152 rios=10 wios=20 dbytes=0 dios=0\n");
        Write(dir / "cgroup.procs", dir == pod ? "" : procs);
      }
    } else {
      for (std::string hierarchy : {"cpu,cpuacct", "memory", "blkio", "pids"}) {
        fs::path pod = root / "cgroup" / hierarchy / "kubepods/burstable" / ("pod" + uid);
        for (const fs::path& dir : {pod, pod / id}) {
          if (hierarchy == "cpu,cpuacct") {
            Write(dir / "cpuacct.usage", "3900000000\n");
            Write(dir / "cpuacct.stat", "user 240\nsystem 150\n");
            Write(dir / "cpu.stat", "nr_periods 500\nnr_throttled 50\nthrottled_time 2500000000\n");
            Write(dir / "cpu.shares", "204\n");
            Write(dir / "cpu.cfs_quota_us", "20000\n");
            Write(dir / "cpu.cfs_period_us", "100000\n");
          } else if (hierarchy == "memory") {
            Write(dir / "memory.usage_in_bytes", "190000000\n");
            Write(dir / "memory.use_hierarchy", "1\n");
            Write(dir / "memory.stat",
                  "cache 40000000\nrss 150000000\nrss_huge 0\nshmem 0\nmapped_file 10000000\n"
                  "dirty 0\nwriteback 0\nswap 0\npgpgin 1000\npgpgout 500\npgfault 123456\n"
                  "pgmajfault 12\ninactive_anon 140000000\nactive_anon 10000000\n"
                  "inactive_file 15000000\nactive_file 25000000\nunevictable 0\n"
                  "hierarchical_memory_limit 268435456\ntotal_cache 40000000\n"
                  "total_rss 150000000\ntotal_swap 0\ntotal_inactive_file 15000000\n"
                  "total_active_file 25000000\n");
            Write(dir / "memory.limit_in_bytes", "268435456\n");
            Write(dir / "memory.failcnt", "0\n");
            Write(dir / "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
          } else if (hierarchy == "blkio") {
            Write(dir / "blkio.throttle.io_service_bytes_recursive",
                  "8:0 Read 1048576\n8:0 Write 2097152\n8:0 Sync 0\n8:0 Async 0\n"
                  "8:0 Discard 0\n8:0 Total 3145728\nTotal 3145728\n");
          }
          Write(dir / "cgroup.procs", dir == pod ? "" : procs);
        }
      }
    }
  }
  if (v2) Write(root / "cgroup/cgroup.controllers", "cpuset cpu io memory pids\n");
  Write(root / "sys/dev/block/8:0/uevent", "MAJOR=8\nMINOR=0\nDEVNAME=sda\n");
}

// A generated tree, made once per process and shape (Google Benchmark runs a benchmark function
// several times) and removed at exit.
class GeneratedTree {
 public:
  static const fs::path& Get(bool v2, int pods) {
    static std::map<std::pair<bool, int>, std::unique_ptr<GeneratedTree>> trees;
    auto& tree = trees[{v2, pods}];
    if (!tree) tree.reset(new GeneratedTree(v2, pods));
    return tree->path_;
  }
  ~GeneratedTree() { fs::remove_all(path_); }

 private:
  GeneratedTree(bool v2, int pods) {
    std::string pattern = (fs::temp_directory_path() / "argus-collect-bench-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
    GenerateTree(path_, v2, pods);
  }
  fs::path path_;
};

// Runs `collector` once per iteration after a first collection that creates the series.
void RunCollections(benchmark::State& state, Collector& collector, std::string* exposition) {
  SampleWriter writer(model::Labels{{"job", "bench"}, {"instance", "bench"}});
  int64_t t = 1'700'000'000'000;
  NullAppender first(exposition);
  writer.Begin(first, t);
  if (!collector.Collect(writer).ok()) state.SkipWithError("the first collection failed");
  writer.End();
  NullAppender app(nullptr);
  uint64_t before = allocations.load();
  for (auto _ : state) {
    writer.Begin(app, t += 15'000);
    benchmark::DoNotOptimize(collector.Collect(writer).ok());
    writer.End();
  }
  double collections = static_cast<double>(state.iterations());
  state.counters["allocs/collection"] =
      static_cast<double>(allocations.load() - before) / collections;
  state.counters["samples"] = static_cast<double>(writer.samples());
  state.counters["samples/s"] = benchmark::Counter(
      static_cast<double>(writer.samples()) * collections, benchmark::Counter::kIsRate);
}

void BM_HostCollection(benchmark::State& state) {
  fs::path host = fs::path(ARGUS_COLLECT_FIXTURES) / "host";
  HostCollector collector(
      HostPaths{(host / "proc").string(), (host / "sys").string(), (host / "rootfs").string()},
      SystemClock::Instance());
  RunCollections(state, collector, nullptr);
}
BENCHMARK(BM_HostCollection)->Unit(benchmark::kMicrosecond);

void BM_HostCollectionThisMachine(benchmark::State& state) {
  HostCollector collector(HostPaths{}, SystemClock::Instance());
  RunCollections(state, collector, nullptr);
}
BENCHMARK(BM_HostCollectionThisMachine)->Unit(benchmark::kMicrosecond);

// Arguments: cgroup version (1 or 2), pods (one container each).
void BM_ContainerCollection(benchmark::State& state) {
  const fs::path& tree = GeneratedTree::Get(state.range(0) == 2, static_cast<int>(state.range(1)));
  ContainerCollector collector(ContainerPaths{(tree / "cgroup").string(), (tree / "proc").string(),
                                              (tree / "sys").string(), "", ""},
                               SystemClock::Instance());
  RunCollections(state, collector, nullptr);
  state.counters["cgroups"] = static_cast<double>(2 * state.range(1) + 3);
}
BENCHMARK(BM_ContainerCollection)
    ->Args({1, 150})
    ->Args({2, 150})
    ->Args({2, 300})
    ->Unit(benchmark::kMillisecond);

// The real cgroup file system (kernfs, not a tree of ordinary files) of this machine.
void BM_ContainerCollectionThisMachine(benchmark::State& state) {
  ContainerCollector collector(ContainerPaths{"/sys/fs/cgroup", "/proc", "/sys", "", ""},
                               SystemClock::Instance());
  RunCollections(state, collector, nullptr);
}
BENCHMARK(BM_ContainerCollectionThisMachine)->Unit(benchmark::kMicrosecond);

// The generated tree's shape made of real cgroups in this machine's cgroup file system (kernfs,
// where the kernel makes each file's content on every read), under a scratch cgroup per
// hierarchy that a directory of symbolic links presents as a cgroup root; removed at exit. Empty
// when cgroups cannot be made here.
class KernelTree {
 public:
  static const fs::path& Get(int pods) {
    static std::map<int, std::unique_ptr<KernelTree>> trees;
    auto& tree = trees[pods];
    if (!tree) tree.reset(new KernelTree(pods));
    return tree->root_;
  }
  ~KernelTree() {
    for (auto it = made_.rbegin(); it != made_.rend(); ++it) rmdir(it->c_str());
    if (!links_.empty()) fs::remove_all(links_);
  }

 private:
  explicit KernelTree(int pods) {
    const fs::path cgroup = "/sys/fs/cgroup";
    std::string scratch = "argus-bench-" + std::to_string(getpid()) + "-" + std::to_string(pods);
    bool v2 = fs::exists(cgroup / "cgroup.controllers");
    std::vector<fs::path> bases;
    if (v2) {
      bases.push_back(cgroup / scratch);
    } else {
      std::string pattern = (fs::temp_directory_path() / "argus-collect-bench-XXXXXX").string();
      links_ = mkdtemp(pattern.data());
      for (const char* h : {"cpu", "cpuacct", "memory", "blkio", "pids"}) {
        if (!fs::is_directory(cgroup / h)) continue;
        bases.push_back(cgroup / h / scratch);
        fs::create_directory_symlink(bases.back(), links_ / h);
      }
    }
    for (const fs::path& base : bases) {
      if (!Make(base, v2)) return;
      for (int i = 0; i < pods; ++i) {
        fs::path pod = base / "kubepods" / "burstable" / ("pod" + std::to_string(i));
        for (const fs::path& dir :
             {base / "kubepods", base / "kubepods/burstable", pod, pod / std::to_string(i)}) {
          if (!fs::exists(dir) && !Make(dir, v2)) return;
        }
      }
    }
    root_ = v2 ? bases.front() : links_;
  }
  // Makes a cgroup; on v2 with the controllers its children need.
  bool Make(const fs::path& dir, bool v2) {
    if (mkdir(dir.c_str(), 0755) != 0) return false;
    made_.push_back(dir);
    if (v2) std::ofstream(dir / "cgroup.subtree_control") << "+cpu +memory +io +pids";
    return true;
  }
  std::vector<fs::path> made_;
  fs::path links_;
  fs::path root_;
};

// Arguments: pods (one container each). After the benchmark of this machine's own cgroups, which
// would otherwise count these too.
void BM_ContainerCollectionKernel(benchmark::State& state) {
  const fs::path& root = KernelTree::Get(static_cast<int>(state.range(0)));
  if (root.empty()) {
    state.SkipWithError("cannot make cgroups in /sys/fs/cgroup here");
    return;
  }
  ContainerCollector collector(ContainerPaths{root.string(), "/proc", "/sys", "", ""},
                               SystemClock::Instance());
  RunCollections(state, collector, nullptr);
}
BENCHMARK(BM_ContainerCollectionKernel)->Arg(150)->Unit(benchmark::kMillisecond);

// The same container samples as a text exposition, through a scrape loop whose series are all
// cached: what a scrape of cAdvisor costs Argus once the body has arrived.
void BM_ScrapeSameSamples(benchmark::State& state) {
  const fs::path& tree = GeneratedTree::Get(true, static_cast<int>(state.range(0)));
  ContainerCollector collector(ContainerPaths{(tree / "cgroup").string(), (tree / "proc").string(),
                                              (tree / "sys").string(), "", ""},
                               SystemClock::Instance());
  std::string body;
  {
    SampleWriter writer(model::Labels{{"job", "bench"}, {"instance", "bench"}});
    NullAppender app(&body);
    writer.Begin(app, 0);
    (void)collector.Collect(writer);
    writer.End();
  }
  config::ScrapeConfig config;
  config.job_name = "cadvisor";
  config.scrape_interval = std::chrono::seconds(15);
  config.scrape_timeout = std::chrono::seconds(10);
  auto target = scrape::PopulateLabels(model::Labels{{"__address__", "127.0.0.1:8080"}}, config);
  MetricsRegistry registry;
  scrape::ScrapeMetrics metrics(registry);
  NullStorage storage;
  scrape::ScrapeLoop loop(**target, std::make_shared<const config::ScrapeConfig>(config), storage,
                          metrics);
  int64_t t = 1'700'000'000'000;
  loop.Report(t, 0, scrape::Fetched{body, "text/plain; version=0.0.4"});
  uint64_t before = allocations.load();
  for (auto _ : state) {
    loop.Report(t += 15'000, 0, scrape::Fetched{body, "text/plain; version=0.0.4"});
  }
  double scrapes = static_cast<double>(state.iterations());
  state.counters["allocs/scrape"] = static_cast<double>(allocations.load() - before) / scrapes;
  state.counters["body_bytes"] = static_cast<double>(body.size());
}
BENCHMARK(BM_ScrapeSameSamples)->Arg(300)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace argus::collect

BENCHMARK_MAIN();
