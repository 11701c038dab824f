// compute_report converts each line at its own currency's rate (calc/report_calc.h): the rates
// are looked up once per currency and report, and each line must still get its currency's
// rate, from the report's rates or else from the fallback rates, as line_eur gives it.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "calc/report_calc.h"
#include "support/builders.h"

using namespace cofin;
using namespace cofin::testing;

TEST_CASE("lines in several currencies each take their own currency's rate", "[calc]") {
  const ProgrammeRules rules = central_baltic();
  const Project project = cb_project();
  PartnerReport report = first_report(project);  // submitted 2024-07
  RateTable rates;                               // the report's: SEK only
  RateTable fallback;                            // NOK, and another SEK rate that must not be taken
  rates.add({"SEK", 2024, 7, *parse_decimal("11.4475", 6), {}});
  fallback.add({"SEK", 2024, 7, *parse_decimal("11.0000", 6), {}});
  fallback.add({"NOK", 2024, 7, *parse_decimal("11.7500", 6), {}});
  fallback.add({"NOK", 2024, 6, *parse_decimal("99.0000", 6), {}});  // another month
  const char* currencies[] = {"SEK", "NOK", "EUR", "NOK", "SEK", "SEK", "EUR", "NOK"};
  int n = 0;
  for (const char* currency : currencies) {
    ++n;
    ExpenseLine l =
        invoice_line(n, Category::kExternal, eur(1000000 + 1234 * n), "2024-03-01", "2024-03-15");
    l.currency = currency;
    report.lines.push_back(l);
  }
  ReportInputs in = inputs_for(report, project, rules, rates, "r.csv");
  in.fallback_rates = &fallback;
  const ReportComputation c = compute_report(in);
  REQUIRE(c.lines.size() == report.lines.size());
  for (std::size_t k = 0; k < c.lines.size(); ++k) {
    const ExpenseLine& l = report.lines[k];
    INFO("line " << l.line << " in " << l.currency);
    const ExchangeRate* used = nullptr;
    std::optional<Money> want = line_eur(l, report.submitted_on, rates, &used);
    if (!want) want = line_eur(l, report.submitted_on, fallback, &used);
    REQUIRE(want.has_value());
    CHECK(c.lines[k].eur.cents() == want->cents());
    CHECK(c.lines[k].rate.has_value() == (used != nullptr));
    if (used != nullptr) {
      CHECK(c.lines[k].rate->units() == used->units_per_eur.units());
      CHECK(c.lines[k].rate_month == "2024-07");
    } else {
      CHECK(c.lines[k].rate_month.empty());
    }
  }
  // By hand, one line of each: 10,012.34 SEK / 11.4475 = 874.63 (HALF_UP, report's rate);
  // 10,024.68 NOK / 11.75 = 853.16 (fallback); EUR as declared.
  CHECK(c.lines[0].eur == eur(87463));
  CHECK(c.lines[1].eur == eur(85316));
  CHECK(c.lines[2].eur == eur(1003702));
}
