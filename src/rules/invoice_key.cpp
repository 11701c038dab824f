#include "rules/invoice_key.h"

#include <algorithm>
#include <array>
#include <functional>
#include <string_view>

namespace cofin {
namespace {

// What normalisation makes of each byte: ASCII letters upper-cased, digits kept, bytes of
// UTF-8 sequences (>= 0x80) kept as written, everything else (spaces, punctuation, control
// characters) dropped (0). The "C" locale's isalnum/toupper, which is what cofin runs under (it
// never calls setlocale), as a table: this runs on every line.
constexpr std::array<char, 256> kNormalised = [] {
  std::array<char, 256> table{};
  for (int c = 0; c < 256; ++c) {
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c >= 0x80) {
      table[static_cast<std::size_t>(c)] = static_cast<char>(c);
    } else if (c >= 'a' && c <= 'z') {
      table[static_cast<std::size_t>(c)] = static_cast<char>(c - 'a' + 'A');
    }
  }
  return table;
}();

// Writes `text` to `out` without ASCII case, spaces and punctuation; returns the end.
char* write_normalised(std::string_view text, char* out) {
  for (const char ch : text) {
    const char n = kNormalised[static_cast<unsigned char>(ch)];
    *out = n;
    out += n != 0;  // branch-free: a dropped byte is overwritten by the next
  }
  return out;
}

}  // namespace

namespace invoice_key_detail {

std::size_t capacity(const ExpenseLine& line) {
  return line.supplier_id.size() + line.invoice_no.size() + line.currency.size() + 2;
}

std::size_t write(const ExpenseLine& line, char* out) {
  char* end = write_normalised(line.supplier_id, out);
  if (end == out) return 0;
  *end++ = '|';
  char* const number = end;
  end = write_normalised(line.invoice_no, end);
  if (end == number) return 0;
  *end++ = '|';
  end = std::copy(line.currency.begin(), line.currency.end(), end);
  return static_cast<std::size_t>(end - out);
}

}  // namespace invoice_key_detail

std::string invoice_key(const ExpenseLine& line) {
  std::string key(invoice_key_detail::capacity(line), '\0');
  key.resize(invoice_key_detail::write(line, key.data()));
  return key;
}

InvoiceMark invoice_mark(const ExpenseLine& line, std::string& scratch) {
  if (!line.reincluded_from.empty()) return InvoiceMark();
  scratch.resize(invoice_key_detail::capacity(line));
  scratch.resize(invoice_key_detail::write(line, scratch.data()));
  if (scratch.empty()) return InvoiceMark();
  // The low bit carries the flag; a hash whose other bits are all 0 would read as "no key".
  std::uint64_t hash = static_cast<std::uint64_t>(std::hash<std::string_view>()(scratch));
  hash &= ~InvoiceMark::kExceedsOwnTotal;
  if (hash == 0) hash = 2;
  // Mirrors find_duplicate_invoices: only a positive line can be over its total, and the total
  // is compared as an absolute amount.
  const bool exceeds = line.declared > Money() && line.invoice_total.has_value() &&
                       line.declared > line.invoice_total->abs();
  return InvoiceMark(hash | (exceeds ? InvoiceMark::kExceedsOwnTotal : 0));
}

std::vector<InvoiceMark> invoice_marks(const std::vector<ExpenseLine>& lines) {
  std::vector<InvoiceMark> marks;
  marks.reserve(lines.size());
  std::string scratch;
  for (const ExpenseLine& line : lines) marks.push_back(invoice_mark(line, scratch));
  return marks;
}

}  // namespace cofin
