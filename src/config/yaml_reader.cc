#include "config/yaml_reader.h"

#include <algorithm>
#include <charconv>

namespace argus::config {

Status ErrorAt(std::string_view source, const YAML::Node& node, std::string_view path,
               std::string_view message) {
  YAML::Mark mark = node.Mark();
  std::string where(source);
  if (!mark.is_null()) where += fmt::format(":{}:{}", mark.line + 1, mark.column + 1);
  return Status::Errorf(Status::Code::kInvalidInput, "{}: {}: {}", where, path, message);
}

MapReader::MapReader(const YAML::Node& node, std::string path, std::string_view source,
                     Status* status)
    : node_(node), path_(std::move(path)), source_(source), status_(status) {
  if (ok() && node_.IsDefined() && !node_.IsNull() && !node_.IsMap()) {
    Fail(node_, path_.empty() ? "<document>" : path_, "expected a mapping");
  }
}

void MapReader::Fail(const YAML::Node& node, std::string_view path, std::string_view message) {
  if (ok()) *status_ = ErrorAt(source_, node, path, message);
}

std::string MapReader::ChildPath(const char* key) const {
  return path_.empty() ? key : path_ + "." + key;
}

std::string MapReader::ChildPath(const char* key, size_t index) const {
  return fmt::format("{}[{}]", ChildPath(key), index);
}

YAML::Node MapReader::Child(const char* key) {
  read_.emplace_back(key);
  if (!ok() || !node_.IsMap()) return YAML::Node();
  return node_[key];
}

std::optional<std::string> MapReader::Scalar(const char* key) {
  YAML::Node n = Child(key);
  if (!n.IsDefined() || n.IsNull() || !ok()) return std::nullopt;
  if (!n.IsScalar()) {
    Fail(n, ChildPath(key), "expected a single value");
    return std::nullopt;
  }
  return n.Scalar();
}

void MapReader::Read(const char* key, std::string* out) {
  if (auto v = Scalar(key)) *out = *v;
}

void MapReader::Read(const char* key, bool* out) {
  auto v = Scalar(key);
  if (!v) return;
  if (*v == "true") {
    *out = true;
  } else if (*v == "false") {
    *out = false;
  } else {
    Fail(Child(key), ChildPath(key), fmt::format("expected true or false, got \"{}\"", *v));
  }
}

void MapReader::Read(const char* key, uint64_t* out) {
  auto v = Scalar(key);
  if (!v) return;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), *out);
  if (ec != std::errc() || end != v->data() + v->size()) {
    Fail(Child(key), ChildPath(key),
         fmt::format("expected a non-negative integer, got \"{}\"", *v));
  }
}

void MapReader::Read(const char* key, model::Duration* out) {
  auto v = Scalar(key);
  if (!v) return;
  auto d = model::ParseDuration(*v);
  if (!d.ok()) return Fail(Child(key), ChildPath(key), d.status().message());
  *out = *d;
}

void MapReader::ReadBytes(const char* key, uint64_t* out) {
  auto v = Scalar(key);
  if (!v) return;
  std::string_view text = *v;
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  std::string_view unit(end, text.data() + text.size() - end);
  static constexpr std::pair<std::string_view, int> kUnits[] = {
      {"", 0},    {"B", 0},  {"KB", 1},  {"KiB", 1}, {"MB", 2},  {"MiB", 2}, {"GB", 3},
      {"GiB", 3}, {"TB", 4}, {"TiB", 4}, {"PB", 5},  {"PiB", 5}, {"EB", 6},  {"EiB", 6}};
  auto it = std::find_if(std::begin(kUnits), std::end(kUnits),
                         [&](const auto& u) { return u.first == unit; });
  if (ec != std::errc() || it == std::end(kUnits)) {
    return Fail(Child(key), ChildPath(key),
                fmt::format("invalid size \"{}\": expected a number and a unit (B, KB, MB, GB, "
                            "TB, PB, EB)",
                            text));
  }
  for (int i = 0; i < it->second; ++i) n *= 1024;
  *out = n;
}

void MapReader::Read(const char* key, std::vector<std::string>* out) {
  YAML::Node n = Child(key);
  if (!n.IsDefined() || n.IsNull() || !ok()) return;
  if (!n.IsSequence()) return Fail(n, ChildPath(key), "expected a list");
  out->clear();
  for (size_t i = 0; i < n.size(); ++i) {
    if (!n[i].IsScalar()) return Fail(n[i], ChildPath(key, i), "expected a single value");
    out->push_back(n[i].Scalar());
  }
}

void MapReader::Finish() {
  if (!ok() || !node_.IsMap()) return;
  for (const auto& entry : node_) {
    std::string key = entry.first.Scalar();
    if (std::find(read_.begin(), read_.end(), key) == read_.end()) {
      Fail(entry.first, ChildPath(key.c_str()), fmt::format("unknown field \"{}\"", key));
    }
  }
}

}  // namespace argus::config
