// Exchange rates from CSV (spec "Input documents" 6): InforEuro's monthly accounting rates,
// `currency,year,month,units_per_eur`, one currency-month per row.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostic.h"
#include "model/rates.h"

namespace cofin {

// Returns the rates held by `utf8`, the decoded text of `file`, in file order, or nullopt after
// adding its errors to `diags` (up to kMaxErrorsPerFile): CSV-QUOTE, CSV-COLUMN-*,
// CSV-FIELD-COUNT, CSV-NO-LINES, VALUE-REQUIRED, VALUE-ENUM (currency not 3 capital letters),
// VALUE-NUMBER (year not 4 digits, month not 1..12, units_per_eur not a decimal with at most 6
// decimals or not > 0) and VALUE-INCONSISTENT (the same currency and month twice with different
// rates). The same currency-month repeated with the same rate is kept once.
// units_per_eur is written with `.`; `,` is read as the decimal mark too (Baltic Excel), since
// a rate has no grouping. Each rate's pos is {file, physical line of its row, column of
// units_per_eur}.
std::optional<std::vector<ExchangeRate>> read_rates_csv(const std::string& file,
                                                        std::string_view utf8, Diagnostics& diags);

}  // namespace cofin
