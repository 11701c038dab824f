// A compact, exact binary encoding of a report's expense lines, of a control result's line
// decisions and of a batch of findings, for the run-local spill file (src/job/spill_file.h): a
// run keeps its lines, decisions and findings there instead of in memory, and decodes them again
// when a partner is computed or a sheet written.
//
// Pure functions, no I/O. An encoding is meant to be read back by the same build within the same
// run: it is not a storage format between versions (the first byte names the kind and version
// all the same, so that a mix-up or a stale blob fails loudly instead of decoding to nonsense).
//
// Layout of one encoding (all integers LEB128 varints; signed ones zigzag-mapped first):
//   kind byte | string table: count, then each entry as length + bytes | record count | records.
// Values that repeat across a report (the file name, currency, unit-cost id, supplier and
// supplier id of a line; the file and typology of a decision; the file, rule id and field of a
// finding) are stored once in the table and referred to by index.
// A line's number, its physical line and its dates are stored as differences from the previous
// line's (consecutive lines differ by little), the invoice total as its difference from the
// declared amount (often equal). A decision's line number and physical line are stored the same
// way.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "model/control.h"
#include "model/diagnostic.h"
#include "model/report.h"

namespace cofin {

// Thrown when bytes read back from the spill are not exactly one valid encoding (truncated,
// trailing bytes, a value out of its range) or no longer match their checksum. The spill is a
// temporary file the run wrote itself: this is an environment failure (a damaged disk or file),
// never a finding about input data; main maps it, like any runtime_error, to exit 3.
class CorruptSpill : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Appends to `out` an encoding of `lines` (every field, including pos).
void encode_lines(const std::vector<ExpenseLine>& lines, std::string& out);

// The same encoding, given one line at a time: a reader hands each line over as it is parsed,
// without a vector of the report's lines. encode_lines is this, line after line.
class LineEncoder {
 public:
  LineEncoder();
  ~LineEncoder();
  LineEncoder(LineEncoder&&) noexcept;
  LineEncoder& operator=(LineEncoder&&) noexcept;

  // Makes room for about `lines` lines; optional.
  void reserve(std::size_t lines);
  // Encodes `line` (copied: it may change or go once the call returns).
  void add(const ExpenseLine& line);
  // Returns the number of lines added since the last finish().
  std::size_t count() const;
  // Appends to `out` the encoding of the lines added since the last finish(), exactly what
  // encode_lines would append for them, and starts a new encoding.
  void finish(std::string& out);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Returns exactly the lines that encode_lines encoded into `bytes`.
// Throws CorruptSpill when `bytes` is not exactly one encoding of lines.
std::vector<ExpenseLine> decode_lines(std::string_view bytes);

// Sets `lines` to decode_lines(bytes), reusing the lines `lines` already holds: their strings
// keep their capacity, so that decoding report after report into one vector allocates for the
// first reports only.
// Throws CorruptSpill as decode_lines does; `lines` is then unspecified.
void decode_lines_into(std::string_view bytes, std::vector<ExpenseLine>& lines);

// Appends to `out` an encoding of a control result's `decisions` (every field, including pos).
void encode_decisions(const std::vector<LineDecision>& decisions, std::string& out);

// Returns exactly the decisions that encode_decisions encoded into `bytes`.
// Throws CorruptSpill when `bytes` is not exactly one encoding of decisions.
std::vector<LineDecision> decode_decisions(std::string_view bytes);

// Appends to `out` an encoding of `diagnostics` (every field).
void encode_diagnostics(const std::vector<Diagnostic>& diagnostics, std::string& out);

// Returns exactly the diagnostics that encode_diagnostics encoded into `bytes`.
// Throws CorruptSpill when `bytes` is not exactly one encoding of diagnostics.
std::vector<Diagnostic> decode_diagnostics(std::string_view bytes);

}  // namespace cofin
