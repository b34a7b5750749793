#include <utility>
#include <vector>

#include "tmpl/exec_state.h"

namespace argus::tmpl::internal {

Result<Value> ExecState::EvalPipeline(const Value& dot, const Pipeline& pipe) {
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

Status ExecState::NotAFunction(const Command& command, const Value* final) const {
  if (command.args.size() > 1 || final != nullptr) {
    return Error(fmt::format("can't give argument to non-function {}", command.args[0].text));
  }
  return Status::Ok();
}

Result<Value> ExecState::EvalCommand(const Value& dot, const Command& command, const Value* final) {
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
      return EvalFieldChain(dot, value, first, std::span<const std::string>(first.names).subspan(1),
                            args, final);
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

Result<Value> ExecState::EvalArg(const Value& dot, const Operand& arg) {
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

Result<List> ExecState::EvalArgs(const Value& dot, std::span<const Operand> args,
                                 const Value* final) {
  List argv;
  argv.reserve(args.size());
  for (size_t i = 1; i < args.size(); ++i) {
    ARGUS_ASSIGN_OR_RETURN(Value value, EvalArg(dot, args[i]));
    argv.push_back(std::move(value));
  }
  if (final != nullptr) argv.push_back(*final);
  return argv;
}

Result<Value> ExecState::EvalFieldChain(const Value& dot, Value receiver, const Operand& node,
                                        std::span<const std::string> names,
                                        std::span<const Operand> args, const Value* final) {
  for (size_t i = 0; i + 1 < names.size(); ++i) {
    ARGUS_ASSIGN_OR_RETURN(receiver, EvalField(dot, names[i], node, {&node, 1}, nullptr, receiver));
  }
  return EvalField(dot, names.back(), node, args, final, receiver);
}

Result<Value> ExecState::EvalField(const Value& dot, const std::string& name, const Operand& node,
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

Status ExecState::CallError(std::string_view name, const Status& error) const {
  // A bound passed inside a nested call keeps its code and message.
  if (error.code() == Status::Code::kLimitExceeded) return error;
  return Error(fmt::format("error calling {}: {}", name, error.message()));
}

Result<Value> ExecState::EvalFunction(const Value& dot, const Operand& function,
                                      std::string_view command_text, std::span<const Operand> args,
                                      const Value* final) {
  const std::string& name = function.names[0];
  if (name == "and" || name == "or")
    return EvalAndOr(dot, name == "and", command_text, args, final);
  const Function* callee = nullptr;
  if (auto it = overrides_.find(name); it != overrides_.end()) {
    callee = &it->second;
  } else if (auto it = funcs_.find(name); it != funcs_.end()) {
    callee = &it->second;
  }
  if (callee == nullptr) return Error(fmt::format("\"{}\" is not a defined function", name));
  ARGUS_ASSIGN_OR_RETURN(List argv, EvalArgs(dot, args, final));
  At(command_text, function.line, function.col);
  Result<Value> result = (*callee)(argv);
  if (!result.ok()) return CallError(name, result.status());
  ARGUS_RETURN_IF_ERROR(Charge(*result));
  return std::move(result).value();
}

Result<Value> ExecState::EvalAndOr(const Value& dot, bool is_and, std::string_view command_text,
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

}  // namespace argus::tmpl::internal
