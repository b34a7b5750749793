#include "tmpl/parser.h"

#include <absl/strings/ascii.h>

#include <algorithm>
#include <optional>

#include "tmpl/lexer.h"
#include "tmpl/literal.h"

namespace argus::tmpl::internal {
namespace {

// Nesting of parentheses and control structures; deeper input is rejected rather than
// recursing without bound.
constexpr int kMaxDepth = 100;

// Go's item.String(): how a token is named in "unexpected ..." messages.
std::string Describe(const Token& t) {
  switch (t.kind) {
    case TokenKind::kEOF:
      return "EOF";
    case TokenKind::kKeyword:
      return fmt::format("<{}>", t.text);
    case TokenKind::kLeftDelim:
      return "\"{{\"";
    case TokenKind::kRightDelim:
      return "\"}}\"";
    case TokenKind::kSpace:
      return "\" \"";
    default:
      if (t.text.size() > 10) return fmt::format("\"{}\"...", t.text.substr(0, 10));
      return fmt::format("\"{}\"", t.text);
  }
}

class Parser {
 public:
  Parser(std::string_view name, std::vector<Token> tokens, const FuncMap& funcs)
      : name_(name), tokens_(std::move(tokens)), funcs_(funcs) {}

  Result<ParseOutput> Run() {
    auto main = std::make_shared<Tree>();
    main->name = name_;
    main->parse_name = name_;
    while (Peek().kind != TokenKind::kEOF) {
      if (Peek().kind == TokenKind::kLeftDelim && PeekNonSpaceAt(1).kind == TokenKind::kKeyword &&
          PeekNonSpaceAt(1).text == "define") {
        Next();
        NextNonSpace();
        ARGUS_RETURN_IF_ERROR(ParseDefinition());
        continue;
      }
      ARGUS_ASSIGN_OR_RETURN(Item item, TextOrAction());
      if (item.end != Terminator::kNone) {
        return Error(item.end == Terminator::kEnd ? "unexpected {{end}}" : "unexpected {{else}}");
      }
      main->root.push_back(std::move(item.node));
    }
    ParseOutput out;
    out.main = std::move(main);
    out.defined = std::move(defined_);
    return out;
  }

 private:
  enum class Terminator { kNone, kEnd, kElse };
  struct Item {
    Node node;
    Terminator end = Terminator::kNone;
    bool else_continues = false;  // {{else if ...}} or {{else with ...}}
  };

  Status Error(std::string_view message) const {
    return Status::Errorf(Status::Code::kInvalidInput, "template: {}:{}: {}", name_,
                          tokens_[std::min(pos_, tokens_.size() - 1)].line, message);
  }
  Status Unexpected(const Token& t, std::string_view context) const {
    return Error(fmt::format("unexpected {} in {}", Describe(t), context));
  }

  const Token& Peek() const { return tokens_[pos_]; }
  const Token& Next() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  const Token& NextNonSpace() {
    while (Peek().kind == TokenKind::kSpace) Next();
    return Next();
  }
  const Token& PeekNonSpace() {
    while (Peek().kind == TokenKind::kSpace) Next();
    return Peek();
  }
  const Token& PeekNonSpaceAt(size_t offset) const {
    size_t i = pos_ + offset;
    while (i < tokens_.size() && tokens_[i].kind == TokenKind::kSpace) ++i;
    return tokens_[std::min(i, tokens_.size() - 1)];
  }

  Status Enter() {
    if (++depth_ > kMaxDepth) return Error("max expression depth exceeded");
    return Status::Ok();
  }

  Status ParseDefinition() {
    const Token& name = NextNonSpace();
    if (name.kind != TokenKind::kString) return Unexpected(name, "define clause");
    auto tree = std::make_shared<Tree>();
    tree->name = name.text;
    tree->parse_name = name_;
    if (NextNonSpace().kind != TokenKind::kRightDelim)
      return Unexpected(tokens_[pos_ - 1], "define clause");
    std::vector<std::string> saved_vars = std::move(vars_);
    vars_ = {"$"};
    ARGUS_ASSIGN_OR_RETURN(Terminator end, ItemList(&tree->root));
    if (end != Terminator::kEnd) return Error("unexpected {{else}}");
    vars_ = std::move(saved_vars);
    defined_.push_back(std::move(tree));
    return Status::Ok();
  }

  // Nodes up to {{end}} or {{else}}, which is returned.
  Result<Terminator> ItemList(std::vector<Node>* list) {
    while (PeekNonSpace().kind != TokenKind::kEOF) {
      ARGUS_ASSIGN_OR_RETURN(Item item, TextOrAction());
      if (item.end != Terminator::kNone) {
        else_continues_ = item.else_continues;
        return item.end;
      }
      list->push_back(std::move(item.node));
    }
    return Error("unexpected EOF");
  }

  Result<Item> TextOrAction() {
    const Token& t = NextNonSpace();
    Item item;
    item.node.line = t.line;
    item.node.col = t.col;
    if (t.kind == TokenKind::kText) {
      item.node.kind = Node::Kind::kText;
      item.node.text = t.text;
      return item;
    }
    if (t.kind != TokenKind::kLeftDelim) return Unexpected(t, "input");
    ARGUS_RETURN_IF_ERROR(Action(&item));
    return item;
  }

  Status Action(Item* item) {
    const Token& t = PeekNonSpace();
    Node& node = item->node;
    node.line = t.line;
    node.col = t.col;
    if (t.kind == TokenKind::kKeyword) {
      std::string keyword = Next().text;
      if (keyword == "if") return Control(Node::Kind::kIf, "if", &node);
      if (keyword == "range") return Control(Node::Kind::kRange, "range", &node);
      if (keyword == "with") return Control(Node::Kind::kWith, "with", &node);
      if (keyword == "template") return TemplateControl(&node);
      if (keyword == "block") return BlockControl(&node);
      if (keyword == "end") {
        item->end = Terminator::kEnd;
        return ExpectRightDelim("end");
      }
      if (keyword == "else") {
        item->end = Terminator::kElse;
        const Token& next = PeekNonSpace();
        if (next.kind == TokenKind::kKeyword && (next.text == "if" || next.text == "with")) {
          item->else_continues = true;
          return Status::Ok();
        }
        return ExpectRightDelim("else");
      }
      if (keyword == "break" || keyword == "continue") {
        if (range_depth_ == 0)
          return Error(fmt::format("{{{{{}}}}} outside {{{{range}}}}", keyword));
        node.kind = keyword == "break" ? Node::Kind::kBreak : Node::Kind::kContinue;
        return ExpectRightDelim(keyword);
      }
      if (keyword != "nil") return Unexpected(tokens_[pos_ - 1], "command");
      --pos_;
    }
    node.kind = Node::Kind::kAction;
    ARGUS_ASSIGN_OR_RETURN(node.pipe, ParsePipeline("command", TokenKind::kRightDelim));
    return Status::Ok();
  }

  Status ExpectRightDelim(std::string_view context) {
    const Token& t = NextNonSpace();
    if (t.kind != TokenKind::kRightDelim) return Unexpected(t, context);
    return Status::Ok();
  }

  Status Control(Node::Kind kind, std::string_view context, Node* node) {
    ARGUS_RETURN_IF_ERROR(Enter());
    size_t vars = vars_.size();
    node->kind = kind;
    ARGUS_ASSIGN_OR_RETURN(node->pipe, ParsePipeline(context, TokenKind::kRightDelim));
    if (kind == Node::Kind::kRange) ++range_depth_;
    ARGUS_ASSIGN_OR_RETURN(Terminator end, ItemList(&node->list));
    if (kind == Node::Kind::kRange) --range_depth_;
    if (end == Terminator::kElse) {
      if (else_continues_ && kind != Node::Kind::kRange) {
        // {{else if x}} is {{else}}{{if x}}...{{end}}, sharing the one {{end}}.
        const Token& keyword = Next();
        Node nested;
        nested.line = keyword.line;
        nested.col = keyword.col;
        Node::Kind nested_kind = keyword.text == "if" ? Node::Kind::kIf : Node::Kind::kWith;
        if (nested_kind != kind) return Unexpected(keyword, "else");
        ARGUS_RETURN_IF_ERROR(Control(nested_kind, keyword.text, &nested));
        node->else_list.push_back(std::move(nested));
      } else {
        if (else_continues_) return Unexpected(Peek(), "else");
        ARGUS_ASSIGN_OR_RETURN(end, ItemList(&node->else_list));
        if (end != Terminator::kEnd) return Error("expected end; found {{else}}");
      }
    }
    vars_.resize(vars);
    --depth_;
    return Status::Ok();
  }

  Status TemplateControl(Node* node) {
    node->kind = Node::Kind::kTemplate;
    const Token& name = NextNonSpace();
    if (name.kind != TokenKind::kString) return Unexpected(name, "template clause");
    node->text = name.text;
    if (PeekNonSpace().kind == TokenKind::kRightDelim) {
      Next();
      return Status::Ok();
    }
    ARGUS_ASSIGN_OR_RETURN(node->pipe, ParsePipeline("template clause", TokenKind::kRightDelim));
    return Status::Ok();
  }

  // {{block "name" pipeline}}body{{end}}: defines "name" and invokes it.
  Status BlockControl(Node* node) {
    ARGUS_RETURN_IF_ERROR(Enter());
    node->kind = Node::Kind::kTemplate;
    const Token& name = NextNonSpace();
    if (name.kind != TokenKind::kString) return Unexpected(name, "block clause");
    node->text = name.text;
    ARGUS_ASSIGN_OR_RETURN(node->pipe, ParsePipeline("block clause", TokenKind::kRightDelim));
    auto tree = std::make_shared<Tree>();
    tree->name = name.text;
    tree->parse_name = name_;
    std::vector<std::string> saved_vars = std::move(vars_);
    vars_ = {"$"};
    ARGUS_ASSIGN_OR_RETURN(Terminator end, ItemList(&tree->root));
    if (end != Terminator::kEnd) return Error("unexpected {{else}}");
    vars_ = std::move(saved_vars);
    defined_.push_back(std::move(tree));
    --depth_;
    return Status::Ok();
  }

  Result<std::shared_ptr<const Pipeline>> ParsePipeline(std::string_view context, TokenKind end) {
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

  Status Declarations(std::string_view context, Pipeline* pipe) {
    while (PeekNonSpace().kind == TokenKind::kVariable) {
      size_t start = pos_;
      std::string name = Next().text;
      bool space_after = Peek().kind == TokenKind::kSpace;
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
      (void)space_after;
      pos_ = start;
      return Status::Ok();
    }
    return Status::Ok();
  }

  bool IsDeclared(std::string_view name) const {
    return std::find(vars_.begin(), vars_.end(), name) != vars_.end();
  }

  Result<Command> ParseCommand() {
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

  Result<std::optional<Operand>> ParseOperand() {
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

  // The tokens from `start` to the current position, as written.
  std::string SourceText(size_t start) const {
    std::string text;
    for (size_t i = start; i < pos_; ++i) {
      const Token& t = tokens_[i];
      text += t.kind == TokenKind::kString ? fmt::format("\"{}\"", t.text) : t.text;
    }
    return text;
  }

  Result<std::optional<Operand>> ParseTerm() {
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

  std::string name_;
  std::vector<Token> tokens_;
  const FuncMap& funcs_;
  size_t pos_ = 0;
  std::vector<std::string> vars_ = {"$"};
  int range_depth_ = 0;
  int depth_ = 0;
  bool else_continues_ = false;
  std::vector<std::shared_ptr<const Tree>> defined_;
};

bool IsEmptyList(const std::vector<Node>& list) {
  return std::all_of(list.begin(), list.end(), [](const Node& node) {
    return node.kind == Node::Kind::kText &&
           node.text.find_first_not_of(" \t\r\n") == std::string::npos;
  });
}

}  // namespace

Result<ParseOutput> Parse(std::string_view name, std::string_view text, const FuncMap& funcs) {
  Result<std::vector<Token>> tokens = Lex(text);
  if (!tokens.ok()) {
    return Status::Errorf(Status::Code::kInvalidInput, "template: {}:{}", name,
                          tokens.status().message());
  }
  return Parser(name, std::move(*tokens), funcs).Run();
}

bool IsEmptyTree(const Tree& tree) { return IsEmptyList(tree.root); }

}  // namespace argus::tmpl::internal
