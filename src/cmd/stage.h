#pragma once

#include <string_view>

#include "base/status.h"
#include "config/config.h"
#include "http/server.h"

namespace argus::cmd {

// One part of the server as the server wires it: the storage, the scrape manager, the
// collectors, the API. A stage is made (constructed) after the stages it builds on and stopped
// before them; `Stages` keeps that order.
//
// Every method is called from the server's main thread, one at a time, never from a handler.
// Routes added by AddRoutes run on the HTTP server's threads, so what they read must be
// thread-safe; the server stops serving them before it calls Stop.
//
// A configuration reaches a stage in two steps, so that a reload either takes effect everywhere
// or nowhere:
//   1. CheckConfig, on every stage, before any stage applies anything. It validates this stage's
//      part and has no side effects; it must catch whatever would make ApplyConfig fail (files
//      that cannot be read, settings this stage cannot run with).
//   2. ApplyConfig, stage by stage in start order, only after every CheckConfig succeeded. The
//      first call starts the stage. An error here means the stage may run part of the new
//      configuration; the caller then applies the previous one again, which must succeed for a
//      configuration the stage ran before.
class Stage {
 public:
  virtual ~Stage() = default;

  // Names the stage in logs and errors: "scrape", "storage".
  virtual std::string_view name() const = 0;

  // Validates `config` for this stage without changing anything. Errors say what is wrong and
  // where (the file, the job).
  [[nodiscard]] virtual Status CheckConfig(const config::Config& config) const = 0;

  // Makes the stage run `config`, which passed CheckConfig. The stage keeps no reference to it.
  [[nodiscard]] virtual Status ApplyConfig(const config::Config& config) = 0;

  // Registers the stage's HTTP handlers, once, before the server starts. Most stages have none.
  virtual void AddRoutes(http::Router&) {}

  // Stops the stage's work, once, after the stages that build on it stopped. No other method is
  // called afterwards; the destructor frees what is left.
  virtual void Stop() {}
};

}  // namespace argus::cmd
