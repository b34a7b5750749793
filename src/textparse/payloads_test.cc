// Real exposition payloads (kubelet, kube-state-metrics, node_exporter, cAdvisor, Prometheus'
// own samples) parse in scrape mode, with the exact number of samples each holds. The counts were
// taken independently of this parser: the lines that are neither blank nor comments.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "textparse/parser.h"

namespace argus::textparse {
namespace {

struct Payload {
  const char* path;
  Format format;
  int samples;
};

constexpr Payload kPayloads[] = {
    {"kubelet-1.35/metrics/cadvisor", Format::kPrometheusText, 4621},
    {"kubelet-1.16/k8s_v1_16_kubelet_metrics_cadvisor_payload_plain.txt", Format::kPrometheusText,
     3579},
    {"kube-state-metrics-1.35/metrics", Format::kPrometheusText, 1698},
    {"node_exporter/e2e-output.txt", Format::kPrometheusText, 3027},
    {"cadvisor/prometheus_metrics", Format::kPrometheusText, 287},
    {"cadvisor/prometheus_machine_metrics", Format::kPrometheusText, 66},
    {"prometheus-textparse/alltypes.237mfs.prom.txt", Format::kPrometheusText, 1857},
    {"prometheus-textparse/alltypes.237mfs.nometa.prom.txt", Format::kPrometheusText, 1857},
    {"prometheus-textparse/alltypes.5mfs.om.txt", Format::kOpenMetrics, 53},
    {"prometheus-textparse/1histogram.om.txt", Format::kOpenMetrics, 42},
    {"prometheus-common-expfmt/text", Format::kPrometheusText, 248},
    {"promtool/metrics-test.prom", Format::kPrometheusText, 27},
};

TEST(PayloadsTest, EveryRealPayloadParsesWithItsSampleCount) {
  const char* shared = std::getenv("ARGUS_SHARED_DIR");
  auto root = std::filesystem::path(shared ? shared : "") / "conformance/exposition";
  if (!shared || !std::filesystem::exists(root)) {
    GTEST_SKIP() << "the shared conformance data (ARGUS_SHARED_DIR) is not available";
  }
  for (const Payload& p : kPayloads) {
    std::ifstream in(root / p.path, std::ios::binary);
    ASSERT_TRUE(in) << p.path;
    std::string body(std::istreambuf_iterator<char>(in), {});
    auto parser = NewParser(p.format, body);
    model::LabelsBuilder labels;
    int samples = 0;
    for (Entry e; (e = parser->Next()) != Entry::kEof;) {
      ASSERT_NE(e, Entry::kError) << p.path << ": " << parser->Err().message();
      if (e != Entry::kSeries) continue;
      ++samples;
      labels.Reset();
      parser->Labels(&labels);
      Status valid = CheckSeriesLabels(labels);
      ASSERT_TRUE(valid.ok()) << p.path << ": " << valid.message();
    }
    EXPECT_EQ(samples, p.samples) << p.path;
  }
}

}  // namespace
}  // namespace argus::textparse
