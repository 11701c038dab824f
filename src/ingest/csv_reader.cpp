#include "ingest/csv_reader.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cofin {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Returns the 1-based code-point column of byte `offset` on the line starting at `line_start`.
int column_of(std::string_view input, std::size_t line_start, std::size_t offset) {
  int column = 1;
  for (std::size_t k = line_start; k < offset && k < input.size(); ++k) {
    if ((static_cast<unsigned char>(input[k]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

// Returns the length of `text` in UTF-16 code units, the unit of Excel's cell limit: one per
// code point, two for those above U+FFFF (4-byte UTF-8 sequences).
std::size_t utf16_length(std::string_view text) {
  std::size_t units = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) units += c >= 0xF0 ? 2 : 1;
  }
  return units;
}

bool is_line_break_at(std::string_view in, std::size_t p) {
  return in[p] == '\n' || (in[p] == '\r' && (p + 1 == in.size() || in[p + 1] == '\n'));
}

}  // namespace

int CsvRecord::column(std::size_t i) const {
  return column_of(input, fields[i].line_start, fields[i].offset);
}

bool CsvRecord::blank() const {
  return std::all_of(fields.begin(), fields.end(),
                     [](const CsvField& f) { return f.text.empty(); });
}

CsvReader::CsvReader(std::string file, std::string_view utf8, Diagnostics& diags)
    : file_(std::move(file)), in_(utf8), diags_(diags) {
  if (in_.substr(0, kBom.size()) == kBom) pos_ = line_start_ = kBom.size();
  // Excel's `sep=;` hint line.
  const std::size_t eol = std::min(in_.find('\n', pos_), in_.size());
  std::string_view first = in_.substr(pos_, eol - pos_);
  if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
  if (first.size() >= 2 && first.front() == '"' && first.back() == '"') {
    first = first.substr(1, first.size() - 2);
  }
  if (first == "sep=;" || first == "sep=,") {
    delimiter_ = first.back();
    had_sep_line_ = true;
    init_stops();
    if (eol < in_.size()) {
      pos_ = eol + 1;
      line_ = 2;
      line_start_ = pos_;
    } else {
      pos_ = in_.size();
    }
    return;
  }
  // The header line decides: count both candidates outside quotes.
  std::size_t commas = 0, semicolons = 0;
  bool quoted = false;
  for (std::size_t k = pos_; k < in_.size(); ++k) {
    const char c = in_[k];
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted) {
      if (c == '\n') break;
      commas += c == ',';
      semicolons += c == ';';
    }
  }
  delimiter_ = semicolons > commas ? ';' : ',';
  init_stops();
}

void CsvReader::init_stops() {
  stop_[static_cast<unsigned char>(delimiter_)] = true;
  stop_[static_cast<unsigned char>('\n')] = true;
}

std::uint64_t CsvReader::block_stops(std::size_t block) const {
  const char* at = in_.data() + block;
  if (block + 64 > in_.size()) [[unlikely]] {  // the last, partial block: byte by byte
    std::uint64_t stops = 0;
    for (std::size_t k = 0; block + k < in_.size(); ++k) {
      stops |= static_cast<std::uint64_t>(stop_[static_cast<unsigned char>(at[k])]) << k;
    }
    return stops;
  }
#if defined(__SSE2__)
  // Four 16-byte compares against the delimiter and LF, one mask bit a byte (SSE2 is part of
  // x86-64 itself).
  const __m128i delimiter = _mm_set1_epi8(delimiter_);
  const __m128i newline = _mm_set1_epi8('\n');
  std::uint64_t stops = 0;
  for (int k = 0; k < 4; ++k) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at + 16 * k));
    const __m128i hit =
        _mm_or_si128(_mm_cmpeq_epi8(bytes, delimiter), _mm_cmpeq_epi8(bytes, newline));
    stops |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(hit)))
             << (16 * k);
  }
#else
  std::uint64_t stops = 0;
  for (std::size_t k = 0; k < 64; ++k) {
    stops |= static_cast<std::uint64_t>(stop_[static_cast<unsigned char>(at[k])]) << k;
  }
#endif
  return stops;
}

std::pair<std::string, std::string> CsvReader::field_label(std::size_t index) const {
  if (index < names_.size() && !names_[index].empty()) return {names_[index], names_[index]};
  return {"", "field " + std::to_string(index + 1)};
}

void CsvReader::report(const char* rule_id, int line, int column, std::string field,
                       std::string message) {
  // One broken record is one mistake: a line of a thousand bad fields must not flood the
  // output (the file is rejected anyway, and its first errors say why).
  if (record_errors_++ >= kMaxErrorsPerRecord) return;
  diags_.error(rule_id, file_, line, column, std::move(field), std::move(message));
}

void CsvReader::newline_at(std::size_t pos) {
  ++line_;
  line_start_ = pos + 1;
}

void CsvReader::read_quoted(CsvRecord& record, std::size_t index, CsvField& field, bool& in_buffer,
                            std::size_t& buf_off) {
  const std::size_t n = in_.size();
  const char* data = in_.data();
  ++pos_;  // the opening quote
  std::size_t seg = pos_;
  in_buffer = false;
  for (;;) {
    const void* q = std::memchr(data + pos_, '"', n - pos_);
    const std::size_t qpos = q ? static_cast<std::size_t>(static_cast<const char*>(q) - data) : n;
    // Embedded newlines still count as physical lines: later records must report true lines.
    for (const void* nl = std::memchr(data + pos_, '\n', qpos - pos_); nl != nullptr;
         nl = std::memchr(data + pos_, '\n', qpos - pos_)) {
      const auto at = static_cast<std::size_t>(static_cast<const char*>(nl) - data);
      newline_at(at);
      pos_ = at + 1;
    }
    if (q == nullptr) {
      report("CSV-QUOTE", record.line, column_of(in_, field.line_start, field.offset),
             field_label(index).first,
             field_label(index).second +
                 ": the quote opened here is not closed before the end of the file");
      record.ok = false;
      if (in_buffer) {
        record.buffer.append(data + seg, n - seg);
      } else {
        field.text = in_.substr(seg, n - seg);
      }
      pos_ = n;
      return;
    }
    if (qpos + 1 < n && data[qpos + 1] == '"') {  // `""`: one literal quote
      if (!in_buffer) {
        in_buffer = true;
        buf_off = record.buffer.size();
      }
      record.buffer.append(data + seg, qpos + 1 - seg);
      pos_ = qpos + 2;
      seg = pos_;
      continue;
    }
    if (in_buffer) {
      record.buffer.append(data + seg, qpos - seg);
    } else {
      field.text = in_.substr(seg, qpos - seg);
    }
    pos_ = qpos + 1;
    break;
  }
  if (pos_ < n && in_[pos_] == '\r' && (pos_ + 1 == n || in_[pos_ + 1] == '\n')) ++pos_;
  if (pos_ < n && in_[pos_] != delimiter_ && in_[pos_] != '\n') {
    std::size_t end = pos_;
    while (end < n && in_[end] != delimiter_ && in_[end] != '\n') ++end;
    std::string_view stray = in_.substr(pos_, end - pos_);
    if (!stray.empty() && stray.back() == '\r') stray.remove_suffix(1);
    report("CSV-QUOTE", record.line, column_of(in_, field.line_start, field.offset),
           field_label(index).first,
           field_label(index).second + ": text after the closing quote: " + quote(stray) +
               " (a quote inside a quoted field is written \"\")");
    record.ok = false;
    pos_ = end;
  }
}

void CsvReader::check_length(const CsvRecord& record, std::size_t index) {
  const std::string_view text = record.fields[index].text;
  const std::size_t units = utf16_length(text);
  if (units <= kMaxFieldChars) return;
  auto [name, label] = field_label(index);
  report("VALUE-TOO-LONG", record.line, record.column(index), std::move(name),
         label + ": " + quote(text) + " is " + std::to_string(units) +
             " characters long; at most 32,767 (an Excel cell's limit)");
}

bool CsvReader::next(CsvRecord& record) {
  record.buffer.clear();
  record.ok = true;
  record.input = in_;
  record_errors_ = 0;
  const std::size_t n = in_.size();
  if (pos_ >= n) {
    record.fields.clear();
    return false;
  }
  if (is_line_break_at(in_, pos_)) {
    // A blank line: look over the whole blank run once; at the end of the input it is ignored.
    if (pos_ >= blank_end_) {
      blank_end_ = pos_;
      while (blank_end_ < n && (in_[blank_end_] == '\r' || in_[blank_end_] == '\n')) ++blank_end_;
    }
    if (blank_end_ == n) {
      pos_ = n;
      record.fields.clear();
      return false;
    }
  }
  record.line = line_;
  fixups_.clear();
  const char* data = in_.data();
  // Fields are written in place over the previous record's (no temporary per field); the
  // vector is cut to this record's count at the end. The position, the physical line and the
  // block of stop bits live in locals while the unquoted fields are read: stores into `fields`
  // could otherwise alias the members, and the compiler reloaded them after each one.
  std::vector<CsvField>& fields = record.fields;
  CsvField* field_at = fields.data();  // the next field to fill
  CsvField* fields_end = field_at + fields.size();
  const std::size_t record_start = pos_;
  std::size_t pos = pos_;
  int line = line_;
  std::size_t line_start = line_start_;
  // The stop bits of the block holding `pos` (all of them, for a new start within the block)
  // and those at or after `pos` not yet taken: an unquoted field ends at the lowest of these.
  std::size_t block = stops_block_;
  std::uint64_t stops = stops_;
  std::uint64_t ahead = 0;
  // Points the stop bits at `at`: at the record's start, and after a quoted field.
  auto resume_at = [&](std::size_t at) {
    const std::size_t at_block = at & ~static_cast<std::size_t>(63);
    if (at_block != block) {
      block = at_block;
      stops = at_block < n ? block_stops(at_block) : 0;
    }
    ahead = stops & (~std::uint64_t{0} << (at - at_block));
  };
  resume_at(pos);
  const char delimiter = delimiter_;
  for (;;) {
    if (field_at == fields_end) [[unlikely]] {
      const std::size_t filled = fields.size();
      fields.emplace_back();
      field_at = fields.data() + filled;
      fields_end = field_at + 1;
    }
    CsvField& field = *field_at++;
    field.offset = pos;
    field.line = line;
    field.line_start = line_start;
    if (pos < n && data[pos] == '"') [[unlikely]] {
      field.quoted = true;
      bool in_buffer = false;
      std::size_t buf_off = 0;
      pos_ = pos;
      const std::size_t index = static_cast<std::size_t>(field_at - 1 - fields.data());
      read_quoted(record, index, field, in_buffer, buf_off);
      pos = pos_;
      line = line_;  // embedded newlines moved them on
      line_start = line_start_;
      if (in_buffer) fixups_.push_back({index, buf_off, record.buffer.size() - buf_off});
      if (pos >= n) break;
      resume_at(pos);
      if (data[pos] == delimiter) {
        ++pos;
        ahead &= ahead - 1;  // the delimiter's bit
        continue;
      }
    } else {
      field.quoted = false;
      // The first stop byte (delimiter or LF) at or after pos, or the end of the input: from the
      // stop bits of the block holding it; the last, partial block byte by byte.
      std::size_t stop = n;
      bool in_input = false;
      for (;;) {
        if (ahead != 0) [[likely]] {
          stop = block + static_cast<std::size_t>(std::countr_zero(ahead));
          ahead &= ahead - 1;
          in_input = true;
          break;
        }
        if (block + 64 >= n) break;
        block += 64;
        stops = block_stops(block);
        ahead = stops;
      }
      if (in_input && data[stop] == delimiter) [[likely]] {
        field.text = std::string_view(data + pos, stop - pos);
        pos = stop + 1;
        continue;
      }
      // The field ends the record (LF or the end of the input): a CR before the LF is not data.
      std::size_t end = stop;
      if (end > pos && data[end - 1] == '\r') --end;
      field.text = std::string_view(data + pos, end - pos);
      pos = stop;
      if (pos >= n) break;
    }
    // data[pos] == '\n'
    ++line;
    line_start = pos + 1;
    ++pos;
    break;
  }
  line_ = line;
  line_start_ = line_start;
  stops_block_ = block;
  stops_ = stops;
  pos_ = pos;
  const auto count = static_cast<std::size_t>(field_at - fields.data());
  fields.resize(count);
  for (const Fixup& f : fixups_) {
    fields[f.index].text = std::string_view(record.buffer).substr(f.offset, f.length);
  }
  // A field's text is never longer than the input it spans, nor that longer than the record's.
  if (pos - record_start > kMaxFieldChars) {
    for (std::size_t i = 0; i < count; ++i) {
      // Bytes >= UTF-16 units: only a field this long can be too long.
      if (fields[i].text.size() > kMaxFieldChars) check_length(record, i);
    }
  }
  return true;
}

std::optional<std::vector<std::size_t>> map_columns(const std::string& file,
                                                    const CsvRecord& header,
                                                    std::span<const std::string_view> expected,
                                                    std::string_view layout, Diagnostics& diags) {
  constexpr std::size_t kAbsent = static_cast<std::size_t>(-1);
  std::vector<std::size_t> position(expected.size(), kAbsent);
  bool ok = header.ok;
  // A data row taken for the header (a file with CR-only line ends, a fuzzed file) would
  // otherwise give one error per field, without bound: name the first ones, count the rest.
  const std::size_t max_named = expected.size() + 8;
  std::size_t named = 0, unnamed = 0;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string_view name = trim_spaces(header.fields[i].text);
    const auto it = std::find(expected.begin(), expected.end(), name);
    const bool duplicate = it != expected.end() &&
                           position[static_cast<std::size_t>(it - expected.begin())] != kAbsent;
    if ((it == expected.end() || duplicate) && named >= max_named) {
      ++unnamed;
      ok = false;
      continue;
    }
    if (it == expected.end()) {
      ++named;
      std::string message =
          "column " + quote(name) + " is not one of the " + std::string(layout) + " columns";
      std::string lower(name);
      for (char& c : lower) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      if (lower != name && std::find(expected.begin(), expected.end(), lower) != expected.end()) {
        message += " (column names are lower-case: '" + lower + "')";
      }
      diags.error("CSV-COLUMN-UNKNOWN", file, header.line, header.column(i), std::string(name),
                  std::move(message));
      ok = false;
      continue;
    }
    std::size_t& pos = position[static_cast<std::size_t>(it - expected.begin())];
    if (pos != kAbsent) {
      ++named;
      diags.error("CSV-COLUMN-DUPLICATE", file, header.line, header.column(i), std::string(name),
                  "column " + quote(name) + " appears twice (first as column " +
                      std::to_string(pos + 1) + ")");
      ok = false;
      continue;
    }
    pos = i;
  }
  if (unnamed > 0) {
    diags.error("CSV-COLUMN-UNKNOWN", file, header.line, 0, "",
                std::to_string(unnamed) +
                    " more unknown or repeated columns in the header (is it " +
                    "a header? line ends other than LF or CRLF, or a wrong delimiter?)");
  }
  for (std::size_t k = 0; k < expected.size(); ++k) {
    if (position[k] == kAbsent) {
      diags.error("CSV-COLUMN-MISSING", file, header.line, 0, std::string(expected[k]),
                  "column " + quote(expected[k]) + " is missing from the header");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return position;
}

CsvKind detect_csv_kind(std::string_view utf8) {
  Diagnostics ignored;
  CsvReader reader("", utf8, ignored);
  CsvRecord header;
  if (!reader.next(header)) return CsvKind::kUnknown;
  std::vector<std::string_view> names;
  for (const CsvField& f : header.fields) names.push_back(trim_spaces(f.text));
  auto has = [&](std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  if (names.size() == 4 && has("currency") && has("year") && has("month") && has("units_per_eur")) {
    return CsvKind::kRates;
  }
  if (has("project") && has("partner") && has("report") && has("line") && has("declared")) {
    return CsvKind::kReport;
  }
  return CsvKind::kUnknown;
}

}  // namespace cofin
