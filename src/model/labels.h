#pragma once

#include <compare>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace argus::model {

inline constexpr std::string_view kMetricName = "__name__";

struct Label {
  std::string name;
  std::string value;
  auto operator<=>(const Label&) const = default;
};

// An immutable set of labels, sorted by name, names unique, no empty values (a label with an
// empty value is the same as no label, as in Prometheus). Identifies a series.
class Labels {
 public:
  Labels() = default;
  // Sorts; a later duplicate name wins; empty values are dropped.
  Labels(std::initializer_list<std::pair<std::string_view, std::string_view>> pairs);
  // Takes labels in any order; same rules as above.
  static Labels FromUnsorted(std::vector<Label> labels);

  // The value of `name`, or "" when absent.
  std::string_view Get(std::string_view name) const;
  bool Has(std::string_view name) const;
  std::string_view MetricName() const { return Get(kMetricName); }

  // A 64-bit hash of names and values (xxh3), stable across runs and versions of Argus.
  uint64_t Hash() const;
  // Prometheus' notation: name{a="b", c="d"} with escaped values, or {a="b"} without a name.
  std::string ToString() const;

  bool empty() const { return labels_.empty(); }
  size_t size() const { return labels_.size(); }
  std::vector<Label>::const_iterator begin() const { return labels_.begin(); }
  std::vector<Label>::const_iterator end() const { return labels_.end(); }
  const Label& operator[](size_t i) const { return labels_[i]; }

  auto operator<=>(const Labels&) const = default;

 private:
  friend class LabelsBuilder;
  std::vector<Label> labels_;
};

// Builds label sets by setting and deleting names. Reusable: Reset keeps the strings' storage,
// so building label sets of a steady shape allocates nothing after the first few.
class LabelsBuilder {
 public:
  LabelsBuilder() = default;
  explicit LabelsBuilder(const Labels& base) { Reset(base); }

  void Reset();
  void Reset(const Labels& base);
  // Adds or replaces `name`; an empty value deletes it.
  void Set(std::string_view name, std::string_view value);
  void Del(std::string_view name);
  // Appends without checking order or uniqueness; Labels() sorts and de-duplicates (last wins).
  void Add(std::string_view name, std::string_view value);
  std::string_view Get(std::string_view name) const;

  size_t size() const { return size_; }
  const Label& operator[](size_t i) const { return items_[i]; }

  // The current set, sorted, duplicates removed (the last added wins), empty values dropped.
  Labels Build() const;

 private:
  Label* Find(std::string_view name);
  std::vector<Label> items_;  // Only the first size_ entries are live.
  size_t size_ = 0;
};

// Label names match [a-zA-Z_][a-zA-Z0-9_]*; metric names may also hold colons.
bool IsValidLabelName(std::string_view name);
bool IsValidMetricName(std::string_view name);

// Escapes a label value for Prometheus' notation: backslash, double quote and newline.
void AppendEscapedLabelValue(std::string* out, std::string_view value);

}  // namespace argus::model
