#include <algorithm>
#include <optional>

#include "tmpl/literal.h"
#include "tmpl/parser_state.h"

namespace argus::tmpl::internal {

Result<std::shared_ptr<const Pipeline>> Parser::ParsePipeline(std::string_view context,
                                                              TokenKind end) {
  auto pipe = std::make_shared<Pipeline>();
  ARGUS_RETURN_IF_ERROR(Declarations(context, pipe.get()));
  while (true) {
    const Token& t = NextNonSpace();
    if (t.kind == end) {
      if (pipe->commands.empty()) return Error(fmt::format("missing value for {}", context));
      for (size_t i = 1; i < pipe->commands.size(); ++i) {
        Operand::Kind first = pipe->commands[i].args[0].kind;
        if (first == Operand::Kind::kConstant || first == Operand::Kind::kNil ||
            first == Operand::Kind::kDot) {
          return Error(fmt::format("non executable command in pipeline stage {}", i + 1));
        }
      }
      return std::shared_ptr<const Pipeline>(std::move(pipe));
    }
    switch (t.kind) {
      case TokenKind::kBool:
      case TokenKind::kChar:
      case TokenKind::kDot:
      case TokenKind::kField:
      case TokenKind::kIdentifier:
      case TokenKind::kNumber:
      case TokenKind::kString:
      case TokenKind::kVariable:
      case TokenKind::kLeftParen:
        --pos_;
        break;
      case TokenKind::kKeyword:
        if (t.text == "nil") {
          --pos_;
          break;
        }
        return Unexpected(t, context);
      default:
        return Unexpected(t, context);
    }
    ARGUS_ASSIGN_OR_RETURN(Command command, ParseCommand());
    pipe->commands.push_back(std::move(command));
  }
}

Status Parser::Declarations(std::string_view context, Pipeline* pipe) {
  while (PeekNonSpace().kind == TokenKind::kVariable) {
    size_t start = pos_;
    std::string name = Next().text;
    const Token& next = PeekNonSpace();
    if (next.kind == TokenKind::kDeclare || next.kind == TokenKind::kAssign) {
      pipe->is_assign = next.kind == TokenKind::kAssign;
      Next();
      if (pipe->is_assign && !IsDeclared(name)) {
        return Error(fmt::format("undefined variable \"{}\"", name));
      }
      pipe->decls.push_back(name);
      vars_.push_back(name);
      return Status::Ok();
    }
    if (next.kind == TokenKind::kComma) {
      Next();
      pipe->decls.push_back(name);
      vars_.push_back(name);
      if (context == "range" && pipe->decls.size() < 2) {
        TokenKind after = PeekNonSpace().kind;
        if (after == TokenKind::kVariable || after == TokenKind::kRightDelim ||
            after == TokenKind::kRightParen) {
          continue;
        }
        return Error("range can only initialize variables");
      }
      return Error(fmt::format("too many declarations in {}", context));
    }
    pos_ = start;
    return Status::Ok();
  }
  return Status::Ok();
}

bool Parser::IsDeclared(std::string_view name) const {
  return std::find(vars_.begin(), vars_.end(), name) != vars_.end();
}

Result<Command> Parser::ParseCommand() {
  Command command;
  while (true) {
    PeekNonSpace();
    ARGUS_ASSIGN_OR_RETURN(std::optional<Operand> operand, ParseOperand());
    if (operand.has_value()) command.args.push_back(std::move(*operand));
    const Token& t = Next();
    if (t.kind == TokenKind::kSpace) continue;
    if (t.kind == TokenKind::kRightDelim || t.kind == TokenKind::kRightParen) {
      --pos_;
    } else if (t.kind != TokenKind::kPipe) {
      return Unexpected(t, "operand");
    }
    break;
  }
  if (command.args.empty()) return Error("empty command");
  for (const Operand& operand : command.args) {
    if (!command.text.empty()) command.text.push_back(' ');
    command.text += operand.text;
  }
  return command;
}

Result<std::optional<Operand>> Parser::ParseOperand() {
  size_t start = pos_;
  ARGUS_ASSIGN_OR_RETURN(std::optional<Operand> term, ParseTerm());
  if (!term.has_value() || Peek().kind != TokenKind::kField) return term;
  Operand& operand = *term;
  switch (operand.kind) {
    case Operand::Kind::kField:
    case Operand::Kind::kVariable:
      break;
    case Operand::Kind::kPipeline:
      operand.kind = Operand::Kind::kChain;
      break;
    default:
      return Error(fmt::format("unexpected . after term \"{}\"", operand.text));
  }
  while (Peek().kind == TokenKind::kField) operand.names.push_back(Next().text.substr(1));
  operand.text = SourceText(start);
  return term;
}

std::string Parser::SourceText(size_t start) const {
  std::string text;
  for (size_t i = start; i < pos_; ++i) {
    const Token& t = tokens_[i];
    text += t.kind == TokenKind::kString ? fmt::format("\"{}\"", t.text) : t.text;
  }
  return text;
}

Result<std::optional<Operand>> Parser::ParseTerm() {
  const Token& t = NextNonSpace();
  Operand operand;
  operand.line = t.line;
  operand.col = t.col;
  operand.text = t.kind == TokenKind::kString ? fmt::format("\"{}\"", t.text) : t.text;
  switch (t.kind) {
    case TokenKind::kIdentifier:
      if (funcs_.find(t.text) == funcs_.end()) {
        return Error(fmt::format("function \"{}\" not defined", t.text));
      }
      operand.kind = Operand::Kind::kFunction;
      operand.names = {t.text};
      return std::optional<Operand>(std::move(operand));
    case TokenKind::kDot:
      operand.kind = Operand::Kind::kDot;
      return std::optional<Operand>(std::move(operand));
    case TokenKind::kVariable:
      if (!IsDeclared(t.text)) return Error(fmt::format("undefined variable \"{}\"", t.text));
      operand.kind = Operand::Kind::kVariable;
      operand.names = {t.text};
      return std::optional<Operand>(std::move(operand));
    case TokenKind::kField:
      operand.kind = Operand::Kind::kField;
      operand.names = {t.text.substr(1)};
      return std::optional<Operand>(std::move(operand));
    case TokenKind::kBool:
      operand.kind = Operand::Kind::kConstant;
      operand.constant = Value(t.text == "true");
      return std::optional<Operand>(std::move(operand));
    case TokenKind::kChar:
      operand.kind = Operand::Kind::kConstant;
      operand.constant = Value(static_cast<int64_t>(std::stoll(t.text)));
      return std::optional<Operand>(std::move(operand));
    case TokenKind::kNumber: {
      operand.kind = Operand::Kind::kConstant;
      Result<Value> number = ParseNumber(t.text);
      if (!number.ok()) return Error(number.status().message());
      operand.constant = std::move(*number);
      return std::optional<Operand>(std::move(operand));
    }
    case TokenKind::kString:
      operand.kind = Operand::Kind::kConstant;
      operand.constant = Value(t.text);
      return std::optional<Operand>(std::move(operand));
    case TokenKind::kKeyword:
      if (t.text == "nil") {
        operand.kind = Operand::Kind::kNil;
        return std::optional<Operand>(std::move(operand));
      }
      break;
    case TokenKind::kLeftParen: {
      ARGUS_RETURN_IF_ERROR(Enter());
      size_t start = pos_ - 1;
      operand.kind = Operand::Kind::kPipeline;
      ARGUS_ASSIGN_OR_RETURN(operand.pipe,
                             ParsePipeline("parenthesized pipeline", TokenKind::kRightParen));
      operand.text = SourceText(start);
      --depth_;
      return std::optional<Operand>(std::move(operand));
    }
    default:
      break;
  }
  --pos_;
  return std::optional<Operand>();
}

}  // namespace argus::tmpl::internal
