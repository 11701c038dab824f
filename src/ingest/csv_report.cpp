#include "ingest/csv_report.h"

#include <algorithm>
#include <array>
#include <map>

#include "ingest/csv_reader.h"

namespace cofin {
namespace {

enum Col : std::size_t {
  kProject,
  kPartner,
  kReport,
  kPeriodStart,
  kPeriodEnd,
  kSubmittedOn,
  kLine,
  kCategory,
  kUnitCost,
  kUnits,
  kInternalRef,
  kInvoiceNo,
  kInvoiceDate,
  kPaymentDate,
  kSupplier,
  kSupplierId,
  kProcurementRef,
  kDescription,
  kInvoiceTotal,
  kVat,
  kDeclared,
  kCurrency,
  kReincludedFrom,
  kColumnCount,
};

constexpr std::array<std::string_view, kColumnCount> kColumns{
    "project",       "partner",      "report",    "period-start", "period-end",      "submitted-on",
    "line",          "category",     "unit-cost", "units",        "internal-ref",    "invoice-no",
    "invoice-date",  "payment-date", "supplier",  "supplier-id",  "procurement-ref", "description",
    "invoice-total", "vat",          "declared",  "currency",     "reincluded-from"};

// The report header columns, repeated on every row.
constexpr std::size_t kHeaderColumns = kSubmittedOn + 1;

std::string_view mark_name(DecimalMark m) {
  return m == DecimalMark::kComma ? "','" : "'.'";
}
std::string_view date_format_name(DateFormat f) {
  return f == DateFormat::kDotted ? "DD.MM.YYYY" : "YYYY-MM-DD";
}

// Sets `to`, a string reset_keeping_capacity emptied, to `text`. Most text fields of a row are
// empty, and an append into a string that keeps its capacity costs less than an assign (which
// must allow for `text` pointing into `to`).
// REQUIRES: to.empty().
void set_text(std::string& to, std::string_view text) {
  if (!text.empty()) to.append(text.data(), text.size());
}

class ReportParser {
 public:
  ReportParser(const std::string& file, std::string_view utf8, Diagnostics& diags, LineSink* sink)
      : file_(file),
        diags_(diags),
        base_errors_(diags.error_count()),
        reader_(file, utf8, diags),
        sink_(sink) {}

  std::optional<PartnerReport> run();

 private:
  std::size_t errors() const { return diags_.error_count() - base_errors_; }
  bool capped() const { return errors() >= kMaxErrorsPerFile; }

  // Adds an error about column `c` of `row`; `c` indexes kColumns.
  void error(std::string rule, std::size_t c, const std::string& message) {
    if (capped()) return;
    diags_.error(std::move(rule), file_, row_->line, row_->column(pos_[c]),
                 std::string(kColumns[c]), std::string(kColumns[c]) + ": " + message);
  }
  std::string_view raw(std::size_t c) const { return row_->fields[pos_[c]].text; }
  std::string_view trimmed(std::size_t c) const { return trim_spaces(raw(c)); }

  // Each returns nullopt after reporting (or when an optional field is empty).
  std::optional<int> whole_number(std::size_t c);
  std::optional<Date> date(std::size_t c, bool required);
  std::optional<Money> amount(std::size_t c, bool required);
  std::optional<Quantity> units(std::size_t c);
  std::optional<std::string_view> currency(std::size_t c);

  void parse_row(PartnerReport& report, bool first);
  // Returns true when the row's report header fields are byte for byte those of the first data
  // row: then they hold the same text, and need no compare one by one.
  bool same_header_bytes() const;

  const std::string& file_;
  Diagnostics& diags_;
  const std::size_t base_errors_;
  CsvReader reader_;
  LineSink* sink_;  // where lines go, or nullptr: into the report
  // The row being parsed: one line, reused from row to row, so that its strings keep their
  // capacity and a row costs no allocation.
  ExpenseLine line_;
  std::vector<std::size_t> pos_;         // column -> field index
  std::vector<std::size_t> order_;       // columns in the file's left-to-right order
  std::vector<std::size_t> line_order_;  // the same without the report header columns
  // When the report header columns are the fields [header_lo_, header_lo_ + kHeaderColumns) and
  // a field follows them: the first data row's bytes from the first of them to that field,
  // delimiters included. A row with the same bytes there parses to the same header fields (a
  // field's text depends only on the bytes from its start to its delimiter).
  std::size_t header_lo_ = kNoHeaderRun;
  std::string header_bytes_;
  static constexpr std::size_t kNoHeaderRun = static_cast<std::size_t>(-1);
  const CsvRecord* row_ = nullptr;
  DecimalMark mark_ = DecimalMark::kUnknown;
  int mark_line_ = 0;
  DateFormat date_format_ = DateFormat::kUnknown;
  int date_format_line_ = 0;
  // The first data row's header fields, compared with every later row.
  std::array<std::string, kHeaderColumns> header_text_;
  int header_row_line_ = 0;
  // Returns the physical line of the row that already uses report line number `n`, or 0 after
  // recording that `physical` uses it.
  int claim_line_number(int n, int physical);

  // Report line number -> physical line. Files number their lines in ascending order, so
  // those go to a vector (appended in order); the rest to a map.
  std::vector<std::pair<int, int>> ascending_lines_;
  std::map<int, int> other_lines_;
};

int ReportParser::claim_line_number(int n, int physical) {
  // Every number in other_lines_ was at most ascending_lines_.back() when it was added.
  if (ascending_lines_.empty() || n > ascending_lines_.back().first) {
    ascending_lines_.emplace_back(n, physical);
    return 0;
  }
  const auto it =
      std::lower_bound(ascending_lines_.begin(), ascending_lines_.end(), std::pair<int, int>{n, 0});
  if (it != ascending_lines_.end() && it->first == n) return it->second;
  const auto [other, inserted] = other_lines_.emplace(n, physical);
  return inserted ? 0 : other->second;
}

std::optional<int> ReportParser::whole_number(std::size_t c) {
  const std::string_view t = trimmed(c);
  if (t.empty()) {
    error("VALUE-REQUIRED", c, "is empty, but required");
    return std::nullopt;
  }
  int value = 0;
  bool ok = t.size() <= 9;
  for (char ch : t) {
    if (ch < '0' || ch > '9') {
      ok = false;
      break;
    }
    if (ok) value = value * 10 + (ch - '0');
  }
  if (!ok || value < 1) {
    error("VALUE-NUMBER", c, quote(raw(c)) + " is not a whole number from 1 (digits only)");
    return std::nullopt;
  }
  return value;
}

std::optional<Date> ReportParser::date(std::size_t c, bool required) {
  const std::string_view t = trimmed(c);
  if (t.empty()) {
    if (required) error("VALUE-REQUIRED", c, "is empty, but required");
    return std::nullopt;
  }
  const auto parsed = parse_date(t);
  if (!parsed) {
    error("VALUE-DATE", c, quote(raw(c)) + " is not a calendar date in YYYY-MM-DD or DD.MM.YYYY");
    return std::nullopt;
  }
  if (date_format_ == DateFormat::kUnknown) {
    date_format_ = parsed->second;
    date_format_line_ = row_->line;
  } else if (parsed->second != date_format_) {
    error("VALUE-DATE-FORMAT", c,
          quote(raw(c)) + " is written " + std::string(date_format_name(parsed->second)) +
              " but the file's first date (line " + std::to_string(date_format_line_) + ") is " +
              std::string(date_format_name(date_format_)) + "; use one format per file");
    return std::nullopt;
  }
  return parsed->first;
}

std::optional<Money> ReportParser::amount(std::size_t c, bool required) {
  const std::string_view t = trimmed(c);
  if (t.empty()) {
    if (required) error("VALUE-REQUIRED", c, "is empty, but required");
    return std::nullopt;
  }
  const AmountParse parsed = parse_amount(t, mark_);
  if (!parsed.value) {
    std::string why(amount_error_text(parsed.error));
    if (parsed.error == AmountError::kMarkMismatch) {
      why += ": the file's decimal mark is " + std::string(mark_name(mark_)) + " since line " +
             std::to_string(mark_line_);
    } else if (parsed.error == AmountError::kAmbiguous) {
      why += "; no earlier amount with a fraction fixes the file's decimal mark";
    }
    // amount_error_text(kSyntax) already reads "not an amount (...)".
    error(
        parsed.error == AmountError::kAmbiguous ? "VALUE-AMOUNT-AMBIGUOUS" : "VALUE-AMOUNT", c,
        quote(raw(c)) + (parsed.error == AmountError::kSyntax ? " is " + why
                                                              : " is not an amount (" + why + ")"));
    return std::nullopt;
  }
  if (mark_ == DecimalMark::kUnknown && parsed.mark_used != DecimalMark::kUnknown) {
    mark_ = parsed.mark_used;
    mark_line_ = row_->line;
  }
  return parsed.value;
}

std::optional<Quantity> ReportParser::units(std::size_t c) {
  const std::string_view t = trimmed(c);
  if (t.empty()) return std::nullopt;
  // A quantity has at most 2 decimals and no grouping, so either mark reads unambiguously; it
  // must not contradict the file's decimal mark once that is known.
  std::string text(t);
  const auto comma = text.find(',');
  bool ok = true;
  if (comma != std::string::npos) {
    ok = text.find('.') == std::string::npos && mark_ != DecimalMark::kPoint;
    text[comma] = '.';
  } else if (text.find('.') != std::string::npos && mark_ == DecimalMark::kComma) {
    ok = false;
  }
  std::optional<Quantity> q;
  if (ok) q = parse_decimal(text, 2);
  if (!q) {
    error("VALUE-NUMBER", c,
          quote(raw(c)) + " is not a number of units (digits, at most 2 decimals" +
              (mark_ == DecimalMark::kUnknown
                   ? std::string(")")
                   : ", decimal mark " + std::string(mark_name(mark_)) + " as in the file)"));
  }
  return q;
}

std::optional<std::string_view> ReportParser::currency(std::size_t c) {
  const std::string_view t = trimmed(c);
  if (t.empty()) {
    error("VALUE-REQUIRED", c, "is empty, but required");
    return std::nullopt;
  }
  const bool ok = t.size() == 3 &&
                  std::all_of(t.begin(), t.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
  if (!ok) {
    error("VALUE-ENUM", c, quote(raw(c)) + " is not a currency code (3 capital letters, e.g. EUR)");
    return std::nullopt;
  }
  return t;
}

bool ReportParser::same_header_bytes() const {
  if (header_lo_ == kNoHeaderRun) return false;
  const std::size_t begin = row_->fields[header_lo_].offset;
  const std::size_t end = row_->fields[header_lo_ + kHeaderColumns].offset;
  return row_->input.substr(begin, end - begin) == header_bytes_;
}

void ReportParser::parse_row(PartnerReport& report, bool first) {
  // Every row becomes a line, with or without errors; it starts as a default line, as if new.
  ExpenseLine& line = line_;
  reset_keeping_capacity(line);
  set_text(line.pos.file, file_);
  line.pos.line = row_->line;
  bool have_period = first;
  // Most files repeat the header fields byte for byte: then only the line's columns are read.
  const std::vector<std::size_t>& columns = !first && same_header_bytes() ? line_order_ : order_;
  for (std::size_t c : columns) {
    if (c < kHeaderColumns && !first) [[unlikely]] {
      if (trimmed(c) != header_text_[c]) {
        error("CSV-HEADER-MISMATCH", c,
              quote(raw(c)) + " differs from " + quote(header_text_[c]) + " on line " +
                  std::to_string(header_row_line_) + " (one report per file)");
      }
      continue;
    }
    switch (c) {
      case kProject:
        report.project = std::string(trimmed(c));
        if (report.project.empty()) error("VALUE-REQUIRED", c, "is empty, but required");
        break;
      case kPartner:
        report.partner = whole_number(c).value_or(0);
        break;
      case kReport:
        report.report = whole_number(c).value_or(0);
        break;
      case kPeriodStart:
        if (auto d = date(c, true)) {
          report.period_start = *d;
        } else {
          have_period = false;
        }
        break;
      case kPeriodEnd:
        if (auto d = date(c, true)) {
          report.period_end = *d;
        } else {
          have_period = false;
        }
        break;
      case kSubmittedOn:
        if (auto d = date(c, true)) report.submitted_on = *d;
        break;
      case kLine:
        if (auto n = whole_number(c)) {
          line.line = *n;
          if (const int earlier = claim_line_number(*n, row_->line); earlier != 0) {
            error("VALUE-DUPLICATE-LINE", c,
                  quote(raw(c)) + " is already the line number of line " + std::to_string(earlier) +
                      " of the file");
          }
        }
        break;
      case kCategory: {
        const std::string_view t = trimmed(c);
        if (t.empty()) {
          error("VALUE-REQUIRED", c, "is empty, but required");
        } else if (auto cat = parse_category(t)) {
          line.category = *cat;
        } else {
          error("VALUE-ENUM", c,
                quote(raw(c)) +
                    " is not one of staff, office, travel, external, equipment, infrastructure");
        }
        break;
      }
      case kUnitCost:
        set_text(line.unit_cost, trimmed(c));
        break;
      case kUnits:
        line.units = units(c);
        break;
      case kInternalRef:
        set_text(line.internal_ref, raw(c));
        break;
      case kInvoiceNo:
        set_text(line.invoice_no, raw(c));
        break;
      case kInvoiceDate:
        line.invoice_date = date(c, false);
        break;
      case kPaymentDate:
        line.payment_date = date(c, false);
        break;
      case kSupplier:
        set_text(line.supplier, raw(c));
        break;
      case kSupplierId:
        set_text(line.supplier_id, raw(c));
        break;
      case kProcurementRef:
        set_text(line.procurement_ref, raw(c));
        break;
      case kDescription:
        set_text(line.description, raw(c));
        break;
      case kInvoiceTotal:
        line.invoice_total = amount(c, false);
        break;
      case kVat:
        line.vat = amount(c, false);
        break;
      case kDeclared:
        if (auto m = amount(c, true)) line.declared = *m;
        break;
      case kCurrency:
        if (auto cur = currency(c)) set_text(line.currency, *cur);
        break;
      case kReincludedFrom:
        set_text(line.reincluded_from, trimmed(c));
        break;
      default:
        break;
    }
  }
  if (first) {
    for (std::size_t c = 0; c < kHeaderColumns; ++c) header_text_[c] = std::string(trimmed(c));
    header_row_line_ = row_->line;
    if (header_lo_ != kNoHeaderRun) {
      const std::size_t begin = row_->fields[header_lo_].offset;
      const std::size_t end = row_->fields[header_lo_ + kHeaderColumns].offset;
      header_bytes_ = std::string(row_->input.substr(begin, end - begin));
    }
    if (have_period && report.period_end < report.period_start) {
      error("VALUE-INCONSISTENT", kPeriodEnd,
            quote(raw(kPeriodEnd)) + " is before period-start " + quote(raw(kPeriodStart)));
    }
  }
  if (line.is_unit_cost()) {
    if (!line.units && trimmed(kUnits).empty()) {
      error("VALUE-INCONSISTENT", kUnits,
            "is empty, but required on a unit-cost line (unit-cost " + quote(line.unit_cost) + ")");
    }
    if (!line.currency.empty() && line.currency != "EUR") {
      error("VALUE-INCONSISTENT", kCurrency,
            quote(raw(kCurrency)) + ": a unit-cost line is in EUR (unit-cost " +
                quote(line.unit_cost) + ")");
    }
  }
  if (sink_ != nullptr) {
    sink_->add(line);
  } else {
    report.lines.push_back(std::move(line));
  }
}

std::optional<PartnerReport> ReportParser::run() {
  CsvRecord header;
  if (!reader_.next(header)) {
    diags_.error("READ-EMPTY", file_, 0, 0, "", "the file holds no data");
    return std::nullopt;
  }
  PartnerReport report;
  report.pos = SourcePos{file_, header.line, 0};
  auto positions = map_columns(file_, header, kColumns, "report", diags_);
  if (!positions) return std::nullopt;
  pos_ = std::move(*positions);
  // Left to right, so that "the file's first amount / date" is the one a reader sees first.
  for (std::size_t c = 0; c < kColumnCount; ++c) order_.push_back(c);
  std::sort(order_.begin(), order_.end(),
            [&](std::size_t a, std::size_t b) { return pos_[a] < pos_[b]; });
  for (std::size_t c : order_) {
    if (c >= kHeaderColumns) line_order_.push_back(c);
  }
  // The header columns' fields: a run of kHeaderColumns fields followed by another field?
  const std::size_t lo = *std::min_element(pos_.begin(), pos_.begin() + kHeaderColumns);
  const std::size_t hi = *std::max_element(pos_.begin(), pos_.begin() + kHeaderColumns);
  if (hi - lo + 1 == kHeaderColumns && hi + 1 < header.fields.size()) header_lo_ = lo;
  std::vector<std::string> names;
  for (const CsvField& f : header.fields) names.emplace_back(trim_spaces(f.text));
  reader_.set_field_names(std::move(names));

  CsvRecord row;
  bool first = true;
  std::size_t rows = 0;
  // Blank rows count only when data follows them: Excel leaves empty rows at the end.
  std::vector<std::pair<int, std::size_t>> blank_rows;  // physical line, field count
  while (!capped() && reader_.next(row)) {
    if (row.blank()) [[unlikely]] {
      blank_rows.emplace_back(row.line, row.fields.size());
      continue;
    }
    for (const auto& [physical, count] : blank_rows) {
      if (capped()) break;  // a run of a million blank rows is one mistake, not a million
      if (count != header.fields.size()) {
        diags_.error("CSV-FIELD-COUNT", file_, physical, 0, "",
                     "an empty row among the expenditure lines: delete it");
      } else {
        diags_.error("VALUE-REQUIRED", file_, physical, 0, "",
                     "an empty row among the expenditure lines: delete it");
      }
    }
    blank_rows.clear();
    ++rows;
    if (!row.ok) [[unlikely]] {
      continue;  // CSV-QUOTE already said why
    }
    if (row.fields.size() != header.fields.size()) [[unlikely]] {
      const std::size_t n = row.fields.size();
      diags_.error("CSV-FIELD-COUNT", file_, row.line,
                   n > header.fields.size() ? row.column(header.fields.size()) : 0, "",
                   "the row has " + std::to_string(n) + " fields, the header has " +
                       std::to_string(header.fields.size()) +
                       (reader_.delimiter() == ';' ? " (delimiter ';')"
                        : n > header.fields.size()
                            // The usual cause: an unquoted decimal-comma amount.
                            ? " (delimiter ','; an amount with a decimal comma must be quoted)"
                            : " (delimiter ',')"));
      continue;
    }
    row_ = &row;
    parse_row(report, first);
    first = false;
  }
  if (capped() && !diags_.items().empty()) {
    diags_.mutable_items().back().message +=
        " [" + std::to_string(kMaxErrorsPerFile) + " errors: the rest of the file is not checked]";
  }
  if (rows == 0 && errors() == 0) {
    diags_.error("CSV-NO-LINES", file_, header.line, 0, "",
                 "the report has a header but no expenditure line");
  }
  if (errors() > 0) return std::nullopt;
  return report;
}

}  // namespace

std::optional<PartnerReport> read_report_csv(const std::string& file, std::string_view utf8,
                                             Diagnostics& diags, LineSink* sink) {
  ReportParser parser(file, utf8, diags, sink);
  return parser.run();
}

}  // namespace cofin
