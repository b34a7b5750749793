// argus: the server, and the tools that share its code (`argus check ...`).

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>

#include "base/build_info.h"
#include "cmd/build_info.h"
#include "cmd/check.h"
#include "cmd/event_command.h"
#include "cmd/flags.h"
#include "cmd/server.h"
#include "cmd/test_rules.h"
#include "cmd/tsdb_tools.h"
#include "model/duration.h"

namespace {

// A size with a unit, as --storage.tsdb.retention.size takes it: "512MB", "1GB" (powers of two).
std::string ParseBytes(const std::string& text, uint64_t* bytes) {
  static const std::pair<const char*, int> kUnits[] = {
      {"EB", 60}, {"PB", 50}, {"TB", 40}, {"GB", 30}, {"MB", 20}, {"KB", 10}, {"B", 0}};
  for (const auto& [unit, shift] : kUnits) {
    std::string_view t(text);
    if (!t.ends_with(unit)) continue;
    t.remove_suffix(std::strlen(unit));
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (ec != std::errc() || end != t.data() + t.size() || t.empty()) break;
    *bytes = n << shift;
    return "";
  }
  return "expected a number with a unit (B, KB, MB, GB, TB, PB, EB), e.g. 512MB";
}

// Every flag error is reported in the same words and with the same exit code as Prometheus'.
int FlagError(const std::string& what) {
  std::fprintf(stderr, "Error parsing command line arguments: %s\nRun 'argus --help' for usage.\n",
               what.c_str());
  return 2;
}

// "flag --x given 2 times; it takes one value" for the first single-valued flag of `app` or its
// subcommands given more than once; empty if none was.
std::string RepeatedFlag(const CLI::App& app) {
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_expected_max() == 1 && option->count() > 1) {
      return "flag " + option->get_name() + " given " + std::to_string(option->count()) +
             " times; it takes one value";
    }
  }
  for (const CLI::App* sub : app.get_subcommands()) {
    if (std::string repeated = RepeatedFlag(*sub); !repeated.empty()) return repeated;
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Argus: monitoring and alerting for containers and hosts, in one binary."};
  argus::cmd::ServerFlags server;
  server.build = argus::cmd::ThisBuild();
  app.set_version_flag("--version", argus::VersionText("argus", server.build));
  app.require_subcommand(0, 1);
  // A flag given twice is reported below in plain words, rather than by the parser.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--config.file", server.config_file,
                 "Configuration file; empty uses the embedded default configuration.");
  app.add_option("--storage.tsdb.path", server.storage_path,
                 "Base path for metrics storage (the data directory).")
      ->capture_default_str();
  app.add_option("--web.listen-address", server.listen_address,
                 "Address to listen on for the UI, API and telemetry.")
      ->capture_default_str();
  std::string retention_time = "15d", retention_size;
  app.add_option("--storage.tsdb.retention.time", retention_time,
                 "How long to retain samples in storage; 0 keeps them.")
      ->capture_default_str()
      ->check([&server](const std::string& v) -> std::string {
        auto d = argus::model::ParseDuration(v);
        if (!d.ok()) return d.status().message();
        server.retention_ms = d->count();
        return "";
      });
  app.add_option("--storage.tsdb.retention.size", retention_size,
                 "The most bytes blocks and WAL may take, e.g. 512MB; the oldest blocks go "
                 "first. Unlimited when empty.")
      ->check([&server](const std::string& v) { return ParseBytes(v, &server.retention_bytes); });
  app.add_option("--log.level", server.log_level,
                 "Only log messages at this level or above: debug, info, warn, error.")
      ->capture_default_str();
  app.add_option("--log.format", server.log_format, "Output format of log messages: logfmt, json.")
      ->capture_default_str();
  app.add_option("--query.lookback-delta", server.query_lookback_delta,
                 "The maximum lookback duration for retrieving metrics during expression "
                 "evaluations and federation.")
      ->capture_default_str();
  app.add_option("--query.max-samples", server.query_max_samples,
                 "Maximum number of samples a single query can load into memory.")
      ->capture_default_str();
  app.add_option("--query.timeout", server.query_timeout,
                 "Maximum time a query may take before being aborted.")
      ->capture_default_str();
  app.add_option("--web.external-url", server.external_url,
                 "The URL under which Argus is externally reachable; empty: derived from the "
                 "host name and the listen port.");

  auto* check = app.add_subcommand("check", "Check the resources for validity.");
  check->require_subcommand(1);

  std::string config_path;
  auto* check_config = check->add_subcommand("config", "Check that a configuration file is valid.");
  check_config->add_option("file", config_path, "The configuration file.")->required();

  std::string metrics_format = "text";
  std::string metrics_path;
  auto* check_metrics = check->add_subcommand(
      "metrics",
      "Check that an exposition document (from FILE or standard input) parses, and lint it as "
      "promtool does (text format).");
  check_metrics->add_option("--format", metrics_format, "text or openmetrics.")
      ->check(CLI::IsMember({"text", "openmetrics"}))
      ->capture_default_str();
  check_metrics->add_option("file", metrics_path, "The document; standard input when absent.");

  std::vector<std::string> rule_paths;
  std::string rules_lint = "duplicate-rules";
  bool rules_lint_fatal = false;
  auto* check_rules =
      check->add_subcommand("rules", "Check that rule files are valid, as promtool does.");
  check_rules->add_option("file", rule_paths, "The rule files.")->required();
  check_rules->add_option("--lint", rules_lint, "duplicate-rules, or none.")
      ->check(CLI::IsMember({"duplicate-rules", "none"}))
      ->capture_default_str();
  check_rules->add_flag("--lint-fatal", rules_lint_fatal, "Make lint errors exit with code 3.");

  auto* test = app.add_subcommand("test", "Unit testing.");
  test->require_subcommand(1);
  std::vector<std::string> test_paths;
  argus::rules::UnitTestOptions test_options;
  auto* test_rules = test->add_subcommand(
      "rules", "Run rule unit tests (promtool's test file format), as `promtool test rules` does.");
  test_rules->add_option("file", test_paths, "The unit test files.")->required();
  test_rules
      ->add_option("--run", test_options.run,
                   "Run only the test groups whose name matches this regular expression "
                   "(may be repeated).")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  test_rules->add_flag("--ignore-unknown-fields", test_options.ignore_unknown_fields,
                       "Accept keys that are not part of the rule file format in rule files.");

  auto* event = app.add_subcommand("event", "Record events on a running server.");
  event->require_subcommand(1);
  argus::cmd::DeployEventFlags deploy_flags;
  auto* deploy = event->add_subcommand(
      "deploy", "Record the deploy of a service (from a CI pipeline): a `deploy` event.");
  deploy->add_option("--url", deploy_flags.url, "The server, e.g. http://argus:9090.")->required();
  deploy->add_option("--service", deploy_flags.service, "The deployed service.")->required();
  deploy->add_option("--version", deploy_flags.version, "The version deployed.")->required();
  deploy->add_option("--text", deploy_flags.text, "What to say about it.");
  deploy->add_option("--link", deploy_flags.link, "A URL to more about it (the CI run).");

  auto* tsdb = app.add_subcommand("tsdb", "Tools for the storage's data directory.");
  tsdb->require_subcommand(1);
  auto* import = tsdb->add_subcommand("import", "Import samples into blocks.");
  import->require_subcommand(1);
  std::string import_file, data_dir = "data";
  auto* import_om = import->add_subcommand(
      "openmetrics", "Backfill an OpenMetrics file (samples with timestamps) into blocks.");
  import_om->add_option("file", import_file, "The OpenMetrics file.")->required();
  import_om->add_option("dir", data_dir, "The data directory.")->capture_default_str();
  int analyze_limit = 20;
  auto* analyze = tsdb->add_subcommand("analyze", "Print the size and cardinality of the data.");
  analyze->add_option("dir", data_dir, "The data directory.")->capture_default_str();
  analyze->add_option("--limit", analyze_limit, "How many names to list.")->capture_default_str();
  int64_t dump_min = INT64_MIN, dump_max = INT64_MAX;
  std::string dump_match = "{__name__=~\".+\"}";
  auto* dump = tsdb->add_subcommand("dump", "Print the samples of the data directory.");
  dump->add_option("dir", data_dir, "The data directory.")->capture_default_str();
  dump->add_option("--min-time", dump_min, "Milliseconds since the epoch.");
  dump->add_option("--max-time", dump_max, "Milliseconds since the epoch.");
  dump->add_option("--match", dump_match, "A series selector.")->capture_default_str();

  try {
    app.parse(argc, argv);
    if (std::string repeated = RepeatedFlag(app); !repeated.empty()) {
      return FlagError(repeated);
    }
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    return FlagError(e.what());
  }
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_lnames().empty() || option->get_lnames()[0] == "help" ||
        option->get_lnames()[0] == "version") {
      continue;
    }
    server.all[option->get_lnames()[0]] =
        option->count() > 0 ? option->as<std::string>() : option->get_default_str();
  }

  if (import_om->parsed()) return argus::cmd::ImportOpenMetrics(import_file, data_dir);
  if (analyze->parsed()) return argus::cmd::Analyze(data_dir, analyze_limit);
  if (dump->parsed()) return argus::cmd::Dump(data_dir, dump_min, dump_max, dump_match);

  if (deploy->parsed()) return argus::cmd::SendDeployEvent(deploy_flags);
  if (check_config->parsed()) return argus::cmd::CheckConfig(config_path);
  if (check_rules->parsed()) {
    return argus::cmd::CheckRules(
        rule_paths, {.duplicates = rules_lint == "duplicate-rules", .fatal = rules_lint_fatal});
  }
  if (test_rules->parsed()) return argus::cmd::TestRules(test_paths, test_options);
  if (check_metrics->parsed()) return argus::cmd::CheckMetrics(metrics_format, metrics_path);
  if (argus::Status flags = argus::cmd::CheckServerFlags(server); !flags.ok()) {
    return FlagError(flags.message());
  }
  return argus::cmd::RunServer(server);
}
