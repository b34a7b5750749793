#include "model/regex_expand.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace argus::model {
namespace {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

void ExpandRegexTemplate(const re2::RE2& re, std::string_view tmpl,
                         const std::vector<re2::StringPiece>& groups, std::string* out) {
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] != '$' || i + 1 == tmpl.size()) {
      *out += tmpl[i];
      continue;
    }
    if (tmpl[i + 1] == '$') {
      *out += '$';
      ++i;
      continue;
    }
    std::string_view name;
    size_t end;
    if (tmpl[i + 1] == '{') {
      size_t close = tmpl.find('}', i + 2);
      name =
          close == std::string_view::npos ? std::string_view() : tmpl.substr(i + 2, close - i - 2);
      if (name.empty() || !std::all_of(name.begin(), name.end(), IsWordChar)) {
        *out += '$';  // Not a valid reference: Go keeps the text as it is.
        continue;
      }
      end = close + 1;
    } else {
      end = i + 1;
      while (end < tmpl.size() && IsWordChar(tmpl[end])) ++end;
      name = tmpl.substr(i + 1, end - i - 1);
      if (name.empty()) {
        *out += '$';
        continue;
      }
    }
    int index = -1;
    if (std::all_of(name.begin(), name.end(), [](char c) { return std::isdigit(c); })) {
      index = name.size() < 9 ? std::stoi(std::string(name)) : -1;
    } else {
      const auto& named = re.NamedCapturingGroups();
      auto it = named.find(std::string(name));
      if (it != named.end()) index = it->second;
    }
    if (index >= 0 && static_cast<size_t>(index) < groups.size() &&
        groups[index].data() != nullptr) {
      *out += std::string_view(groups[index].data(), groups[index].size());
    }
    i = end - 1;
  }
}

}  // namespace argus::model
