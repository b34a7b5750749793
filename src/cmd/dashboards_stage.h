#pragma once

#include <absl/synchronization/mutex.h>

#include <memory>

#include "cmd/stage.h"
#include "dashboards/catalog.h"

namespace argus::cmd {

// The dashboards (docs/dashboards.md): the built-in ones and the files that the configuration's
// dashboards.paths match, read again on every apply. A file that does not read or check is left
// out and listed with its errors; it never fails a reload. Serves
//   GET /api/v1/dashboards        {"dashboards":[{uid,title,tags,source}],"errors":[{file,line,
//                                  column,message}]} in Prometheus' success envelope
//   GET /api/v1/dashboards/UID    the dashboard as JSON, or 404 in Prometheus' error shape.
class DashboardsStage final : public Stage {
 public:
  DashboardsStage();

  std::string_view name() const override { return "dashboards"; }
  Status CheckConfig(const config::Config&) const override { return Status::Ok(); }
  Status ApplyConfig(const config::Config& config) override;
  void AddRoutes(http::Router& router) override;

  // The catalog in force. Thread-safe.
  std::shared_ptr<const dashboards::Catalog> catalog() const;

 private:
  mutable absl::Mutex mu_;
  std::shared_ptr<const dashboards::Catalog> catalog_ ABSL_GUARDED_BY(mu_);
};

}  // namespace argus::cmd
