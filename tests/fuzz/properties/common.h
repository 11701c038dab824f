// What every fuzz target checks besides "no crash, no leak, no undefined behaviour": the
// properties of a reader's result that hold for any input. A property is a pure function of the
// input that returns a Violation; the libFuzzer entry aborts on one (so it becomes a crash with a
// reproducer), the Catch2 replay test reports it as a failure.
//
// Header-only on purpose: the same code runs in the clang libFuzzer build (tests/fuzz/entry.cpp)
// and in the default g++ test suite (tests/hostile/fuzz_replay_test.cpp), which compiles only
// *_test.cpp files.
#pragma once

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "model/diagnostic.h"

namespace cofin::fuzz {

// A violated property, in words; empty when every property held.
using Violation = std::string;

// Returns the rule ids documented in docs/rule-ids.md (every "| `ID` |" table row).
// A reader that emits an id missing there breaks the "stable, documented rule id" contract.
inline const std::set<std::string>& documented_rule_ids() {
  static const std::set<std::string> ids = [] {
    std::set<std::string> out;
    std::ifstream in(std::string(COFIN_SOURCE_DIR) + "/docs/rule-ids.md");
    for (std::string line; std::getline(in, line);) {
      if (!line.starts_with("| `")) continue;
      const auto end = line.find('`', 3);
      if (end != std::string::npos) out.insert(line.substr(3, end - 3));
    }
    return out;
  }();
  return ids;
}

// Returns a violation when the diagnostics of one read break the reading contract:
// `accepted` (a value was returned) exactly when no error was added; every diagnostic carries a
// documented rule id, a message, and a non-negative position; formatting it works.
inline Violation check_diagnostics(const Diagnostics& diags, bool accepted) {
  if (accepted && diags.has_errors()) {
    return "a value was returned although an error was reported: " +
           format_diagnostic(diags.items().front());
  }
  if (!accepted && !diags.has_errors()) return "rejected without any error diagnostic";
  const auto& ids = documented_rule_ids();
  for (const Diagnostic& d : diags.items()) {
    if (!ids.empty() && !ids.contains(d.rule_id)) {
      return "undocumented rule id '" + d.rule_id + "' in: " + format_diagnostic(d);
    }
    if (d.message.empty()) return "empty message for " + d.rule_id;
    if (d.line < 0 || d.column < 0) return "negative position in: " + format_diagnostic(d);
    if (format_diagnostic(d).empty()) return "empty formatted diagnostic";
  }
  return {};
}

}  // namespace cofin::fuzz
