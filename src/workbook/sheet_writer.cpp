#include "workbook/sheet_writer.h"

#include <algorithm>
#include <array>

#include "workbook/workbook.h"

namespace cofin::wb {

namespace {

std::string error_text(lxw_error err) {
  const char* s = lxw_strerror(err);
  return s != nullptr ? s : "unknown libxlsxwriter error";
}

// Returns the number of UTF-8 code points in `text` (continuation bytes not counted).
std::size_t utf8_length(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

// Returns the byte offset where code point `count` starts (text.size() when fewer).
std::size_t utf8_offset(std::string_view text, std::size_t count) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (n == count) return i;
      ++n;
    }
  }
  return text.size();
}

// Returns at most 60 characters of `text` for a footer: control characters dropped, `&` doubled
// (the footer's escape), cut before escaping so no lone `&` is left.
std::string escape_footer(std::string_view text) {
  const std::string_view head = text.substr(0, utf8_offset(text, 60));
  std::string out;
  for (char c : head) {
    if (static_cast<unsigned char>(c) < 0x20) continue;
    if (c == '&') out += '&';
    out += c;
  }
  return out;
}

}  // namespace

std::string column_name(lxw_col_t col) {
  std::string out;
  unsigned n = static_cast<unsigned>(col) + 1;
  while (n > 0) {
    unsigned rem = (n - 1) % 26;
    out.insert(out.begin(), static_cast<char>('A' + rem));
    n = (n - 1) / 26;
  }
  return out;
}

std::string cell_ref(lxw_row_t row, lxw_col_t col, bool absolute) {
  std::string out;
  if (absolute) out += '$';
  out += column_name(col);
  if (absolute) out += '$';
  out += std::to_string(static_cast<unsigned long>(row) + 1);
  return out;
}

std::string quoted_sheet(std::string_view name) {
  std::string out = "'";
  for (char c : name) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

std::string formula_literal(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

bool looks_like_formula(std::string_view text) {
  if (text.empty()) return false;
  switch (text[0]) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      break;
  }
  // Full-width forms: U+FF1D ＝, U+FF0B ＋, U+FF0D －, U+FF20 ＠ (EF BC 9D / 8B / 8D, EF BC A0).
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
      static_cast<unsigned char>(text[1]) == 0xBC) {
    const auto c = static_cast<unsigned char>(text[2]);
    return c == 0x9D || c == 0x8B || c == 0x8D || c == 0xA0;
  }
  return false;
}

namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Returns the length of the valid UTF-8 sequence at `s[i]` that is not U+FFFE/U+FFFF, or 0.
std::size_t valid_sequence(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
    cp = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    cp = b0 & 0x0Fu;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    cp = b0 & 0x07u;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3Fu);
  }
  const bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
  const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
  if (overlong || surrogate || cp > 0x10FFFF || cp == 0xFFFE || cp == 0xFFFF) return 0;
  return n;
}

}  // namespace

std::string safe_cell_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '_' && i + 6 < text.size() && text[i + 1] == 'x' && is_hex(text[i + 2]) &&
        is_hex(text[i + 3]) && is_hex(text[i + 4]) && is_hex(text[i + 5]) && text[i + 6] == '_') {
      out += "_x005F_";  // the escaped underscore; "xHHHH_" follows as plain text
      ++i;
      continue;
    }
    const std::size_t n = valid_sequence(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

bool plain_cell_text(std::string_view text) {
  if (text.size() > kMaxCellChars) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c > 0x7E) return false;
    if (c == '_' && i + 1 < text.size() && text[i + 1] == 'x') return false;
  }
  return true;
}

std::string fit_cell(std::string_view text) {
  if (text.size() <= kMaxCellChars || utf8_length(text) <= kMaxCellChars) {
    return std::string(text);
  }
  const std::size_t keep = kMaxCellChars - utf8_length(kTruncatedMarker);
  std::string out(text.substr(0, utf8_offset(text, keep)));
  out += kTruncatedMarker;
  return out;
}

double to_cell(const Decimal& d, int extra_scale) {
  static constexpr std::array<double, 23> kPow10 = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                    1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                                    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  // Both operands are exact doubles (|units| < 2^53 in practice, 10^n exact up to 10^22), so the
  // IEEE division gives the double nearest to the decimal, as Excel would parse it.
  const int scale = std::clamp(d.scale() + extra_scale, 0, 22);
  return static_cast<double>(d.units()) / kPow10[static_cast<std::size_t>(scale)];
}

Sheet::Sheet(Context& ctx, const std::string& name) : ctx_(ctx), name_(name) {
  ws_ = workbook_add_worksheet(ctx.workbook, name_.c_str());
  if (ws_ == nullptr) {
    const lxw_error err = workbook_validate_sheet_name(ctx.workbook, name_.c_str());
    throw WorkbookError(ctx.file + ": cannot add sheet '" + name_ + "': " + error_text(err));
  }
}

void Sheet::check(lxw_error err, std::string_view what) const {
  if (err == LXW_NO_ERROR) return;
  throw WorkbookError(ctx_.file + ": sheet '" + name_ + "': " + std::string(what) + ": " +
                      error_text(err));
}

void Sheet::check_cell(lxw_error err, lxw_row_t row, lxw_col_t col) const {
  if (err == LXW_NO_ERROR) return;
  check(err, "cell " + cell_ref(row, col));
}

void Sheet::text(lxw_row_t row, lxw_col_t col, std::string_view value) {
  text(row, col, value, nullptr);
}

void Sheet::text(lxw_row_t row, lxw_col_t col, std::string_view value, lxw_format* format) {
  if (value.empty()) return;
  if (plain_cell_text(value)) {
    cell_.assign(value);
  } else {
    cell_ = fit_cell(safe_cell_text(value));
  }
  // A formula-like text always gets the quote-prefix format (losing any other style).
  lxw_format* f = looks_like_formula(cell_) ? fmt().quoted : format;
  check_cell(worksheet_write_string(ws_, row, col, cell_.c_str(), f), row, col);
}

void Sheet::number(lxw_row_t row, lxw_col_t col, double value, lxw_format* format) {
  check_cell(worksheet_write_number(ws_, row, col, value, format), row, col);
}

void Sheet::integer(lxw_row_t row, lxw_col_t col, std::int64_t value, lxw_format* format) {
  number(row, col, static_cast<double>(value), format);
}

void Sheet::money(lxw_row_t row, lxw_col_t col, Money value, lxw_format* format) {
  number(row, col, to_cell(value), format != nullptr ? format : fmt().amount);
}

void Sheet::money(lxw_row_t row, lxw_col_t col, const std::optional<Money>& value) {
  if (value) money(row, col, *value);
}

void Sheet::date(lxw_row_t row, lxw_col_t col, const Date& value) {
  number(row, col, static_cast<double>(value.excel_serial()), fmt().date);
}

void Sheet::date(lxw_row_t row, lxw_col_t col, const std::optional<Date>& value) {
  if (value) date(row, col, *value);
}

void Sheet::formula(lxw_row_t row, lxw_col_t col, const std::string& formula, double cached,
                    lxw_format* format) {
  check_cell(worksheet_write_formula_num(ws_, row, col, formula.c_str(), format, cached), row, col);
}

void Sheet::formula_text(lxw_row_t row, lxw_col_t col, const std::string& formula,
                         const std::string& cached, lxw_format* format) {
  check_cell(worksheet_write_formula_str(ws_, row, col, formula.c_str(), format, cached.c_str()),
             row, col);
}

void Sheet::subtotal(lxw_row_t row, lxw_col_t col, lxw_row_t first, lxw_row_t last, double cached,
                     lxw_format* format) {
  if (last < first) last = first;  // no data: an empty one-cell range, SUBTOTAL gives 0
  formula(row, col, "=SUBTOTAL(9," + cell_ref(first, col) + ":" + cell_ref(last, col) + ")", cached,
          format);
}

void Sheet::paged_total(lxw_row_t row, lxw_col_t col, const Pages& pages, std::size_t page,
                        lxw_row_t last, double cached, lxw_format* format) {
  const lxw_row_t first = pages.first_data_row();
  if (last < first) last = first;  // no data: an empty one-cell range, SUBTOTAL gives 0
  std::string f = "=SUBTOTAL(9," + cell_ref(first, col) + ":" + cell_ref(last, col) + ")";
  if (page == 0) {
    for (std::size_t p = 1; p < pages.count(); ++p) {
      f += "+" + quoted_sheet(pages.sheet_name(p)) + "!" + cell_ref(row, col);
    }
  }
  formula(row, col, f, cached, format);
}

void Sheet::link(lxw_row_t row, lxw_col_t col, std::string_view target_sheet, lxw_row_t target_row,
                 std::int64_t shown) {
  const std::string target = "#" + quoted_sheet(target_sheet) + "!" + cell_ref(target_row, 0);
  formula(row, col, "=HYPERLINK(" + formula_literal(target) + "," + std::to_string(shown) + ")",
          static_cast<double>(shown), fmt().link);
}

void Sheet::header(lxw_row_t row, std::span<const Column> columns) {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const auto col = static_cast<lxw_col_t>(i);
    const std::string_view h = columns[i].header;
    const double width = std::max(columns[i].width, static_cast<double>(h.size()) + 3.0);
    check(worksheet_set_column(ws_, col, col, width, nullptr), "column width");
    text(row, col, h, fmt().header);
  }
}

void Sheet::define_name(const std::string& name, lxw_row_t first_row, lxw_col_t first_col,
                        lxw_row_t last_row, lxw_col_t last_col) {
  const std::string range = "=" + quoted_sheet(name_) + "!" + cell_ref(first_row, first_col, true) +
                            ":" + cell_ref(last_row, last_col, true);
  check(workbook_define_name(ctx_.workbook, name.c_str(), range.c_str()), "defined name " + name);
}

void Sheet::print_setup(std::optional<lxw_row_t> repeat_first,
                        std::optional<lxw_row_t> repeat_last) {
  worksheet_set_landscape(ws_);
  worksheet_set_paper(ws_, 9);  // A4
  worksheet_fit_to_pages(ws_, 1, 0);
  if (repeat_first && repeat_last) {
    check(worksheet_repeat_rows(ws_, *repeat_first, *repeat_last), "repeat rows");
  }
  const std::string footer = "&L&A&CPage &P of &N&Rrun " + escape_footer(ctx_.outcome->run_id);
  check(worksheet_set_footer(ws_, footer.c_str()), "footer");
}

void Sheet::table(lxw_row_t header_row, lxw_row_t last_row, lxw_col_t last_col,
                  lxw_col_t frozen_cols, const std::string& defined_name) {
  check(worksheet_autofilter(ws_, header_row, 0, last_row, last_col), "autofilter");
  define_name(defined_name, header_row, 0, last_row, last_col);
  worksheet_freeze_panes(ws_, header_row + 1, frozen_cols);
  print_setup(0, header_row);
}

void Sheet::highlight(lxw_col_t col, lxw_row_t first, lxw_row_t last, const std::string& rule,
                      lxw_format* format) {
  if (last < first) return;
  lxw_conditional_format cf{};
  cf.type = LXW_CONDITIONAL_TYPE_FORMULA;
  std::string value = rule;
  cf.value_string = value.data();
  cf.format = format;
  check(worksheet_conditional_format_range(ws_, first, col, last, col, &cf), "conditional format");
}

}  // namespace cofin::wb
