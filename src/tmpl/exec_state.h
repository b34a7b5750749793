#pragma once

// The state of one execution of a template (internal to src/tmpl): exec.cc walks the nodes and
// runs the control structures, exec_eval.cc evaluates pipelines, commands, fields and function
// calls, with Go's text/template semantics.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "tmpl/exec.h"
#include "tmpl/tree.h"
#include "tmpl/value.h"

namespace argus::tmpl::internal {

// What a walk asks of the enclosing {{range}}.
enum class Flow { kNormal, kBreak, kContinue };

// Not thread-safe; one per execution. Borrows everything it is given for its lifetime.
class ExecState {
 public:
  ExecState(const TreeMap& trees, const FuncMap& funcs, const FuncMap& overrides,
            const ExecLimits& limits, std::string* out)
      : trees_(trees), funcs_(funcs), overrides_(overrides), limits_(limits), out_(out) {}

  Status Run(const Tree& tree, const Value& dot);

 private:
  struct Variable {
    std::string name;
    Value value;
  };

  // An error at the node being evaluated, in Go's words.
  Status Error(std::string_view message, Status::Code code = Status::Code::kInvalidInput) const;
  void At(const Operand& operand) { At(operand.text, operand.line, operand.col); }
  // `text` must outlive the execution: it points into the parse tree.
  void At(std::string_view text, int line, int col);
  Status Step();
  Status Write(std::string_view text);

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
  Status CheckDepth() const;

  // Charges the work a function result stands for and refuses oversized strings.
  Status Charge(const Value& result);

  Result<Flow> WalkList(const Value& dot, const std::vector<Node>& list);

  Result<Flow> Walk(const Value& dot, const Node& node);

  Result<Flow> WalkRange(const Value& dot, const Node& node);
  Status WalkTemplate(const Value& dot, const Node& node);
  void SetVar(const std::string& name, const Value& value);

  Result<Value> LookupVar(const std::string& name) const;

  Result<Value> EvalPipeline(const Value& dot, const Pipeline& pipe);
  Status NotAFunction(const Command& command, const Value* final) const;

  Result<Value> EvalCommand(const Value& dot, const Command& command, const Value* final);

  // An operand used as an argument.
  Result<Value> EvalArg(const Value& dot, const Operand& arg);

  // Evaluates args[1:] and appends `final`.
  Result<List> EvalArgs(const Value& dot, std::span<const Operand> args, const Value* final);

  Result<Value> EvalFieldChain(const Value& dot, Value receiver, const Operand& node,
                               std::span<const std::string> names, std::span<const Operand> args,
                               const Value* final);

  Result<Value> EvalField(const Value& dot, const std::string& name, const Operand& node,
                          std::span<const Operand> args, const Value* final, const Value& receiver);
  Status CallError(std::string_view name, const Status& error) const;

  Result<Value> EvalFunction(const Value& dot, const Operand& function,
                             std::string_view command_text, std::span<const Operand> args,
                             const Value* final);

  // Go's and/or: evaluate arguments in order and stop at the first that decides.
  Result<Value> EvalAndOr(const Value& dot, bool is_and, std::string_view command_text,
                          std::span<const Operand> args, const Value* final);

  const TreeMap& trees_;
  const FuncMap& funcs_;
  const FuncMap& overrides_;
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

}  // namespace argus::tmpl::internal
