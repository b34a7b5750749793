// synth: realistic synthetic metrics for the side-by-side benchmarks.
//
//   synth serve --targets N --series S --interval 2s [--compression gzip|none] --ports-file FILE
//       Serves N scrape targets on free loopback ports (written to FILE, one per line), each with
//       about S series whose values move one step per interval of wall-clock time. With gzip (the
//       default) a body is gzipped for a client that accepts it; with none it never is, as by an
//       exporter that does not compress.
//   synth backfill --format openmetrics|prometheus --nodes N --series S --step 30s --hours H
//                  [--from-hours F]
//       Writes N nodes' series over H hours to standard output: OpenMetrics with timestamps in
//       seconds (for promtool and argus tsdb import), or the Prometheus text format with
//       millisecond timestamps (for VictoriaMetrics' /api/v1/import/prometheus). With F, only the
//       samples from hour F on (the series still start at hour 0), so that data too big for one
//       file can be written and imported a piece at a time.

#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>

#include "http/event_loop.h"
#include "http/gzip.h"
#include "http/server.h"
#include "model/duration.h"
#include "synthetic.h"

namespace argus::bench {
namespace {

constexpr uint64_t kSeed = 20261124;
// Samples of one node get a timestamp a few milliseconds after the step, as scrapes do.
int64_t Jitter(int node, int64_t step) {
  return static_cast<int64_t>((static_cast<uint64_t>(node) * 2654435761u + step * 40503u) % 5);
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A target whose values advance with the wall clock, rendered once per step.
class Target {
 public:
  Target(int node, int series, int64_t interval_ms, bool gzip)
      : node_(kSeed, node, series), interval_ms_(interval_ms), gzip_(gzip) {}

  void Serve(const http::Request& request, http::Response* response) {
    std::lock_guard lock(mu_);
    int64_t step = NowMillis() / interval_ms_;
    if (step != step_) {
      // Catch up a few steps at most: a target nobody scraped for long just jumps.
      int64_t behind = step_ < 0 ? 1 : std::min<int64_t>(step - step_, 5);
      for (int64_t i = 0; i < behind; ++i) node_.Advance(interval_ms_ / 1000.0);
      step_ = step;
      body_.clear();
      node_.RenderText(&body_);
      // Once per step, so that serving costs the peers nothing.
      if (gzip_) gzipped_ = http::Gzip(body_);
    }
    response->content_type = "text/plain; version=0.0.4; charset=utf-8";
    auto encoding = request.headers.find("accept-encoding");
    if (!gzip_) {
      // Said outright, or the server would gzip the body for a client that accepts gzip.
      response->headers["Content-Encoding"] = "identity";
      response->body = body_;
    } else if (encoding != request.headers.end() &&
               encoding->second.find("gzip") != std::string::npos) {
      response->headers["Content-Encoding"] = "gzip";
      response->body = gzipped_;
    } else {
      response->body = body_;
    }
  }

 private:
  std::mutex mu_;
  SyntheticNode node_;
  const int64_t interval_ms_;
  const bool gzip_;
  int64_t step_ = -1;
  std::string body_;
  std::string gzipped_;
};

int Serve(int targets, int series, int64_t interval_ms, bool gzip, const std::string& ports_file) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  http::EventLoop loop(2);
  std::vector<std::unique_ptr<Target>> all;
  std::vector<std::unique_ptr<http::Server>> servers;
  std::string ports;
  loop.Start();
  for (int i = 0; i < targets; ++i) {
    Target* target = all.emplace_back(std::make_unique<Target>(i, series, interval_ms, gzip)).get();
    http::Router router;
    router.Handle("GET", "/metrics",
                  [target](const http::Request& request, http::Response* response) {
                    target->Serve(request, response);
                  });
    http::ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    auto server = http::Server::Start(loop, options, std::move(router));
    if (!server.ok()) {
      std::fprintf(stderr, "synth: %s\n", server.status().message().c_str());
      return 1;
    }
    ports += std::to_string((*server)->port()) + "\n";
    servers.push_back(std::move(*server));
  }
  std::ofstream(ports_file) << ports;
  int sig = 0;
  sigwait(&signals, &sig);
  for (auto& server : servers) server->Shutdown();
  loop.Stop();
  return 0;
}

int Backfill(const std::string& format, int nodes, int series, int64_t step_ms, double hours,
             double from_hours, int64_t start_ms) {
  int64_t steps = static_cast<int64_t>(hours * 3600 * 1000 / step_ms);
  int64_t first = static_cast<int64_t>(std::ceil(from_hours * 3600 * 1000 / step_ms));
  std::string out;
  auto flush = [&out](bool force) {
    if (out.size() < (1 << 20) && !force) return;
    std::fwrite(out.data(), 1, out.size(), stdout);
    out.clear();
  };
  if (format == "prometheus") {
    std::vector<SyntheticNode> all;
    for (int n = 0; n < nodes; ++n) all.emplace_back(kSeed, n, series);
    for (int64_t s = 0; s < steps; ++s) {
      for (int n = 0; n < nodes; ++n) {
        if (s > 0) all[n].Advance(step_ms / 1000.0);
        if (s < first) continue;
        all[n].RenderText(&out, start_ms + s * step_ms + Jitter(n, s));
        flush(false);
      }
    }
  } else {
    // OpenMetrics wants each family in one piece, so the whole run is simulated once per family.
    const auto& families = SyntheticNode::Families();
    for (size_t f = 0; f < families.size(); ++f) {
      out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", families[f].name, families[f].help,
                         families[f].name, families[f].type);
      std::vector<SyntheticNode> all;
      for (int n = 0; n < nodes; ++n) all.emplace_back(kSeed, n, series);
      for (int64_t s = 0; s < steps; ++s) {
        for (int n = 0; n < nodes; ++n) {
          if (s > 0) all[n].Advance(step_ms / 1000.0);
          if (s < first) continue;
          all[n].RenderOpenMetricsFamily(f, start_ms + s * step_ms + Jitter(n, s), &out);
          flush(false);
        }
      }
    }
    out += "# EOF\n";
  }
  flush(true);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

int64_t Millis(const std::string& text) {
  auto d = model::ParseDuration(text);
  if (!d.ok()) {
    std::fprintf(stderr, "synth: %s\n", d.status().message().c_str());
    std::exit(2);
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(*d).count();
}

}  // namespace
}  // namespace argus::bench

int main(int argc, char** argv) {
  CLI::App app{"Realistic synthetic metrics for the side-by-side benchmarks."};
  app.require_subcommand(1);
  int targets = 100, series = 1000, nodes = 84;
  std::string interval = "2s", step = "30s", ports_file, format = "openmetrics",
              compression = "gzip";
  double hours = 60, from_hours = 0;
  int64_t start_ms = 1'700'000'000'000;
  auto* serve = app.add_subcommand("serve", "Serve scrape targets on loopback.");
  serve->add_option("--targets", targets)->capture_default_str();
  serve->add_option("--series", series, "Series per target (about).")->capture_default_str();
  serve->add_option("--interval", interval, "How often values move.")->capture_default_str();
  serve->add_option("--compression", compression, "gzip: for clients that accept it; none: never.")
      ->check(CLI::IsMember({"gzip", "none"}))
      ->capture_default_str();
  serve->add_option("--ports-file", ports_file, "Where to write the ports.")->required();
  auto* backfill = app.add_subcommand("backfill", "Write samples over time to standard output.");
  backfill->add_option("--format", format)
      ->check(CLI::IsMember({"openmetrics", "prometheus"}))
      ->capture_default_str();
  backfill->add_option("--nodes", nodes)->capture_default_str();
  backfill->add_option("--series", series, "Series per node (about).")->capture_default_str();
  backfill->add_option("--step", step)->capture_default_str();
  backfill->add_option("--hours", hours)->capture_default_str();
  backfill->add_option("--from-hours", from_hours, "Write only from this hour on.")
      ->capture_default_str();
  backfill->add_option("--start-ms", start_ms)->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  using namespace argus::bench;
  if (serve->parsed())
    return Serve(targets, series, Millis(interval), compression == "gzip", ports_file);
  return Backfill(format, nodes, series, Millis(step), hours, from_hours, start_ms);
}
