// Partner report from CSV (spec "Input documents" 3): one report per file, the report header
// repeated as the first columns of every row, one expenditure line per row.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/diagnostic.h"
#include "model/report.h"

namespace cofin {

// The most errors one CSV file reports; past it the reading stops (the file is rejected anyway,
// and a thousand copies of one mistake hide the rest of a run's output).
inline constexpr std::size_t kMaxErrorsPerFile = 100;

// Returns the report held by `utf8`, the decoded text of `file`, or nullopt after adding its
// errors to `diags` (all of them, up to kMaxErrorsPerFile): CSV-QUOTE, CSV-COLUMN-*,
// CSV-FIELD-COUNT, CSV-HEADER-MISMATCH, CSV-NO-LINES and VALUE-* (docs/rule-ids.md).
// Columns (exact lower-case names, any order): project, partner, report, period-start,
// period-end, submitted-on, line, category, unit-cost, units, internal-ref, invoice-no,
// invoice-date, payment-date, supplier, supplier-id, procurement-ref, description,
// invoice-total, vat, declared, currency, reincluded-from.
// The file's decimal mark is fixed by its first amount with a fraction and its date format by
// its first date, in reading order (row by row, left to right). Text columns are kept exactly
// as written (registration and invoice numbers are identifiers, never numbers); ids compared
// with the registry and rule sets (project, unit-cost, currency) lose surrounding spaces.
// Each line's pos is {file, physical line of its row, 0}; the report's pos is the header's.
// With `sink`, each line goes to it as its row is parsed, and the report returned has no lines;
// when nullopt is returned, what the sink got means nothing (rows with errors go to it too).
std::optional<PartnerReport> read_report_csv(const std::string& file, std::string_view utf8,
                                             Diagnostics& diags, LineSink* sink = nullptr);

}  // namespace cofin
