// CSV reader: an RFC 4180 state machine over UTF-8 text, as Baltic Excel writes it (`;` or `,`
// delimiter, optional `sep=;` first line, CRLF, quoted fields with embedded newlines). It knows
// nothing of column meanings; csv_report.h and csv_rates.h give them.
// Leniencies, each matching what Excel itself reads: a `"` inside an unquoted field is kept as a
// literal character; a lone CR (not before LF) is data. A field's text is never trimmed here.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/diagnostic.h"

namespace cofin {

// Excel's limit for one cell, in UTF-16 code units (VALUE-TOO-LONG beyond it).
inline constexpr std::size_t kMaxFieldChars = 32'767;

struct CsvField {
  // The field's value: quotes removed, `""` unescaped, embedded newlines kept as written.
  // Points into the reader's input or into the record's own buffer.
  std::string_view text;
  std::size_t offset = 0;      // byte offset of the field's first byte (its quote, if quoted)
  std::size_t line_start = 0;  // byte offset where the field's physical line starts
  int line = 0;                // physical line (1-based) where the field starts
  bool quoted = false;
};

struct CsvRecord {
  int line = 0;  // physical line (1-based) where the record starts
  std::vector<CsvField> fields;
  // False when the record's quoting is broken (CSV-QUOTE was reported): its fields are a best
  // effort and should not be interpreted further.
  bool ok = true;
  // The reader's input, which the offsets refer to.
  std::string_view input;
  // Unescaped text of quoted fields with `""`; reused from record to record.
  std::string buffer;

  // Returns the 1-based character (code point) column where field `i` starts on its line.
  // Computed on demand: only diagnostics need it, and ASCII-only lines cost nothing.
  // REQUIRES: i < fields.size().
  int column(std::size_t i) const;
  // Returns true when every field is empty (a blank line, or a row of bare delimiters as Excel
  // writes for formatted but empty rows).
  bool blank() const;
};

class CsvReader {
 public:
  // The most errors (CSV-QUOTE, VALUE-TOO-LONG) one record reports; the rest are not reported.
  static constexpr int kMaxErrorsPerRecord = 4;

  // Reads `utf8`, the whole decoded file. A leading UTF-8 BOM is skipped; a first line `sep=;`
  // or `sep=,` (Excel's hint) sets the delimiter and is skipped; otherwise the delimiter is the
  // one of `,` and `;` that occurs more often outside quotes on the first line (`,` if neither).
  // Errors (CSV-QUOTE, VALUE-TOO-LONG) go to `diags`, naming `file`.
  // REQUIRES: `utf8` and `diags` outlive the reader and the records it fills.
  CsvReader(std::string file, std::string_view utf8, Diagnostics& diags);

  char delimiter() const { return delimiter_; }
  // Returns true when the input had a `sep=` line.
  bool had_sep_line() const { return had_sep_line_; }

  // Names the columns (from the header) so that VALUE-TOO-LONG names the field; optional.
  void set_field_names(std::vector<std::string> names) { names_ = std::move(names); }

  // Reads the next record into `record` (reusing its storage). Returns false at the end of the
  // input. Blank lines at the end of the input are skipped; a blank line followed by more data
  // is returned as a record with one empty field.
  bool next(CsvRecord& record);

 private:
  // Reads the quoted field number `index` (0-based) of `record` into `field`.
  void read_quoted(CsvRecord& record, std::size_t index, CsvField& field, bool& in_buffer,
                   std::size_t& buf_off);
  void check_length(const CsvRecord& record, std::size_t index);
  // Adds an error for the current record, unless it has reported kMaxErrorsPerRecord already.
  void report(const char* rule_id, int line, int column, std::string field, std::string message);
  void newline_at(std::size_t pos);
  void init_stops();
  // Returns the stop bytes (delimiter or LF) of the 64 input bytes at `block`, one bit each
  // (bit k: byte block + k; none for bytes past the input's end). next() takes the fields' ends
  // from these bits one by one, lowest first: each block is compared once, whatever the fields'
  // lengths, and most fields cost a count of trailing zeros.
  // REQUIRES: block < the input's size.
  std::uint64_t block_stops(std::size_t block) const;
  // Returns the column name of field `index` (0-based; empty if unknown) and a label for
  // messages: the name, or "field N" when there is none.
  std::pair<std::string, std::string> field_label(std::size_t index) const;

  std::string file_;
  std::string_view in_;
  Diagnostics& diags_;
  std::vector<std::string> names_;
  char delimiter_ = ',';
  bool had_sep_line_ = false;
  std::size_t pos_ = 0;
  int line_ = 1;                // physical line at pos_
  std::size_t line_start_ = 0;  // byte offset where the physical line at pos_ starts
  std::size_t blank_end_ = 0;   // end of the last run of blank lines already looked over
  bool stop_[256] = {};         // bytes that end an unquoted field: the delimiter and LF
  // block_stops(stops_block_), kept from record to record (a block holds parts of two or three).
  std::size_t stops_block_ = static_cast<std::size_t>(-1);
  std::uint64_t stops_ = 0;
  struct Fixup {
    std::size_t index, offset, length;
  };
  std::vector<Fixup> fixups_;  // fields whose text lives in the record's buffer
  int record_errors_ = 0;      // errors reported for the record being read
};

// What a CSV file holds, judged from its header.
enum class CsvKind { kReport, kRates, kUnknown };

// Returns the kind of the CSV text `utf8` from its header line (after any BOM and `sep=` line):
// kRates when the columns are currency, year, month, units_per_eur (any order, surrounding
// spaces ignored); kReport when the header has the report's key columns (project, partner,
// report, line, declared), so that a report missing some other column is still read as one and
// gets CSV-COLUMN-MISSING rather than READ-KIND; kUnknown otherwise.
CsvKind detect_csv_kind(std::string_view utf8);

// Returns the position of each column of `expected` in `header` (in the order of `expected`), or
// nullopt after adding every CSV-COLUMN-UNKNOWN, CSV-COLUMN-DUPLICATE and CSV-COLUMN-MISSING
// error to `diags`: the first expected.size() + 8 unknown or repeated columns one by one, the
// rest counted in one more CSV-COLUMN-UNKNOWN. Header names are compared exactly after trimming
// surrounding spaces; `layout` names the file kind in messages ("report", "exchange-rate").
std::optional<std::vector<std::size_t>> map_columns(const std::string& file,
                                                    const CsvRecord& header,
                                                    std::span<const std::string_view> expected,
                                                    std::string_view layout, Diagnostics& diags);

// Returns `s` without surrounding ASCII spaces and tabs. Inline: it runs on most fields.
inline std::string_view trim_spaces(std::string_view s) {
  // Most fields start and end with a byte above ' ' (a tab is below it): nothing to trim.
  if (s.empty() ||
      (static_cast<unsigned char>(s.front()) > ' ' && static_cast<unsigned char>(s.back()) > ' ')) {
    return s;
  }
  std::size_t begin = 0, end = s.size();
  while (begin < end && (s[begin] == ' ' || s[begin] == '\t')) ++begin;
  while (end > begin && (s[end - 1] == ' ' || s[end - 1] == '\t')) --end;
  return s.substr(begin, end - begin);
}

}  // namespace cofin
