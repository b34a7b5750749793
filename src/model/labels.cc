#include "model/labels.h"

#include <algorithm>

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

namespace argus::model {
namespace {

// Sorts by name, keeps the last of equal names, drops empty values.
void Normalize(std::vector<Label>* labels) {
  std::stable_sort(labels->begin(), labels->end(),
                   [](const Label& a, const Label& b) { return a.name < b.name; });
  std::vector<Label> out;
  out.reserve(labels->size());
  for (auto& l : *labels) {
    if (!out.empty() && out.back().name == l.name) {
      out.back() = std::move(l);
    } else {
      out.push_back(std::move(l));
    }
  }
  std::erase_if(out, [](const Label& l) { return l.value.empty(); });
  *labels = std::move(out);
}

}  // namespace

Labels::Labels(std::initializer_list<std::pair<std::string_view, std::string_view>> pairs) {
  labels_.reserve(pairs.size());
  for (const auto& [name, value] : pairs)
    labels_.push_back({std::string(name), std::string(value)});
  Normalize(&labels_);
}

Labels Labels::FromUnsorted(std::vector<Label> labels) {
  Normalize(&labels);
  Labels result;
  result.labels_ = std::move(labels);
  return result;
}

std::string_view Labels::Get(std::string_view name) const {
  auto it = std::lower_bound(labels_.begin(), labels_.end(), name,
                             [](const Label& l, std::string_view n) { return l.name < n; });
  return it != labels_.end() && it->name == name ? std::string_view(it->value) : "";
}

bool Labels::Has(std::string_view name) const { return !Get(name).empty(); }

uint64_t Labels::Hash() const {
  // Names and values are separated by a byte that cannot occur in valid UTF-8.
  XXH3_state_t state;
  XXH3_64bits_reset(&state);
  static constexpr char kSeparator = '\xff';
  for (const auto& l : labels_) {
    XXH3_64bits_update(&state, l.name.data(), l.name.size());
    XXH3_64bits_update(&state, &kSeparator, 1);
    XXH3_64bits_update(&state, l.value.data(), l.value.size());
    XXH3_64bits_update(&state, &kSeparator, 1);
  }
  return XXH3_64bits_digest(&state);
}

std::string Labels::ToString() const {
  std::string out(MetricName());
  out += '{';
  bool first = true;
  for (const auto& l : labels_) {
    if (l.name == kMetricName) continue;
    if (!first) out += ", ";
    first = false;
    out += l.name;
    out += "=\"";
    AppendEscapedLabelValue(&out, l.value);
    out += '"';
  }
  out += '}';
  return out;
}

void LabelsBuilder::Reset() { size_ = 0; }

void LabelsBuilder::Reset(const Labels& base) {
  size_ = 0;
  for (const auto& l : base) Add(l.name, l.value);
}

Label* LabelsBuilder::Find(std::string_view name) {
  for (size_t i = size_; i-- > 0;) {
    if (items_[i].name == name) return &items_[i];
  }
  return nullptr;
}

void LabelsBuilder::Set(std::string_view name, std::string_view value) {
  if (Label* l = Find(name)) {
    l->value.assign(value);
    return;
  }
  Add(name, value);
}

void LabelsBuilder::Del(std::string_view name) {
  // Keeps the order of the rest, which decides which of two equal names Build keeps.
  size_t kept = 0;
  for (size_t i = 0; i < size_; ++i) {
    if (items_[i].name != name) std::swap(items_[kept++], items_[i]);
  }
  size_ = kept;
}

void LabelsBuilder::Add(std::string_view name, std::string_view value) {
  if (size_ == items_.size()) items_.emplace_back();
  items_[size_].name.assign(name);
  items_[size_].value.assign(value);
  ++size_;
}

std::string_view LabelsBuilder::Get(std::string_view name) const {
  for (size_t i = size_; i-- > 0;) {
    if (items_[i].name == name) return items_[i].value;
  }
  return "";
}

Labels LabelsBuilder::Build() const {
  return Labels::FromUnsorted(std::vector<Label>(items_.begin(), items_.begin() + size_));
}

namespace {

bool IsValidName(std::string_view name, bool colons) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (colons && c == ':') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

bool IsValidLabelName(std::string_view name) { return IsValidName(name, false); }

bool IsValidMetricName(std::string_view name) { return IsValidName(name, true); }

void AppendEscapedLabelValue(std::string* out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        *out += "\\\\";
        break;
      case '"':
        *out += "\\\"";
        break;
      case '\n':
        *out += "\\n";
        break;
      default:
        *out += c;
    }
  }
}

}  // namespace argus::model
