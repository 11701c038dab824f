// Diagnostics: findings about input data, collected while a run goes on (as ledger's parser
// collects errors). A program or environment failure is an exception instead.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "money/money.h"

namespace cofin {

enum class Severity { kError, kWarning, kInfo };

// Returns "error", "warning" or "info".
std::string_view severity_name(Severity s);

struct Diagnostic {
  Severity severity = Severity::kError;
  // Stable id, e.g. "VALUE-AMOUNT", "XML-SCHEMA", "ELIG-PERIOD". See docs/rule-ids.md.
  std::string rule_id;
  std::string file;
  int line = 0;                 // physical line where the record starts; 0 = whole file
  int column = 0;               // 0 = unknown
  std::string field;            // the offending field, when there is one
  std::string message;          // names the field and quotes the offending text
  std::optional<Money> amount;  // amount affected, for eligibility findings
  int line_no = 0;              // the report's line number the finding is about, 0 = none
};

// Returns `FILE:LINE[:COL]: SEVERITY RULE-ID: message` (LINE omitted when 0).
std::string format_diagnostic(const Diagnostic& d);

// Returns `text` quoted for a message: at most 60 characters, control characters escaped.
std::string quote(std::string_view text);

class Diagnostics {
 public:
  void add(Diagnostic d) {
    if (d.severity == Severity::kError) ++errors_;
    items_.push_back(std::move(d));
  }
  // Convenience: an error at file:line:column.
  void error(std::string rule_id, std::string file, int line, int column, std::string field,
             std::string message);
  void warning(std::string rule_id, std::string file, int line, int column, std::string field,
               std::string message);

  bool has_errors() const { return errors_ > 0; }
  std::size_t error_count() const { return errors_; }
  const std::vector<Diagnostic>& items() const { return items_; }
  std::vector<Diagnostic>& mutable_items() { return items_; }
  // Appends all of `other`'s items.
  void append(const Diagnostics& other);

 private:
  std::vector<Diagnostic> items_;
  std::size_t errors_ = 0;
};

}  // namespace cofin
