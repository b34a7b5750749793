// argus: the server, and the tools that share its code (`argus check ...`).

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "cmd/check.h"
#include "cmd/server.h"

int main(int argc, char** argv) {
  CLI::App app{"Argus: monitoring and alerting for containers and hosts, in one binary."};
  app.set_version_flag("--version", "argus, version " ARGUS_VERSION);
  app.require_subcommand(0, 1);

  argus::cmd::ServerFlags server;
  app.add_option("--config.file", server.config_file,
                 "Configuration file; empty uses the embedded default configuration.");
  app.add_option("--storage.path", server.storage_path, "Base path for metrics storage.")
      ->capture_default_str();
  app.add_option("--web.listen-address", server.listen_address,
                 "Address to listen on for the UI, API and telemetry.")
      ->capture_default_str();
  app.add_option("--log.level", server.log_level, "Only log messages at this level or above.")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
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
      "metrics", "Check that an exposition document (from FILE or standard input) parses.");
  check_metrics->add_option("--format", metrics_format, "text or openmetrics.")
      ->check(CLI::IsMember({"text", "openmetrics"}))
      ->capture_default_str();
  check_metrics->add_option("file", metrics_path, "The document; standard input when absent.");

  CLI11_PARSE(app, argc, argv);
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_lnames().empty() || option->get_lnames()[0] == "help" ||
        option->get_lnames()[0] == "version") {
      continue;
    }
    server.all[option->get_lnames()[0]] =
        option->count() > 0 ? option->as<std::string>() : option->get_default_str();
  }

  if (check_config->parsed()) return argus::cmd::CheckConfig(config_path);
  if (check_metrics->parsed()) return argus::cmd::CheckMetrics(metrics_format, metrics_path);
  return argus::cmd::RunServer(server);
}
