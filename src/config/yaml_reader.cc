#include "config/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace argus::config {

Diagnostics::Entry Diagnostics::At(const YAML::Node& node, std::string_view path,
                                   std::string_view message) const {
  YAML::Mark mark = node.IsDefined() ? node.Mark() : YAML::Mark::null_mark();
  std::string what = fmt::format("{}: {}", path, message);
  if (mark.is_null()) return {-1, -1, fmt::format("{}: {}", source_, what), what};
  return {mark.line, mark.column,
          fmt::format("{}:{}:{}: {}", source_, mark.line + 1, mark.column + 1, what), what};
}

void Diagnostics::Error(const YAML::Node& node, std::string_view path, std::string_view message) {
  errors_.push_back(At(node, path, message));
}

void Diagnostics::Warning(const YAML::Node& node, std::string_view path, std::string_view message) {
  warnings_.push_back(At(node, path, message));
}

void Diagnostics::Include(const Diagnostics& other, const YAML::Node& at) {
  Entry position = At(at, "", "");
  auto include = [&position](std::vector<Entry> from, std::vector<Entry>* to) {
    SortByPosition(&from);  // Placed at one position, they keep the other file's order.
    for (Entry& e : from) {
      to->push_back({position.line, position.column, std::move(e.text), std::move(e.message)});
    }
  };
  include(other.errors_, &errors_);
  include(other.warnings_, &warnings_);
}

void Diagnostics::SortByPosition(std::vector<Entry>* entries) {
  std::stable_sort(entries->begin(), entries->end(), [](const Entry& a, const Entry& b) {
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
  });
}

std::vector<Diagnostics::Located> Diagnostics::located_errors() const {
  std::vector<Entry> entries = errors_;
  SortByPosition(&entries);
  std::vector<Located> out;
  for (Entry& e : entries) out.push_back({e.line + 1, e.column + 1, std::move(e.message)});
  return out;
}

std::vector<std::string> Diagnostics::Sorted(std::vector<Entry> entries) {
  SortByPosition(&entries);
  std::vector<std::string> out;
  for (Entry& e : entries) out.push_back(std::move(e.text));
  return out;
}

MapReader::MapReader(const YAML::Node& node, std::string path, Diagnostics& diagnostics)
    : node_(node),
      path_(std::move(path)),
      diagnostics_(diagnostics),
      errors_before_(diagnostics.error_count()) {
  if (Present(node_) && !node_.IsMap()) {
    Fail(node_, path_.empty() ? "<document>" : path_, "expected a mapping");
  }
}

void MapReader::Fail(const YAML::Node& node, std::string_view path, std::string_view message) {
  diagnostics_.Error(node, path, message);
}

std::string MapReader::ChildPath(const char* key) const {
  return path_.empty() ? key : path_ + "." + key;
}

std::string MapReader::ChildPath(const char* key, size_t index) const {
  return fmt::format("{}[{}]", ChildPath(key), index);
}

YAML::Node MapReader::Child(const char* key) {
  read_.emplace_back(key);
  if (!node_.IsMap()) return YAML::Node();
  return node_[key];
}

YAML::Node MapReader::Key(const char* key) const {
  if (!node_.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  for (const auto& entry : node_) {
    if (entry.first.Scalar() == key) return entry.first;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

std::optional<std::string> MapReader::Scalar(const char* key) {
  YAML::Node n = Child(key);
  if (!Present(n)) return std::nullopt;
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

namespace {

// Reads all of `text` as an integer of type T.
template <typename T>
std::optional<T> ParseInteger(std::string_view text) {
  T n{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

}  // namespace

void MapReader::Read(const char* key, uint64_t* out) {
  auto v = Scalar(key);
  if (!v) return;
  if (auto n = ParseInteger<uint64_t>(*v)) {
    *out = *n;
  } else {
    Fail(Child(key), ChildPath(key),
         fmt::format("expected a non-negative integer, got \"{}\"", *v));
  }
}

void MapReader::Read(const char* key, int64_t* out) {
  auto v = Scalar(key);
  if (!v) return;
  if (auto n = ParseInteger<int64_t>(*v)) {
    *out = *n;
  } else {
    Fail(Child(key), ChildPath(key), fmt::format("expected an integer, got \"{}\"", *v));
  }
}

void MapReader::Read(const char* key, double* out) {
  auto v = Scalar(key);
  if (!v) return;
  char* end = nullptr;
  double d = std::strtod(v->c_str(), &end);
  if (v->empty() || end != v->c_str() + v->size() || std::isnan(d)) {
    return Fail(Child(key), ChildPath(key), fmt::format("expected a number, got \"{}\"", *v));
  }
  *out = d;
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
  if (!Present(n)) return;
  if (!n.IsSequence()) return Fail(n, ChildPath(key), "expected a list");
  std::vector<std::string> values;
  bool all_read = true;
  for (size_t i = 0; i < n.size(); ++i) {
    if (n[i].IsScalar()) {
      values.push_back(n[i].Scalar());
    } else {
      Fail(n[i], ChildPath(key, i), "expected a single value");
      all_read = false;
    }
  }
  if (all_read) *out = std::move(values);
}

void MapReader::Finish() {
  if (!node_.IsMap()) return;
  for (const auto& entry : node_) {
    std::string key = entry.first.Scalar();
    if (std::find(read_.begin(), read_.end(), key) == read_.end()) {
      Fail(entry.first, ChildPath(key.c_str()), fmt::format("unknown field \"{}\"", key));
    }
  }
}

}  // namespace argus::config
