#include "tmpl/exec.h"

#include <utility>
#include <vector>

#include "tmpl/exec_state.h"
#include "tmpl/printf.h"

namespace argus::tmpl::internal {

Status ExecState::Run(const Tree& tree, const Value& dot) {
  const Tree* saved_tree = tree_;
  std::vector<Variable> saved_vars = std::move(vars_);
  tree_ = &tree;
  vars_ = {{"$", dot}};
  Result<Flow> flow = WalkList(dot, tree.root);
  tree_ = saved_tree;
  vars_ = std::move(saved_vars);
  return flow.status();
}

Status ExecState::Error(std::string_view message, Status::Code code) const {
  return Status::Errorf(code, "template: {}:{}:{}: executing \"{}\" at <{}>: {}", tree_->parse_name,
                        at_line_, at_col_, tree_->name, at_text_, message);
}

void ExecState::At(std::string_view text, int line, int col) {
  at_text_ = text;
  at_line_ = line;
  at_col_ = col;
}

Status ExecState::Step() {
  if (++steps_ > limits_.max_steps) {
    return Error(fmt::format("execution exceeded {} steps", limits_.max_steps),
                 Status::Code::kLimitExceeded);
  }
  return Status::Ok();
}

Status ExecState::Write(std::string_view text) {
  out_->append(text);
  if (out_->size() > limits_.max_output_bytes) {
    return Error(fmt::format("output exceeds {} bytes", limits_.max_output_bytes),
                 Status::Code::kLimitExceeded);
  }
  return Status::Ok();
}

Status ExecState::CheckDepth() const {
  if (depth_ <= limits_.max_depth) return Status::Ok();
  return Error(fmt::format("exceeded maximum template depth ({})", limits_.max_depth),
               Status::Code::kLimitExceeded);
}

Status ExecState::Charge(const Value& result) {
  int64_t cost = 0;
  switch (result.kind()) {
    case Value::Kind::kString:
      if (result.as_string().size() > limits_.max_output_bytes) {
        return Error(fmt::format("a string of more than {} bytes", limits_.max_output_bytes),
                     Status::Code::kLimitExceeded);
      }
      cost = static_cast<int64_t>(result.as_string().size() / 16);
      break;
    case Value::Kind::kList:
      cost = static_cast<int64_t>(result.as_list().size());
      break;
    case Value::Kind::kMap:
      cost = static_cast<int64_t>(result.as_map().size());
      break;
    default:
      break;
  }
  steps_ += cost;
  return Step();
}

Result<Flow> ExecState::WalkList(const Value& dot, const std::vector<Node>& list) {
  Nested nested(&depth_);
  ARGUS_RETURN_IF_ERROR(CheckDepth());
  for (const Node& node : list) {
    ARGUS_ASSIGN_OR_RETURN(Flow flow, Walk(dot, node));
    if (flow != Flow::kNormal) return flow;
  }
  return Flow::kNormal;
}

Result<Flow> ExecState::Walk(const Value& dot, const Node& node) {
  ARGUS_RETURN_IF_ERROR(Step());
  switch (node.kind) {
    case Node::Kind::kText:
      ARGUS_RETURN_IF_ERROR(Write(node.text));
      return Flow::kNormal;
    case Node::Kind::kAction: {
      ARGUS_ASSIGN_OR_RETURN(Value value, EvalPipeline(dot, *node.pipe));
      if (node.pipe->decls.empty()) {
        std::string text;
        AppendPrinted(&text, value);
        ARGUS_RETURN_IF_ERROR(Write(text));
      }
      return Flow::kNormal;
    }
    case Node::Kind::kIf:
    case Node::Kind::kWith: {
      size_t mark = vars_.size();
      ARGUS_ASSIGN_OR_RETURN(Value value, EvalPipeline(dot, *node.pipe));
      Result<Flow> flow = Flow::kNormal;
      if (value.Truthy()) {
        flow = WalkList(node.kind == Node::Kind::kWith ? value : dot, node.list);
      } else {
        flow = WalkList(dot, node.else_list);
      }
      vars_.resize(mark);
      return flow;
    }
    case Node::Kind::kRange:
      return WalkRange(dot, node);
    case Node::Kind::kTemplate:
      ARGUS_RETURN_IF_ERROR(WalkTemplate(dot, node));
      return Flow::kNormal;
    case Node::Kind::kBreak:
      return Flow::kBreak;
    case Node::Kind::kContinue:
      return Flow::kContinue;
  }
  return Flow::kNormal;
}

Result<Flow> ExecState::WalkRange(const Value& dot, const Node& node) {
  size_t mark = vars_.size();
  ARGUS_ASSIGN_OR_RETURN(Value value, EvalPipeline(dot, *node.pipe));
  const Pipeline& pipe = *node.pipe;
  size_t decl_base = vars_.size() - (pipe.is_assign ? 0 : pipe.decls.size());
  size_t iterations = 0;
  // One pass of the body with `elem` as dot; returns whether the loop goes on.
  auto iterate = [&](const Value& key, const Value& elem) -> Result<bool> {
    ++iterations;
    ARGUS_RETURN_IF_ERROR(Step());
    if (!pipe.decls.empty()) {
      if (pipe.is_assign) {
        SetVar(pipe.decls[pipe.decls.size() > 1 ? 1 : 0], elem);
        if (pipe.decls.size() > 1) SetVar(pipe.decls[0], key);
      } else {
        vars_[decl_base + pipe.decls.size() - 1].value = elem;
        if (pipe.decls.size() > 1) vars_[decl_base].value = key;
      }
    }
    size_t body_mark = vars_.size();
    Result<Flow> flow = WalkList(elem, node.list);
    vars_.resize(body_mark);
    if (!flow.ok()) return flow.status();
    return *flow != Flow::kBreak;
  };
  switch (value.kind()) {
    case Value::Kind::kList: {
      const List& list = value.as_list();
      for (size_t i = 0; i < list.size(); ++i) {
        Result<bool> more = iterate(Value(static_cast<int64_t>(i)), list[i]);
        if (!more.ok()) return more.status();
        if (!*more) break;
      }
      break;
    }
    case Value::Kind::kMap:
      for (const auto& [key, elem] : value.as_map()) {
        Result<bool> more = iterate(Value(key), elem);
        if (!more.ok()) return more.status();
        if (!*more) break;
      }
      break;
    case Value::Kind::kInt:
      if (pipe.decls.size() > 1) {
        return Error(
            fmt::format("can't use {} to iterate over more than one variable", value.as_int()));
      }
      for (int64_t i = 0; i < value.as_int(); ++i) {
        Result<bool> more = iterate(Value(i), Value(i));
        if (!more.ok()) return more.status();
        if (!*more) break;
      }
      break;
    case Value::Kind::kNil:
      break;
    default:
      return Error(fmt::format("range can't iterate over {}", Sprint({&value, 1})));
  }
  Result<Flow> flow = Flow::kNormal;
  if (iterations == 0) flow = WalkList(dot, node.else_list);
  vars_.resize(mark);
  if (!flow.ok()) return flow.status();
  return Flow::kNormal;
}

Status ExecState::WalkTemplate(const Value& dot, const Node& node) {
  At(node.text, node.line, node.col);
  auto it = trees_.find(node.text);
  if (it == trees_.end()) {
    return Error(fmt::format("no such template \"{}\"", node.text), Status::Code::kNotFound);
  }
  Value new_dot;
  if (node.pipe != nullptr) {
    ARGUS_ASSIGN_OR_RETURN(new_dot, EvalPipeline(dot, *node.pipe));
  }
  return Run(*it->second, new_dot);
}

void ExecState::SetVar(const std::string& name, const Value& value) {
  for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
    if (it->name == name) {
      it->value = value;
      return;
    }
  }
}

Result<Value> ExecState::LookupVar(const std::string& name) const {
  for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
    if (it->name == name) return it->value;
  }
  return Error(fmt::format("undefined variable: {}", name));
}

Result<std::string> Execute(const Tree& tree, const TreeMap& trees, const FuncMap& funcs,
                            const FuncMap& overrides, const ExecLimits& limits, const Value& data) {
  std::string out;
  ExecState state(trees, funcs, overrides, limits, &out);
  ARGUS_RETURN_IF_ERROR(state.Run(tree, data));
  return out;
}

}  // namespace argus::tmpl::internal
