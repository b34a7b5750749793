#include "cmd/dashboards_stage.h"

#include <set>
#include <string>
#include <vector>

#include "api/response.h"
#include "discovery/file_discoverer.h"

namespace argus::cmd {
namespace {

constexpr std::string_view kListPath = "/api/v1/dashboards";

// Every file the patterns match, once, in the patterns' order.
std::vector<std::string> MatchingFiles(const std::vector<std::string>& patterns) {
  std::vector<std::string> files;
  std::set<std::string> seen;
  for (const std::string& pattern : patterns) {
    for (std::string& file : discovery::MatchingFiles(pattern)) {
      if (seen.insert(file).second) files.push_back(std::move(file));
    }
  }
  return files;
}

void WriteList(const dashboards::Catalog& catalog, http::Response* r) {
  api::SuccessResponse response(r);
  api::JsonWriter& w = response.writer();
  w.BeginObject();
  w.Key("dashboards");
  w.BeginArray();
  for (const dashboards::CatalogEntry& entry : catalog.dashboards()) {
    w.BeginObject();
    w.Key("uid");
    w.String(entry.dashboard.uid);
    w.Key("title");
    w.String(entry.dashboard.title);
    w.Key("tags");
    w.BeginArray();
    for (const std::string& tag : entry.dashboard.tags) w.String(tag);
    w.EndArray();
    w.Key("source");
    w.String(entry.source);
    w.EndObject();
  }
  w.EndArray();
  w.Key("errors");
  w.BeginArray();
  for (const dashboards::FileError& error : catalog.errors()) {
    w.BeginObject();
    w.Key("file");
    w.String(error.file);
    w.Key("line");
    w.Int(error.line);
    w.Key("column");
    w.Int(error.column);
    w.Key("message");
    w.String(error.message);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  response.Finish();
}

}  // namespace

DashboardsStage::DashboardsStage() : catalog_(std::make_shared<dashboards::Catalog>()) {}

Status DashboardsStage::ApplyConfig(const config::Config& config) {
  auto catalog = std::make_shared<const dashboards::Catalog>(
      dashboards::LoadCatalog(MatchingFiles(config.dashboards.paths)));
  absl::MutexLock lock(&mu_);
  catalog_ = std::move(catalog);
  return Status::Ok();
}

std::shared_ptr<const dashboards::Catalog> DashboardsStage::catalog() const {
  absl::MutexLock lock(&mu_);
  return catalog_;
}

void DashboardsStage::AddRoutes(http::Router& router) {
  router.Handle("GET", std::string(kListPath),
                [this](const http::Request&, http::Response* r) { WriteList(*catalog(), r); });
  router.Handle("GET", std::string(kListPath) + "/*",
                [this](const http::Request& req, http::Response* r) {
                  std::string_view uid = std::string_view(req.path).substr(kListPath.size() + 1);
                  std::shared_ptr<const dashboards::Catalog> catalog = this->catalog();
                  const dashboards::CatalogEntry* entry = catalog->Find(uid);
                  if (entry == nullptr) {
                    return api::RespondError(r, api::ErrorType::kNotFound,
                                             fmt::format("no dashboard with uid \"{}\"", uid));
                  }
                  api::SuccessResponse response(r);
                  response.writer().Raw(dashboards::ToJson(entry->dashboard));
                  response.Finish();
                });
}

}  // namespace argus::cmd
