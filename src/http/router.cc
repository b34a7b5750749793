#include <algorithm>

#include "http/server.h"

namespace argus::http {

std::string_view Request::Param(std::string_view name) const {
  auto it = params.find(std::string(name));
  return it == params.end() ? std::string_view() : std::string_view(it->second);
}

std::vector<std::string> Request::Params(std::string_view name) const {
  std::vector<std::string> out;
  auto [begin, end] = params.equal_range(std::string(name));
  for (auto it = begin; it != end; ++it) out.push_back(it->second);
  return out;
}

void Router::Handle(std::string method, std::string path, Handler handler) {
  bool prefix = path.ends_with("/*");
  if (prefix) path.resize(path.size() - 1);  // Keep the trailing slash.
  routes_.push_back({std::move(method), std::move(path), prefix, std::move(handler)});
}

const Router::Route* Router::Match(std::string_view method, std::string_view path,
                                   bool* method_allowed) const {
  *method_allowed = true;
  bool path_known = false;
  for (const auto& r : routes_) {
    bool matches = r.prefix ? path.starts_with(r.path) : path == r.path;
    if (!matches) continue;
    path_known = true;
    if (r.method == method) return &r;
  }
  *method_allowed = !path_known;
  return nullptr;
}

void Router::HandleNotFound(std::string prefix, Handler handler) {
  not_found_.push_back({std::move(prefix), std::move(handler)});
}

const Handler* Router::Find(std::string_view method, std::string_view path,
                            bool* method_allowed) const {
  const Route* r = Match(method, path, method_allowed);
  if (r != nullptr) return &r->handler;
  if (!*method_allowed) return nullptr;
  const NotFoundRoute* longest = nullptr;
  for (const auto& nf : not_found_) {
    if (path.starts_with(nf.prefix) && (!longest || nf.prefix.size() > longest->prefix.size())) {
      longest = &nf;
    }
  }
  return longest ? &longest->handler : nullptr;
}

std::string_view Router::RoutePath(std::string_view method, std::string_view path) const {
  bool allowed;
  const Route* r = Match(method, path, &allowed);
  return r ? std::string_view(r->path) : std::string_view("other");
}

}  // namespace argus::http
