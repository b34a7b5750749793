// Argus' tools against promtool 2.42's on the same input: `check metrics` verdicts and lint
// problems over the real exposition payloads, `tsdb dump` over the same samples imported by each,
// and the errors every tool gives for a file or directory that is not there.

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <sstream>

#include "process.h"

namespace argus::testing {
namespace {

using std::chrono::seconds;

constexpr char kPromtool[] = "/usr/bin/promtool";

struct Outcome {
  int code = -1;
  std::string output;  // Standard output and error together.
};

Outcome Start(const TempDir& dir, std::vector<std::string> argv,
              const std::filesystem::path& input = "/dev/null") {
  auto p = ChildProcess::Start(argv, dir.path() / "run.log", input);
  EXPECT_TRUE(p.has_value()) << argv[0];
  if (!p) return {};
  auto code = p->Wait(seconds(120));
  EXPECT_TRUE(code.has_value()) << argv[0] << " did not finish";
  return {code.value_or(-1), p->Log()};
}

Outcome Argus(const TempDir& dir, std::vector<std::string> args,
              const std::filesystem::path& input = "/dev/null") {
  args.insert(args.begin(), std::getenv("ARGUS_BINARY"));
  return Start(dir, std::move(args), input);
}

std::vector<std::string> SortedLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  return lines;
}

// The exposition payloads in the text format: every file of the conformance folder but the
// documents (*.md) and the OpenMetrics ones (*.om.txt and the OpenMetrics parser suite). The
// protobuf payload stays in: promtool reads it as text, and both must refuse it.
std::vector<std::filesystem::path> TextPayloads(const std::filesystem::path& root) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const auto& p = entry.path();
    std::string relative = std::filesystem::relative(p, root).string();
    if (!entry.is_regular_file() || p.extension() == ".md" || relative.ends_with(".om.txt") ||
        relative.starts_with("openmetrics-parsers/")) {
      continue;
    }
    files.push_back(p);
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(PromtoolToolsTest, CheckMetricsAgreesWithPromtoolOnEveryTextPayload) {
  if (!std::filesystem::exists(kPromtool)) GTEST_SKIP() << "Debian's promtool is not installed";
  auto root = SharedFile("conformance/exposition");
  if (!root) GTEST_SKIP() << "the shared conformance data (ARGUS_SHARED_DIR) is not available";
  auto payloads = TextPayloads(*root);
  ASSERT_EQ(payloads.size(), 12u);  // 11 text payloads and the protobuf one.
  TempDir dir;
  for (const auto& payload : payloads) {
    SCOPED_TRACE(payload.string());
    Outcome promtool = Start(dir, {kPromtool, "check", "metrics"}, payload);
    Outcome ours = Argus(dir, {"check", "metrics"}, payload);
    ASSERT_EQ(ours.code, promtool.code) << "promtool:\n"
                                        << promtool.output << "argus:\n"
                                        << ours.output;
    if (promtool.code == 3) {
      // Lint problems, one per line as "metric problem", the same set (with repeats).
      EXPECT_EQ(SortedLines(ours.output), SortedLines(promtool.output));
    } else if (promtool.code == 0) {
      EXPECT_EQ(ours.output, "SUCCESS: stdin is valid\n");
    } else {
      EXPECT_TRUE(ours.output.starts_with("stdin:")) << ours.output;
    }
  }
}

// Documents on the edges of the text format, each with the verdict promtool gives it.
TEST(PromtoolToolsTest, CheckMetricsAgreesWithPromtoolOnTheEdgesOfTheFormat) {
  if (!std::filesystem::exists(kPromtool)) GTEST_SKIP() << "Debian's promtool is not installed";
  const std::vector<std::string> documents = {
      "# HELP a h\na 1\n",
      "# HELP a h\na 1",
      "# HELP a h\na 1 \n",
      "# HELP a h\na 1 1000 \n",
      "# HELP a h\n# TYPE a gauge \na 1\n",
      "# HELP a h\na\t1\t1000\n",
      "# HELP a h\na 1 1.5\n",
      "# HELP a h\na 1 9999999999999999999\n",
      "# HELP a h\na{b=\"c\",} 1\n",
      "# HELP a h\na{} 1\n",
      "# HELP a h\na{b = \"c\"} 1\n",
      "# HELP a h\na 0x1p3\n",
      "# HELP a h\na 1_000\n",
      "# HELP a h\na 1e400\n",
      "# HELP a h\na Inf\nb infinity\nc nan\nd -Inf\n",
      "# HELP a h\na 1\r\n",
      "# HELP a h\n# TYPE a untyped\na 1\n",
      "# HELP a h\n# TYPE a foo\na 1\n",
      "#HELP a h\n#TYPE a gauge\na 1\n",
      "# HELP a h\n\n\na 1\n\n",
      "# HELP a h\n1a 1\n",
      "# HELP a h\na{1b=\"x\"} 1\n",
      "# HELP a h\na{b=\"\\q\"} 1\n",
      "# HELP a h\\q\na 1\n",
      "# HELP a h\\\"\na 1\n",
      "# HELP a h\\\\ and\\n\na{b=\"\\\" \\\\ \\n\"} 1\n",
      "# HELP a h\na{b=\"x\ny\"} 1\n",
      "# HELP a h\na{b=\"\xff\"} 1\n",
      "# HELP a h\na{b=\"1\",b=\"2\"} 1\n",
      "# HELP a h\na{__name__=\"b\"} 1\n",
      "# HELP a h\na 1\n# HELP a h\n",
      "# HELP a h\na 1\n# TYPE a gauge\n",
      "# HELP a h\na 1\n# a comment without its newline",
      std::string("# HELP a h\na\0 1\n", 16),
      "# HELP h h\n# TYPE h histogram\nh_bucket{le=\"x\"} 1\n",
      "# HELP s h\n# TYPE s summary\ns{quantile=\"x\"} 1\n",
      "# HELP a h\n",
      "",
      // Lint problems: the same set.
      "a 1\nb 2\n",
      "# HELP h_milliseconds h\n# TYPE h_milliseconds histogram\n"
      "h_milliseconds_bucket{le=\"1\",podName=\"a\"} 1\n"
      "h_milliseconds_bucket{le=\"+Inf\",podName=\"a\"} 1\nh_milliseconds_count{podName=\"a\"} 1\n"
      "h_milliseconds_sum{podName=\"b\"} 1\n",
      "# HELP s_count h\n# TYPE s_count gauge\ns_count{le=\"1\",quantile=\"2\"} 1\n"
      "s_count{le=\"2\",quantile=\"2\"} 1\n",
      "# HELP job:x_ms_total h\n# TYPE job:x_ms_total gauge\njob:x_ms_total 1\n",
      "# HELP x_gauge_histogram h\nx_gauge_histogram 1\n",
      "# HELP a_total h\n# TYPE a_total counter\na_total 1\na_total 2\n",
  };
  TempDir dir;
  for (const std::string& document : documents) {
    SCOPED_TRACE(document);
    auto input = dir.Write("input.prom", document);
    Outcome promtool = Start(dir, {kPromtool, "check", "metrics"}, input);
    Outcome ours = Argus(dir, {"check", "metrics"}, input);
    ASSERT_EQ(ours.code, promtool.code) << "promtool:\n"
                                        << promtool.output << "argus:\n"
                                        << ours.output;
    if (promtool.code == 3) EXPECT_EQ(SortedLines(ours.output), SortedLines(promtool.output));
  }
}

// Where Argus refuses what promtool takes: its text grammar is that of Prometheus' scrape
// parser, so that `check metrics` fails a document a Prometheus server would fail to scrape.
TEST(PromtoolToolsTest, CheckMetricsRefusesWhatPrometheusCannotScrape) {
  if (!std::filesystem::exists(kPromtool)) GTEST_SKIP() << "Debian's promtool is not installed";
  const std::vector<std::string> documents = {
      "# HELP a h\n  a 1\n",                // Blanks before the metric name.
      "# HELP a h\na 1 -5\n",               // A signed timestamp.
      "# HELP a h\na {b=\"c\"} 1\n",        // A blank between the name and its labels.
      "# HELP a h\n# TYPE a Gauge\na 1\n",  // A type not in lower case.
      "# HELP a h\n# TYPE a\na 1\n",        // A TYPE line without a type.
      "# HELP a h\n# TYPE a gauge_histogram\na 1\n",
  };
  TempDir dir;
  for (const std::string& document : documents) {
    SCOPED_TRACE(document);
    auto input = dir.Write("input.prom", document);
    Outcome promtool = Start(dir, {kPromtool, "check", "metrics"}, input);
    Outcome ours = Argus(dir, {"check", "metrics"}, input);
    EXPECT_NE(promtool.code, 1) << promtool.output;
    EXPECT_EQ(ours.code, 1) << ours.output;
  }
}

TEST(PromtoolToolsTest, CheckMetricsNamesItsSourceAndExplainsBinaryInput) {
  TempDir dir;
  auto good = dir.Write("good.prom", "# HELP a_total A.\n# TYPE a_total counter\na_total 1\n");
  Outcome run = Argus(dir, {"check", "metrics", good.string()});
  EXPECT_EQ(run.code, 0);
  EXPECT_EQ(run.output, "SUCCESS: " + good.string() + " is valid\n");

  auto bad = dir.Write("bad.prom", "a 1\nb{x=\"1\" 2\n");
  run = Argus(dir, {"check", "metrics", bad.string()});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.output,
            bad.string() + ":2:9: expected \",\" or \"}\" after a label value, got \"2\"\n");
  run = Argus(dir, {"check", "metrics"}, bad);
  EXPECT_EQ(run.code, 1);
  EXPECT_TRUE(run.output.starts_with("stdin:2:9: ")) << run.output;

  auto nul = dir.Write("nul.prom", std::string("a 1\n\0b 2\n", 9));
  run = Argus(dir, {"check", "metrics", nul.string()});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.output, nul.string() +
                            ":2:1: expected a metric name or a comment, got a NUL byte\n" +
                            nul.string() +
                            ":2:1: the input is binary, not text (byte 0x00); the protobuf "
                            "exposition format is not read\n");

  auto protobuf = SharedFile("conformance/exposition/prometheus-common-expfmt/protobuf");
  if (protobuf) {
    run = Argus(dir, {"check", "metrics"}, *protobuf);
    EXPECT_EQ(run.code, 1);
    EXPECT_NE(run.output.find("stdin:2:1: the input is binary, not text (byte 0x1c)"),
              std::string::npos)
        << run.output;
  }

  auto lint = dir.Write("lint.prom", "# TYPE requests counter\nrequests 1\n");
  run = Argus(dir, {"check", "metrics", lint.string()});
  EXPECT_EQ(run.code, 3);
  EXPECT_EQ(run.output,
            "requests counter metrics should have \"_total\" suffix\nrequests no help text\n");

  // OpenMetrics is parsed, not linted; its errors name the source the same way.
  auto om = dir.Write("a.om", "# TYPE a_total counter\na_total 1\n# EOF\n");
  run = Argus(dir, {"check", "metrics", "--format=openmetrics", om.string()});
  EXPECT_EQ(run.code, 1);
  EXPECT_TRUE(run.output.starts_with(om.string() + ":2:1: the samples of counter family"))
      << run.output;
}

TEST(PromtoolToolsTest, AMissingFileOrDirectoryIsAnErrorWithItsReason) {
  TempDir dir;
  std::string missing = (dir.path() / "missing").string();
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"check", "metrics", missing},
           {"tsdb", "analyze", missing},
           {"tsdb", "dump", missing},
           {"tsdb", "import", "openmetrics", missing, (dir.path() / "data").string()}}) {
    Outcome run = Argus(dir, args);
    EXPECT_EQ(run.code, 1) << args[1] << ": " << run.output;
    EXPECT_NE(run.output.find(missing), std::string::npos) << args[1] << ": " << run.output;
    EXPECT_NE(run.output.find("No such file or directory"), std::string::npos)
        << args[1] << ": " << run.output;
  }
  EXPECT_FALSE(std::filesystem::exists(missing));
}

// Samples with every kind of value and label escape that the dump has to print as promtool does.
constexpr char kOpenMetrics[] =
    "# HELP http_requests_total Requests.\n"
    "# TYPE http_requests_total counter\n"
    "http_requests_total{code=\"200\",path=\"/a b\"} 1 1700000000\n"
    "http_requests_total{code=\"200\",path=\"/a b\"} 5 1700000060.5\n"
    "http_requests_total{code=\"500\",path=\"x\\\"y\\\\z\\n\"} 2 1700000030\n"
    "# TYPE temperature gauge\n"
    "temperature{Zone=\"é\"} 1.5e-7 1700000000\n"
    "temperature{Zone=\"é\"} NaN 1700000010\n"
    "temperature{Zone=\"é\"} +Inf 1700000020\n"
    "temperature{Zone=\"é\"} -0.0 1700000030\n"
    "temperature{Zone=\"é\"} 123456789012 1700000040\n"
    "temperature{Zone=\"é\"} 123456 1700000050\n"
    "temperature{Zone=\"é\"} 0.0001 1700000060\n"
    "temperature{Zone=\"é\"} -1e21 1700000070\n"
    "# EOF\n";

TEST(PromtoolToolsTest, DumpPrintsWhatPromtoolPrints) {
  if (!std::filesystem::exists(kPromtool)) GTEST_SKIP() << "Debian's promtool is not installed";
  TempDir dir;
  auto input = dir.Write("input.om", kOpenMetrics);
  auto prom_dir = dir.path() / "prometheus", argus_dir = dir.path() / "argus";
  Outcome created = Start(dir, {kPromtool, "tsdb", "create-blocks-from", "openmetrics",
                                input.string(), prom_dir.string()});
  ASSERT_EQ(created.code, 0) << created.output;
  // promtool's read-only open wants a WAL directory, which create-blocks-from does not make.
  std::filesystem::create_directories(prom_dir / "wal");
  Outcome imported =
      Argus(dir, {"tsdb", "import", "openmetrics", input.string(), argus_dir.string()});
  ASSERT_EQ(imported.code, 0) << imported.output;

  Outcome expected = Start(dir, {kPromtool, "tsdb", "dump", prom_dir.string()});
  ASSERT_EQ(expected.code, 0) << expected.output;
  Outcome got = Argus(dir, {"tsdb", "dump", argus_dir.string()});
  ASSERT_EQ(got.code, 0) << got.output;
  EXPECT_EQ(SortedLines(got.output), SortedLines(expected.output));
  EXPECT_EQ(SortedLines(got.output).size(), 11u);
}

TEST(PromtoolToolsTest, AnalyzeShowsTheDataRangeAndAnEmptyHeadPlainly) {
  TempDir dir;
  auto input = dir.Write("input.om", kOpenMetrics);
  auto data = dir.path() / "data";
  Outcome imported = Argus(dir, {"tsdb", "import", "openmetrics", input.string(), data.string()});
  ASSERT_EQ(imported.code, 0) << imported.output;
  Outcome run = Argus(dir, {"tsdb", "analyze", data.string()});
  ASSERT_EQ(run.code, 0) << run.output;
  std::istringstream lines(run.output);
  std::string header, block, head;
  std::getline(lines, header);
  std::getline(lines, block);
  std::getline(lines, head);
  EXPECT_TRUE(header.starts_with("BLOCK")) << run.output;
  // The first and the last sample, not the range the block was cut for.
  std::istringstream block_fields(block);
  std::string ulid, min_time, max_time, series, samples;
  block_fields >> ulid >> min_time >> max_time >> series >> samples;
  EXPECT_EQ(min_time, "1700000000000") << run.output;
  EXPECT_EQ(max_time, "1700000070000") << run.output;
  EXPECT_EQ(series, "3") << run.output;
  EXPECT_EQ(samples, "11") << run.output;
  // The head is empty: no time, and as many columns as a block's.
  std::istringstream head_fields(head);
  std::vector<std::string> fields;
  for (std::string f; head_fields >> f;) fields.push_back(f);
  EXPECT_EQ(fields, (std::vector<std::string>{"head", "-", "-", "0", "0", "0", "0", "-"}))
      << run.output;
  std::istringstream block_all(block);
  size_t block_columns = 0;
  for (std::string f; block_all >> f;) ++block_columns;
  EXPECT_EQ(block_columns, fields.size()) << run.output;
  EXPECT_EQ(run.output.find("9223372036854775807"), std::string::npos) << run.output;
}

// A head a server left behind: its row has the same columns as a block's, with the head's range,
// and it counts every sample that the dump prints.
TEST(PromtoolToolsTest, AnalyzeCountsTheHeadAServerLeft) {
  TempDir dir;
  uint16_t port = FreePort();
  auto config = dir.Write("argus.yml",
                          "global:\n  scrape_interval: 1s\nscrape_configs:\n"
                          "  - job_name: argus\n    static_configs:\n"
                          "      - targets: ['127.0.0.1:" +
                              std::to_string(port) + "']\n");
  auto data = dir.path() / "data";
  auto server =
      ChildProcess::Start({std::getenv("ARGUS_BINARY"), "--config.file=" + config.string(),
                           "--storage.tsdb.path=" + data.string(),
                           "--web.listen-address=127.0.0.1:" + std::to_string(port)},
                          dir.path() / "server.log");
  ASSERT_TRUE(server.has_value());
  ASSERT_TRUE(WaitFor(
      [&] {
        return HttpGet(port, "/api/v1/query?query=count(up)").body.find("\"value\"") !=
               std::string::npos;
      },
      seconds(60)))
      << server->Log();
  server->Signal(SIGTERM);
  ASSERT_EQ(server->Wait(seconds(60)), 0) << server->Log();

  Outcome run = Argus(dir, {"tsdb", "analyze", data.string()});
  ASSERT_EQ(run.code, 0) << run.output;
  std::istringstream lines(run.output);
  std::string header, head;
  std::getline(lines, header);
  std::getline(lines, head);
  std::istringstream head_fields(head);
  std::string name, min_time, max_time;
  uint64_t series = 0, samples = 0, chunks = 0, bytes = 0;
  std::string per_sample;
  head_fields >> name >> min_time >> max_time >> series >> samples >> chunks >> bytes >> per_sample;
  ASSERT_EQ(name, "head") << run.output;
  EXPECT_LE(std::stoll(min_time), std::stoll(max_time)) << run.output;
  EXPECT_GT(series, 0u) << run.output;
  EXPECT_GE(chunks, series) << run.output;
  EXPECT_GT(bytes, 0u) << run.output;
  EXPECT_NE(per_sample, "-") << run.output;

  Outcome dump = Argus(dir, {"tsdb", "dump", data.string()});
  ASSERT_EQ(dump.code, 0) << dump.output;
  EXPECT_EQ(SortedLines(dump.output).size(), samples);
  // The dump's first and last timestamps are the head's range.
  int64_t first = INT64_MAX, last = INT64_MIN;
  for (const std::string& line : SortedLines(dump.output)) {
    int64_t t = std::stoll(line.substr(line.rfind(' ') + 1));
    first = std::min(first, t);
    last = std::max(last, t);
  }
  EXPECT_EQ(std::to_string(first), min_time);
  EXPECT_EQ(std::to_string(last), max_time);
}

}  // namespace
}  // namespace argus::testing
