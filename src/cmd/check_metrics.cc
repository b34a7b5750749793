// `argus check metrics`: parses an exposition document and, in the text format, lints it as
// `promtool check metrics` does.

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "cmd/check.h"
#include "textparse/lex.h"
#include "textparse/lint.h"
#include "textparse/parser.h"

namespace argus::cmd {
namespace {

// promtool's exit codes: 1 when the document cannot be read or parsed, 3 when it breaks a lint
// rule.
constexpr int kFailure = 1;
constexpr int kLintProblems = 3;

// Reads the document at `path` (standard input when empty) into *document.
Status ReadDocument(const std::string& path, std::string* document) {
  if (path.empty()) {
    document->assign(std::istreambuf_iterator<char>(std::cin), {});
    return std::cin.bad() ? Status::Error(std::strerror(errno), Status::Code::kIOError)
                          : Status::Ok();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(std::strerror(errno), Status::Code::kIOError);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::Error(std::strerror(EISDIR), Status::Code::kIOError);
  }
  document->assign(std::istreambuf_iterator<char>(in), {});
  if (in.bad()) return Status::Error(std::strerror(errno), Status::Code::kIOError);
  return Status::Ok();
}

// Prints why `document` does not parse: the parser's error and, for binary input, where it stops
// being text.
void PrintParseError(const std::string& source, std::string_view document, const Status& error) {
  std::fprintf(stderr, "%s:%s\n", source.c_str(), error.message().c_str());
  auto binary = textparse::FirstBinaryByte(document);
  if (!binary) return;
  textparse::Position p = textparse::PositionOf(document, *binary);
  std::fprintf(stderr,
               "%s:%zu:%zu: the input is binary, not text (byte 0x%02x); the protobuf exposition "
               "format is not read\n",
               source.c_str(), p.line, p.column, static_cast<unsigned char>(document[*binary]));
}

}  // namespace

int CheckMetrics(const std::string& format, const std::string& path) {
  const std::string source = path.empty() ? "stdin" : path;
  std::string document;
  Status read = ReadDocument(path, &document);
  if (!read.ok()) {
    std::fprintf(stderr, "%s: cannot read: %s\n", source.c_str(), read.message().c_str());
    return kFailure;
  }
  if (format == "openmetrics") {
    Status valid = textparse::Validate(textparse::Format::kOpenMetrics, document);
    if (!valid.ok()) {
      PrintParseError(source, document, valid);
      return kFailure;
    }
  } else {
    auto families = textparse::ReadMetricFamilies(document);
    if (!families.ok()) {
      PrintParseError(source, document, families.status());
      return kFailure;
    }
    auto problems = textparse::Lint(*families);
    for (const textparse::LintProblem& p : problems) {
      std::fprintf(stderr, "%s %s\n", p.metric.c_str(), p.text.c_str());
    }
    if (!problems.empty()) return kLintProblems;
  }
  std::printf("SUCCESS: %s is valid\n", source.c_str());
  return 0;
}

}  // namespace argus::cmd
