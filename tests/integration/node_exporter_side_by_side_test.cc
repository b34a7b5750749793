// Argus' host collector beside Debian's prometheus-node-exporter on this machine: the same
// names, label sets, types and help texts, and values that agree within what a moment apart
// explains, for the collectors both have.

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "base/clock.h"
#include "collect/collect_test_util.h"
#include "collect/host_collector.h"
#include "collect/sample_writer.h"
#include "process.h"
#include "storage/memory_storage.h"
#include "textparse/parser.h"

namespace argus::testing {
namespace {

struct Exported {
  std::map<model::Labels, double> samples;
  std::map<std::string, collect::Metadata, std::less<>> metadata;
};

Exported ParseExposition(const std::string& body) {
  Exported out;
  auto parser = textparse::NewParser(textparse::Format::kPrometheusText, body);
  model::LabelsBuilder b;
  for (textparse::Entry e; (e = parser->Next()) != textparse::Entry::kEof;) {
    EXPECT_NE(e, textparse::Entry::kError) << parser->Err().message();
    if (e == textparse::Entry::kError) break;
    if (e == textparse::Entry::kHelp) {
      out.metadata[std::string(parser->FamilyName())].help = std::string(parser->Text());
    } else if (e == textparse::Entry::kType) {
      out.metadata[std::string(parser->FamilyName())].type = parser->Type();
    } else if (e == textparse::Entry::kSeries) {
      b.Reset();
      parser->Labels(&b);
      out.samples[b.Build()] = parser->Value();
    }
  }
  return out;
}

// How far apart two readings a moment apart may be: counters of busy things move.
double Tolerance(std::string_view name, double a, double b) {
  double scale = std::max(std::abs(a), std::abs(b));
  if (name.starts_with("node_cpu_") || name.starts_with("node_pressure_")) return 3;
  if (name == "node_time_seconds") return 10;
  if (name.starts_with("node_procs_") || name.starts_with("node_load")) return 20;
  if (name.starts_with("node_memory_")) return 256.0 * 1024 * 1024 + 0.05 * scale;
  if (name.starts_with("node_network_") || name.starts_with("node_disk_")) {
    return 1e6 + 0.05 * scale;
  }
  if (name.starts_with("node_filesystem_")) return 0.01 * scale;
  return 0.05 * scale;
}

TEST(NodeExporterSideBySideTest, HostSeriesMatch) {
  if (!NodeExporterInstalled()) {
    GTEST_SKIP() << "Debian's prometheus-node-exporter is not installed";
  }
  TempDir dir;
  std::string why;
  auto node = StartNodeExporter(dir.path(), &why);
  ASSERT_TRUE(node.has_value()) << why;
  const uint16_t port = node->port;

  auto storage = storage::NewMemoryStorage();
  collect::SampleWriter writer(model::Labels{});
  collect::HostCollector host(collect::HostPaths{}, SystemClock::Instance());
  auto app = storage->NewAppender();
  writer.Begin(*app, SystemClock::Instance().NowMillis());
  ASSERT_TRUE(host.Collect(writer).ok());
  writer.End();
  ASSERT_TRUE(app->Commit().ok());
  HttpReply reply = HttpGet(port, "/metrics");
  ASSERT_EQ(reply.status, 200);
  Exported theirs = ParseExposition(reply.body);

  std::map<model::Labels, double> ours = collect::NewestValues(*storage);
  ASSERT_GT(ours.size(), 100u);

  std::set<std::string> names;
  for (const auto& [labels, v] : ours) {
    std::string name(labels.MetricName());
    names.insert(name);
    auto found = theirs.samples.find(labels);
    if (found == theirs.samples.end()) {
      ADD_FAILURE() << "node_exporter has no " << labels.ToString();
      continue;
    }
    EXPECT_NEAR(v, found->second, Tolerance(name, v, found->second)) << labels.ToString();
  }
  for (const std::string& name : names) {
    auto meta = theirs.metadata.find(name);
    ASSERT_NE(meta, theirs.metadata.end()) << name;
    ASSERT_TRUE(writer.metadata().contains(name)) << name;
    EXPECT_EQ(writer.metadata().at(name).help, meta->second.help) << name;
    EXPECT_EQ(writer.metadata().at(name).type, meta->second.type) << name;
  }
  // And the other way round: every series node_exporter has of the metrics Argus reports, Argus
  // has too (none left out by a different exclusion or device list).
  for (const auto& [labels, v] : theirs.samples) {
    if (names.count(std::string(labels.MetricName())) == 0) continue;
    if (labels.MetricName() == "node_scrape_collector_success" && ours.count(labels) == 0) {
      continue;  // node_exporter's other collectors.
    }
    EXPECT_EQ(ours.count(labels), 1u) << "Argus has no " << labels.ToString();
  }
}

}  // namespace
}  // namespace argus::testing
