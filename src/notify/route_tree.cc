#include "notify/route_tree.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "base/utf8.h"

namespace argus::notify {
namespace {

// Alertmanager's labels.Matchers order: by name, then value, then type.
bool MatcherLess(const model::Matcher& a, const model::Matcher& b) {
  return std::forward_as_tuple(a.name(), a.value(), a.type()) <
         std::forward_as_tuple(b.name(), b.value(), b.type());
}

std::unique_ptr<RouteNode> BuildNode(const config::Route& route, const RouteNode* parent) {
  auto node = std::make_unique<RouteNode>();
  node->options = route;
  node->options.routes.clear();
  node->parent = parent;
  std::vector<model::Matcher>& matchers = node->options.matchers;
  std::stable_sort(matchers.begin(), matchers.end(), MatcherLess);
  if (parent != nullptr) node->key = parent->key + "/";
  node->key += '{';
  for (size_t i = 0; i < matchers.size(); ++i) {
    if (i > 0) node->key += ',';
    node->key += matchers[i].ToString();
  }
  node->key += '}';
  for (const config::Route& child : route.routes) {
    node->children.push_back(BuildNode(child, node.get()));
  }
  return node;
}

void MatchInto(const RouteNode& node, const model::Labels& labels,
               std::vector<const RouteNode*>* out) {
  const size_t before = out->size();
  for (const auto& child : node.children) {
    if (!child->Matches(labels)) continue;
    MatchInto(*child, labels, out);
    if (!child->options.continue_matching) break;
  }
  if (out->size() == before) out->push_back(&node);
}

}  // namespace

bool AllMatch(const std::vector<model::Matcher>& matchers, const model::Labels& labels) {
  for (const model::Matcher& m : matchers) {
    if (!m.Matches(labels.Get(m.name()))) return false;
  }
  return true;
}

RouteTree::RouteTree(const config::Route& root) : root_(BuildNode(root, nullptr)) {}

std::vector<const RouteNode*> RouteTree::Match(const model::Labels& labels) const {
  std::vector<const RouteNode*> out;
  if (root_->Matches(labels)) MatchInto(*root_, labels, &out);
  return out;
}

model::Labels GroupLabels(const model::Labels& alert_labels, const RouteNode& route) {
  if (route.options.group_by_all) return alert_labels;
  std::vector<model::Label> picked;
  for (const model::Label& l : alert_labels) {
    const std::vector<std::string>& by = route.options.group_by;
    if (std::find(by.begin(), by.end(), l.name) != by.end()) picked.push_back(l);
  }
  return model::Labels::FromUnsorted(std::move(picked));
}

void AppendGoQuoted(std::string* out, std::string_view s) {
  out->push_back('"');
  while (!s.empty()) {
    const size_t n = Utf8SequenceLength(s);
    const unsigned char c = static_cast<unsigned char>(s[0]);
    if (n > 1) {
      out->append(s.substr(0, n));
      s.remove_prefix(n);
      continue;
    }
    s.remove_prefix(1);
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\a':
        *out += "\\a";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\f':
        *out += "\\f";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\v':
        *out += "\\v";
        break;
      default:
        // Control characters, DEL and bytes that start no valid UTF-8 sequence.
        if (n == 0 || c < 0x20 || c == 0x7f) {
          *out += fmt::format("\\x{:02x}", c);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

std::string GroupKey(const RouteNode& route, const model::Labels& group_labels) {
  std::vector<std::string> pairs;
  pairs.reserve(group_labels.size());
  for (const model::Label& l : group_labels) {
    std::string pair = l.name + "=";
    AppendGoQuoted(&pair, l.value);
    pairs.push_back(std::move(pair));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string key = route.key + ":{";
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i > 0) key += ", ";
    key += pairs[i];
  }
  key += '}';
  return key;
}

}  // namespace argus::notify
