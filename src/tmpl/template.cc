#include "tmpl/template.h"

#include <glob.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tmpl/exec.h"
#include "tmpl/funcs_go.h"
#include "tmpl/parser.h"

namespace argus::tmpl {
namespace {

using Trees = std::map<std::string, std::shared_ptr<const internal::Tree>, std::less<>>;

// Go's rule: a definition replaces an earlier one of the same name unless its body is empty.
void AddTree(std::shared_ptr<const internal::Tree> tree, Trees* trees) {
  auto it = trees->find(tree->name);
  if (it != trees->end() && internal::IsEmptyTree(*tree)) return;
  (*trees)[tree->name] = std::move(tree);
}

}  // namespace

TemplateSet::TemplateSet(FuncMap funcs) : funcs_(WithBuiltins(std::move(funcs))) {}

TemplateSet::TemplateSet(std::shared_ptr<const FuncMap> funcs) : funcs_(std::move(funcs)) {}

std::shared_ptr<const FuncMap> TemplateSet::WithBuiltins(FuncMap funcs) {
  FuncMap all = GoBuiltinFuncs();
  for (auto& [name, function] : funcs) all[name] = std::move(function);
  return std::make_shared<const FuncMap>(std::move(all));
}

Status TemplateSet::Parse(std::string_view name, std::string_view text) {
  ARGUS_ASSIGN_OR_RETURN(internal::ParseOutput parsed, internal::Parse(name, text, *funcs_));
  AddTree(std::move(parsed.main), &trees_);
  for (auto& tree : parsed.defined) AddTree(std::move(tree), &trees_);
  return Status::Ok();
}

Status TemplateSet::Check(std::string_view name, std::string_view text) const {
  return internal::Parse(name, text, *funcs_).status();
}

Status TemplateSet::ParseFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Errorf(Status::Code::kIOError, "open {}: cannot read the file", path);
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::Errorf(Status::Code::kIOError, "read {}: I/O error", path);
  return Parse(std::filesystem::path(path).filename().string(), text.str());
}

Status TemplateSet::ParseGlob(const std::string& pattern) {
  glob_t matches{};
  int rc = glob(pattern.c_str(), 0, nullptr, &matches);
  std::vector<std::string> paths(matches.gl_pathv, matches.gl_pathv + matches.gl_pathc);
  globfree(&matches);
  if (rc == GLOB_NOMATCH || paths.empty()) {
    return Status::Errorf(Status::Code::kNotFound, "template: pattern matches no files: `{}`",
                          pattern);
  }
  if (rc != 0) return Status::Errorf(Status::Code::kIOError, "glob {}: failed", pattern);
  for (const std::string& path : paths) ARGUS_RETURN_IF_ERROR(ParseFile(path));
  return Status::Ok();
}

bool TemplateSet::Has(std::string_view name) const { return trees_.find(name) != trees_.end(); }

std::vector<std::string> TemplateSet::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, tree] : trees_) names.push_back(name);
  return names;
}

Result<std::string> TemplateSet::Execute(std::string_view name, const Value& data,
                                         const FuncMap& overrides) const {
  auto it = trees_.find(name);
  if (it == trees_.end()) {
    return Status::Errorf(Status::Code::kNotFound,
                          "template: no template \"{}\" associated with template set", name);
  }
  return internal::Execute(*it->second, trees_, *funcs_, overrides, limits_, data);
}

Result<std::string> TemplateSet::ExecuteText(std::string_view text, const Value& data,
                                             std::string_view name) const {
  Trees trees = trees_;
  ARGUS_ASSIGN_OR_RETURN(internal::ParseOutput parsed, internal::Parse(name, text, *funcs_));
  for (auto& tree : parsed.defined) AddTree(std::move(tree), &trees);
  return internal::Execute(*parsed.main, trees, *funcs_, {}, limits_, data);
}

}  // namespace argus::tmpl
