#pragma once

// The parser's state (internal to src/tmpl): parser.cc reads templates, definitions and control
// structures; parser_pipeline.cc reads pipelines, commands and operands.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "tmpl/lexer.h"
#include "tmpl/parser.h"
#include "tmpl/tree.h"
#include "tmpl/value.h"

namespace argus::tmpl::internal {

// Parses the tokens of one text. Not thread-safe; one per Parse. Borrows `funcs`.
class Parser {
 public:
  Parser(std::string_view name, std::vector<Token> tokens, const FuncMap& funcs)
      : name_(name), tokens_(std::move(tokens)), funcs_(funcs) {}

  Result<ParseOutput> Run();

 private:
  enum class Terminator { kNone, kEnd, kElse };
  struct Item {
    Node node;
    Terminator end = Terminator::kNone;
    bool else_continues = false;  // {{else if ...}} or {{else with ...}}
  };
  Status Error(std::string_view message) const;
  Status Unexpected(const Token& t, std::string_view context) const;

  const Token& Peek() const { return tokens_[pos_]; }
  const Token& Next();
  const Token& NextNonSpace();
  const Token& PeekNonSpace();
  const Token& PeekNonSpaceAt(size_t offset) const;
  Status Enter();
  Status ParseDefinition();

  // Nodes up to {{end}} or {{else}}, which is returned.
  Result<Terminator> ItemList(std::vector<Node>* list);

  Result<Item> TextOrAction();
  Status Action(Item* item);
  Status ExpectRightDelim(std::string_view context);
  Status Control(Node::Kind kind, std::string_view context, Node* node);
  Status TemplateControl(Node* node);

  // {{block "name" pipeline}}body{{end}}: defines "name" and invokes it.
  Status BlockControl(Node* node);

  Result<std::shared_ptr<const Pipeline>> ParsePipeline(std::string_view context, TokenKind end);
  Status Declarations(std::string_view context, Pipeline* pipe);
  bool IsDeclared(std::string_view name) const;

  Result<Command> ParseCommand();

  Result<std::optional<Operand>> ParseOperand();

  // The tokens from `start` to the current position, as written.
  std::string SourceText(size_t start) const;

  Result<std::optional<Operand>> ParseTerm();
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

}  // namespace argus::tmpl::internal
