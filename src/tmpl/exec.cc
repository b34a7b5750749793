#include "tmpl/exec.h"

#include <optional>
#include <utility>
#include <vector>

#include "tmpl/printf.h"

namespace argus::tmpl::internal {
namespace {

// What a walk asks of the enclosing {{range}}.
enum class Flow { kNormal, kBreak, kContinue };

class State {
 public:
  State(const TreeMap& trees, const FuncMap& funcs, const ExecLimits& limits, std::string* out)
      : trees_(trees), funcs_(funcs), limits_(limits), out_(out) {}

  Status Run(const Tree& tree, const Value& dot) {
    const Tree* saved_tree = tree_;
    std::vector<Variable> saved_vars = std::move(vars_);
    tree_ = &tree;
    vars_ = {{"$", dot}};
    Result<Flow> flow = WalkList(dot, tree.root);
    tree_ = saved_tree;
    vars_ = std::move(saved_vars);
    return flow.status();
  }

 private:
  struct Variable {
    std::string name;
    Value value;
  };

  // An error at the node being evaluated, in Go's words.
  Status Error(std::string_view message, Status::Code code = Status::Code::kInvalidInput) const {
    return Status::Errorf(code, "template: {}:{}:{}: executing \"{}\" at <{}>: {}",
                          tree_->parse_name, at_line_, at_col_, tree_->name, at_text_, message);
  }
  void At(const Operand& operand) { At(operand.text, operand.line, operand.col); }
  // `text` must outlive the execution: it points into the parse tree.
  void At(std::string_view text, int line, int col) {
    at_text_ = text;
    at_line_ = line;
    at_col_ = col;
  }

  Status Step() {
    if (++steps_ > limits_.max_steps) {
      return Error(fmt::format("execution exceeded {} steps", limits_.max_steps),
                   Status::Code::kLimitExceeded);
    }
    return Status::Ok();
  }

  Status Write(std::string_view text) {
    out_->append(text);
    if (out_->size() > limits_.max_output_bytes) {
      return Error(fmt::format("output exceeds {} bytes", limits_.max_output_bytes),
                   Status::Code::kLimitExceeded);
    }
    return Status::Ok();
  }

  // Counts one level of nesting for its lifetime.
  class Nested {
   public:
    explicit Nested(int* depth) : depth_(depth) { ++*depth_; }
    ~Nested() { --*depth_; }
    Nested(const Nested&) = delete;
    Nested& operator=(const Nested&) = delete;

   private:
    int* depth_;
  };

  Status CheckDepth() const {
    if (depth_ <= limits_.max_depth) return Status::Ok();
    return Error(fmt::format("exceeded maximum template depth ({})", limits_.max_depth),
                 Status::Code::kLimitExceeded);
  }

  // Charges the work a function result stands for and refuses oversized strings.
  Status Charge(const Value& result) {
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

  Result<Flow> WalkList(const Value& dot, const std::vector<Node>& list) {
    Nested nested(&depth_);
    ARGUS_RETURN_IF_ERROR(CheckDepth());
    for (const Node& node : list) {
      ARGUS_ASSIGN_OR_RETURN(Flow flow, Walk(dot, node));
      if (flow != Flow::kNormal) return flow;
    }
    return Flow::kNormal;
  }

  Result<Flow> Walk(const Value& dot, const Node& node) {
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

  Result<Flow> WalkRange(const Value& dot, const Node& node) {
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

  Status WalkTemplate(const Value& dot, const Node& node) {
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

  void SetVar(const std::string& name, const Value& value) {
    for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
      if (it->name == name) {
        it->value = value;
        return;
      }
    }
  }

  Result<Value> LookupVar(const std::string& name) const {
    for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
      if (it->name == name) return it->value;
    }
    return Error(fmt::format("undefined variable: {}", name));
  }

  Result<Value> EvalPipeline(const Value& dot, const Pipeline& pipe) {
    Nested nested(&depth_);
    ARGUS_RETURN_IF_ERROR(CheckDepth());
    Value value;
    bool piped = false;
    for (const Command& command : pipe.commands) {
      ARGUS_ASSIGN_OR_RETURN(value, EvalCommand(dot, command, piped ? &value : nullptr));
      piped = true;
    }
    for (const std::string& name : pipe.decls) {
      if (pipe.is_assign) {
        SetVar(name, value);
      } else {
        vars_.push_back({name, value});
      }
    }
    return value;
  }

  Status NotAFunction(const Command& command, const Value* final) const {
    if (command.args.size() > 1 || final != nullptr) {
      return Error(fmt::format("can't give argument to non-function {}", command.args[0].text));
    }
    return Status::Ok();
  }

  Result<Value> EvalCommand(const Value& dot, const Command& command, const Value* final) {
    ARGUS_RETURN_IF_ERROR(Step());
    const Operand& first = command.args[0];
    std::span<const Operand> args(command.args);
    At(first);
    switch (first.kind) {
      case Operand::Kind::kField:
        return EvalFieldChain(dot, dot, first, first.names, args, final);
      case Operand::Kind::kChain: {
        ARGUS_ASSIGN_OR_RETURN(Value base, EvalPipeline(dot, *first.pipe));
        return EvalFieldChain(dot, base, first, first.names, args, final);
      }
      case Operand::Kind::kVariable: {
        ARGUS_ASSIGN_OR_RETURN(Value value, LookupVar(first.names[0]));
        if (first.names.size() == 1) {
          ARGUS_RETURN_IF_ERROR(NotAFunction(command, final));
          return value;
        }
        return EvalFieldChain(dot, value, first,
                              std::span<const std::string>(first.names).subspan(1), args, final);
      }
      case Operand::Kind::kFunction:
        return EvalFunction(dot, first, command.text, args, final);
      case Operand::Kind::kPipeline:
        ARGUS_RETURN_IF_ERROR(NotAFunction(command, final));
        return EvalPipeline(dot, *first.pipe);
      case Operand::Kind::kDot:
        ARGUS_RETURN_IF_ERROR(NotAFunction(command, final));
        return dot;
      case Operand::Kind::kNil:
        return Error("nil is not a command");
      case Operand::Kind::kConstant:
        ARGUS_RETURN_IF_ERROR(NotAFunction(command, final));
        return first.constant;
    }
    return Value();
  }

  // An operand used as an argument.
  Result<Value> EvalArg(const Value& dot, const Operand& arg) {
    At(arg);
    switch (arg.kind) {
      case Operand::Kind::kDot:
        return dot;
      case Operand::Kind::kNil:
        return Value();
      case Operand::Kind::kConstant:
        return arg.constant;
      case Operand::Kind::kField:
        return EvalFieldChain(dot, dot, arg, arg.names, {&arg, 1}, nullptr);
      case Operand::Kind::kChain: {
        ARGUS_ASSIGN_OR_RETURN(Value base, EvalPipeline(dot, *arg.pipe));
        return EvalFieldChain(dot, base, arg, arg.names, {&arg, 1}, nullptr);
      }
      case Operand::Kind::kVariable: {
        ARGUS_ASSIGN_OR_RETURN(Value value, LookupVar(arg.names[0]));
        if (arg.names.size() == 1) return value;
        return EvalFieldChain(dot, value, arg, std::span<const std::string>(arg.names).subspan(1),
                              {&arg, 1}, nullptr);
      }
      case Operand::Kind::kPipeline:
        return EvalPipeline(dot, *arg.pipe);
      case Operand::Kind::kFunction: {
        return EvalFunction(dot, arg, arg.text, {&arg, 1}, nullptr);
      }
    }
    return Value();
  }

  // Evaluates args[1:] and appends `final`.
  Result<List> EvalArgs(const Value& dot, std::span<const Operand> args, const Value* final) {
    List argv;
    argv.reserve(args.size());
    for (size_t i = 1; i < args.size(); ++i) {
      ARGUS_ASSIGN_OR_RETURN(Value value, EvalArg(dot, args[i]));
      argv.push_back(std::move(value));
    }
    if (final != nullptr) argv.push_back(*final);
    return argv;
  }

  Result<Value> EvalFieldChain(const Value& dot, Value receiver, const Operand& node,
                               std::span<const std::string> names, std::span<const Operand> args,
                               const Value* final) {
    for (size_t i = 0; i + 1 < names.size(); ++i) {
      ARGUS_ASSIGN_OR_RETURN(receiver,
                             EvalField(dot, names[i], node, {&node, 1}, nullptr, receiver));
    }
    return EvalField(dot, names.back(), node, args, final, receiver);
  }

  Result<Value> EvalField(const Value& dot, const std::string& name, const Operand& node,
                          std::span<const Operand> args, const Value* final,
                          const Value& receiver) {
    bool has_args = args.size() > 1 || final != nullptr;
    // Go yields "no value" for a field of missing data (missingkey=zero, as Prometheus and
    // Alertmanager set it) rather than failing the whole message.
    if (receiver.is_nil()) return Value();
    if (const Method* method = receiver.FindMethod(name)) {
      ARGUS_ASSIGN_OR_RETURN(List argv, EvalArgs(dot, args, final));
      At(node);
      Result<Value> result = (*method)(receiver, argv);
      if (!result.ok()) return CallError(name, result.status());
      ARGUS_RETURN_IF_ERROR(Charge(*result));
      return std::move(result).value();
    }
    At(node);
    if (receiver.kind() == Value::Kind::kObject) {
      const Map& fields = receiver.as_map();
      auto it = fields.find(name);
      if (it == fields.end()) {
        return Error(fmt::format("can't evaluate field {} in type {}", name, receiver.TypeName()));
      }
      if (has_args) {
        return Error(fmt::format("{} has arguments but cannot be invoked as function", name));
      }
      return it->second;
    }
    if (receiver.kind() == Value::Kind::kMap) {
      if (has_args) return Error(fmt::format("{} is not a method but has arguments", name));
      const Map& entries = receiver.as_map();
      auto it = entries.find(name);
      return it == entries.end() ? receiver.missing_value() : it->second;
    }
    return Error(fmt::format("can't evaluate field {} in type {}", name, receiver.TypeName()));
  }

  Status CallError(std::string_view name, const Status& error) const {
    // A bound passed inside a nested call keeps its code and message.
    if (error.code() == Status::Code::kLimitExceeded) return error;
    return Error(fmt::format("error calling {}: {}", name, error.message()));
  }

  Result<Value> EvalFunction(const Value& dot, const Operand& function,
                             std::string_view command_text, std::span<const Operand> args,
                             const Value* final) {
    const std::string& name = function.names[0];
    if (name == "and" || name == "or")
      return EvalAndOr(dot, name == "and", command_text, args, final);
    auto it = funcs_.find(name);
    if (it == funcs_.end()) return Error(fmt::format("\"{}\" is not a defined function", name));
    ARGUS_ASSIGN_OR_RETURN(List argv, EvalArgs(dot, args, final));
    At(command_text, function.line, function.col);
    Result<Value> result = it->second(argv);
    if (!result.ok()) return CallError(name, result.status());
    ARGUS_RETURN_IF_ERROR(Charge(*result));
    return std::move(result).value();
  }

  // Go's and/or: evaluate arguments in order and stop at the first that decides.
  Result<Value> EvalAndOr(const Value& dot, bool is_and, std::string_view command_text,
                          std::span<const Operand> args, const Value* final) {
    size_t count = args.size() - 1 + (final != nullptr ? 1 : 0);
    if (count == 0) {
      At(command_text, args[0].line, args[0].col);
      return Error(
          fmt::format("wrong number of args for {}: want at least 1 got 0", is_and ? "and" : "or"));
    }
    Value value;
    for (size_t i = 1; i <= count; ++i) {
      if (i < args.size()) {
        ARGUS_ASSIGN_OR_RETURN(value, EvalArg(dot, args[i]));
      } else {
        value = *final;
      }
      if (value.Truthy() != is_and) return value;
    }
    return value;
  }

  const TreeMap& trees_;
  const FuncMap& funcs_;
  const ExecLimits& limits_;
  std::string* out_;
  const Tree* tree_ = nullptr;
  std::vector<Variable> vars_;
  int depth_ = 0;
  int64_t steps_ = 0;
  std::string_view at_text_;
  int at_line_ = 0;
  int at_col_ = 0;
};

}  // namespace

Result<std::string> Execute(const Tree& tree, const TreeMap& trees, const FuncMap& funcs,
                            const ExecLimits& limits, const Value& data) {
  std::string out;
  State state(trees, funcs, limits, &out);
  ARGUS_RETURN_IF_ERROR(state.Run(tree, data));
  return out;
}

}  // namespace argus::tmpl::internal
