#pragma once

// The parse tree of a template (internal to src/tmpl), shaped like Go's text/template/parse
// nodes. The parser builds it, the executor walks it; a Tree is immutable once built and shared
// by every template set that holds it.

#include <memory>
#include <string>
#include <vector>

#include "tmpl/value.h"

namespace argus::tmpl::internal {

struct Pipeline;

struct Operand {
  enum class Kind {
    kField,     // .A.B: `names` = {A, B}
    kVariable,  // $x.A.B: `names` = {$x, A, B}
    kDot,
    kNil,
    kConstant,  // a bool, number or string: `constant`
    kFunction,  // `names` = {name}
    kPipeline,  // (pipeline)
    kChain,     // (pipeline).A.B: `pipe`, `names` = {A, B}
  };
  Kind kind = Kind::kDot;
  std::vector<std::string> names;
  Value constant;
  std::shared_ptr<const Pipeline> pipe;
  std::string text;  // As written, for error messages.
  int line = 0;
  int col = 0;
};

struct Command {
  std::vector<Operand> args;  // The first is what is invoked; never empty.
  std::string text;           // The operands as written, for error messages.
};

struct Pipeline {
  bool is_assign = false;          // `=` rather than `:=`.
  std::vector<std::string> decls;  // Variables declared or assigned, with their `$`.
  std::vector<Command> commands;   // Never empty.
};

struct Node {
  enum class Kind { kText, kAction, kIf, kRange, kWith, kTemplate, kBreak, kContinue };
  Kind kind = Kind::kText;
  std::string text;                      // kText: the text; kTemplate: the name to invoke.
  std::shared_ptr<const Pipeline> pipe;  // kAction, kIf, kRange, kWith; kTemplate when given.
  std::vector<Node> list;                // kIf, kRange, kWith: the body.
  std::vector<Node> else_list;           // kIf, kRange, kWith: after {{else}}.
  int line = 0;
  int col = 0;
};

struct Tree {
  std::string name;        // The name it is defined (or parsed) as.
  std::string parse_name;  // The template text it comes from, for error messages.
  std::vector<Node> root;
};

}  // namespace argus::tmpl::internal
