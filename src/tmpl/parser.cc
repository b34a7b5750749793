#include "tmpl/parser.h"

#include <absl/strings/ascii.h>

#include <algorithm>
#include <optional>

#include "tmpl/lexer.h"
#include "tmpl/literal.h"
#include "tmpl/parser_state.h"

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

}  // namespace

Result<ParseOutput> Parser::Run() {
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

Status Parser::Error(std::string_view message) const {
  return Status::Errorf(Status::Code::kInvalidInput, "template: {}:{}: {}", name_,
                        tokens_[std::min(pos_, tokens_.size() - 1)].line, message);
}

Status Parser::Unexpected(const Token& t, std::string_view context) const {
  return Error(fmt::format("unexpected {} in {}", Describe(t), context));
}

const Token& Parser::Next() {
  const Token& t = tokens_[pos_];
  if (pos_ + 1 < tokens_.size()) ++pos_;
  return t;
}

const Token& Parser::NextNonSpace() {
  while (Peek().kind == TokenKind::kSpace) Next();
  return Next();
}

const Token& Parser::PeekNonSpace() {
  while (Peek().kind == TokenKind::kSpace) Next();
  return Peek();
}

const Token& Parser::PeekNonSpaceAt(size_t offset) const {
  size_t i = pos_ + offset;
  while (i < tokens_.size() && tokens_[i].kind == TokenKind::kSpace) ++i;
  return tokens_[std::min(i, tokens_.size() - 1)];
}

Status Parser::Enter() {
  if (++depth_ > kMaxDepth) return Error("max expression depth exceeded");
  return Status::Ok();
}

Status Parser::ParseDefinition() {
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

Result<Parser::Terminator> Parser::ItemList(std::vector<Node>* list) {
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

Result<Parser::Item> Parser::TextOrAction() {
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

Status Parser::Action(Item* item) {
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
      if (range_depth_ == 0) return Error(fmt::format("{{{{{}}}}} outside {{{{range}}}}", keyword));
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

Status Parser::ExpectRightDelim(std::string_view context) {
  const Token& t = NextNonSpace();
  if (t.kind != TokenKind::kRightDelim) return Unexpected(t, context);
  return Status::Ok();
}

Status Parser::Control(Node::Kind kind, std::string_view context, Node* node) {
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

Status Parser::TemplateControl(Node* node) {
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

Status Parser::BlockControl(Node* node) {
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
namespace {

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
