// Every formula's cached value is cofin's own figure: LibreOffice recalculates the workbook
// (forced, in a throw-away profile: tests/recalc/recalc_check.py) and every formula cell must
// give back what was cached. Boundary and negative amounts where binary doubles could shift a
// cent: FLOOR of negatives, 0.35 × 80 %, half cents, the Jems range's end.
#include <catch2/catch.hpp>

#include <string>

#include "support/process.h"
#include "workbook/workbook.h"
#include "workbook/workbook_support.h"

using namespace cofin;
using namespace cofin::wbtest;

namespace {

// Returns the exit code and output of the recalculation check on `file`.
testing::CommandResult recalc_check(const fs::path& file, const fs::path& scratch) {
  return testing::run_shell(std::string("/usr/bin/python3 '") + COFIN_SOURCE_DIR +
                                "/tests/recalc/recalc_check.py' '" + file.string() + "'",
                            scratch);
}

ReportOutcome report(const std::string& project, int partner, Money eligible, const char* rate) {
  ReportOutcome r;
  r.project = project;
  r.acronym = "EDGE";
  r.partner = partner;
  r.partner_name = "Partner " + std::to_string(partner);
  r.report = 1;
  r.period_start = day(2024, 1, 1);
  r.period_end = day(2024, 6, 30);
  r.status = "approved";
  r.declared = eligible;
  r.eligible = eligible;
  r.erdf_rate = pct(rate);
  // FLOOR, 2 dp: the ERDF share never exceeds its rate (domain §6).
  r.erdf = apply_percent(eligible, r.erdf_rate, Rounding::kFloor);
  r.own = r.eligible - r.erdf;
  r.due = true;
  r.erdf_due = r.erdf;
  r.erdf_paid = eur(1);
  return r;
}

// Reports whose ERDF share sits on a rounding edge, each with one foreign-currency line whose
// conversion sits on a half cent.
RunOutcome edges() {
  RunOutcome o;
  o.job_name = "edges";
  o.run_id = "edges-1";
  o.version = "0.1.0";
  o.as_of = day(2024, 7, 1);
  struct Case {
    std::int64_t eligible_cents;
    const char* erdf_rate;
    std::int64_t sek_cents;  // declared in SEK on the report's line
    const char* sek_rate;
  };
  const Case cases[] = {
      {35, "80.00", 2469, "2.000000"},               // 0.35 × 0.8 = 0.28; 12.345 -> 12.35
      {123457, "80.00", -2469, "2.000000"},          // Jems' check 987.65; -12.345 -> -12.35
      {-123457, "80.00", 5, "10.000000"},            // FLOOR(-987.656) = -987.66; 0.005 -> 0.01
      {99999999999, "80.00", -5, "10.000000"},       // range end; -0.005 -> -0.01
      {-99999999999, "85.00", 100000, "11.038200"},  // negative range end
      {1, "75.50", 1, "3.000000"},                   // 0.00755 -> 0.00; 0.00333 -> 0.00
      {-1, "75.50", 2, "3.000000"},                  // -0.00755 -> -0.01; 0.00667 -> 0.01
      {10000, "85.00", 33333, "0.666660"},           // 85.00 exactly; 500.0045 -> 500.00
      {2345, "60.00", 99999999999, "11.038200"},     // 14.07 exactly; the largest declared
  };
  int partner = 0;
  for (const Case& c : cases) {
    ++partner;
    ReportOutcome r = report("EDGE-1", partner, eur(c.eligible_cents), c.erdf_rate);
    LineOutcome l = line("EDGE-1", partner, 1, 1, eur(c.sek_cents), "edge.xml");
    l.line.currency = "SEK";
    l.rate = *parse_decimal(c.sek_rate, 6);
    l.rate_month = "2024-06";
    // HALF_UP(declared / rate, 2) (domain §5).
    l.eur = convert_to_eur(eur(c.sek_cents), *l.rate);
    l.certified = l.eur;
    r.first_line = o.lines.size();
    r.line_count = 1;
    o.lines.push_back(l);
    o.reports.push_back(r);
  }
  return o;
}

}  // namespace

TEST_CASE("workbook formulas recalculated by LibreOffice give their cached values",
          "[workbook][recalc]") {
  const auto scratch = testing::fresh_dir("wb-recalc");
  RunOutcome o = edges();
  // The sample's own figures too: flat shares, parked, deducted, cumulative ERDF, findings.
  const RunOutcome s = sample();
  const std::size_t offset = o.lines.size();
  for (ReportOutcome r : s.reports) {
    r.first_line += offset;
    o.reports.push_back(r);
  }
  o.lines.insert(o.lines.end(), s.lines.begin(), s.lines.end());
  o.findings = s.findings;
  o.budget = s.budget;
  o.deductions = s.deductions;
  o.payments = s.payments;

  // Small sheets, so the continuation sheets' totals and links are recalculated too.
  WorkbookOptions options;
  options.max_rows_per_sheet = 8;
  const fs::path file = scratch / "edges.xlsx";
  write_workbook(o, file, options);
  const auto r = recalc_check(file, scratch);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("MISMATCH") == std::string::npos);
  // Every report row has ERDF, eligible, own and two differences; every foreign line its EUR.
  const auto pos = r.out.find("CHECKED\t");
  REQUIRE(pos != std::string::npos);
  CHECK(std::stoi(r.out.substr(pos + 8)) > 5 * static_cast<int>(o.reports.size()));

  SECTION("a planted wrong cached value is found") {
    // 0.35 × 0.8 computed naively in doubles rounds down to 0.27: plant exactly that.
    const fs::path planted = scratch / "planted.xlsx";
    const auto p =
        testing::run_shell(std::string("/usr/bin/python3 '") + COFIN_SOURCE_DIR +
                               "/tests/recalc/recalc_check.py' --plant '" + file.string() + "' '" +
                               planted.string() + "' Summary N3 0.27",
                           scratch);
    INFO(p.out << p.err);
    REQUIRE(p.exit_code == 0);
    const auto bad = recalc_check(planted, scratch);
    INFO(bad.out << bad.err);
    CHECK(bad.exit_code == 1);
    CHECK(bad.out.find("MISMATCH\tSummary!N3\t=INT(ROUND(L3*M3*100,6))/100\t0.27\t0.28") !=
          std::string::npos);
    // Only that cell: the totals above it were cached from cofin's exact figures.
    CHECK(bad.out.find("MISMATCH", bad.out.find("MISMATCH") + 1) == std::string::npos);
  }
}
