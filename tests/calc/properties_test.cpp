// Properties of the engine over many generated reports (tests/support/generator.h): the split
// is exact, public shares stay within their rates, nothing is due before approval, cumulative
// amounts stay within budget, and the order of lines does not matter.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <random>
#include <set>
#include <sstream>

#include "calc/portfolio.h"
#include "ingest/document.h"
#include "money/int128.h"
#include "support/generator.h"

using namespace cofin;
using namespace cofin::testing;

namespace {

GeneratorOptions options(std::uint64_t seed, ShareRounding rounding) {
  GeneratorOptions o;
  o.seed = seed;
  o.projects = 3;
  o.partners_per_project = 4;
  o.reports_per_partner = 4;
  o.lines_per_report = 40;
  o.anomaly_percent = 15;
  o.rounding = rounding;
  return o;
}

// Returns true when `part` ≤ `percent` % of `whole`, exactly (integers, no rounding).
bool within_rate(Money part, Money whole, const Rate& percent) {
  i128 scale = 100;
  for (int k = 0; k < percent.scale(); ++k) scale *= 10;
  return static_cast<i128>(part.cents()) * scale <=
         static_cast<i128>(whole.cents()) * percent.units();
}

}  // namespace

TEST_CASE("properties hold over generated portfolios in both rounding modes", "[calc][property]") {
  for (const ShareRounding mode : {ShareRounding::kPerReport, ShareRounding::kCumulative}) {
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      INFO("seed " << seed << " mode " << share_rounding_name(mode));
      GeneratedWorld world;
      ReportGenerator(options(seed, mode)).fill(world);
      const RunOutcome out = compute_portfolio(world.portfolio());
      REQUIRE(out.reports.size() == world.reports.size());
      std::map<std::pair<std::string, int>, std::pair<Money, Money>> cumulative;  // elig, erdf
      for (const ReportOutcome& r : out.reports) {
        INFO(r.project << "/" << r.partner << "/" << r.report);
        // ERDF + state + own = eligible, to the cent.
        CHECK(r.erdf + r.state + r.own == r.eligible);
        auto& [cum_eligible, cum_erdf] = cumulative[{r.project, r.partner}];
        cum_eligible += r.eligible;
        cum_erdf += r.erdf;
        if (mode == ShareRounding::kPerReport) {
          CHECK(within_rate(r.erdf, r.eligible, r.erdf_rate));
        } else {
          CHECK(within_rate(cum_erdf, cum_eligible, r.erdf_rate));
        }
        // Nothing due before approval.
        if (!r.approved_on) {
          CHECK_FALSE(r.due);
          CHECK(r.erdf_due.is_zero());
          CHECK(r.state_due.is_zero());
        }
        // Cumulative never above budgeted ERDF and the granted state amount.
        CHECK(r.cumulative_erdf <= r.budgeted_erdf);
        if (r.state_granted) CHECK(r.cumulative_state <= *r.state_granted);
        CHECK(r.deducted == r.declared - r.eligible - r.parked);
      }
      // Certified category totals never above budget + flexibility; partner totals never above
      // the partner budget.
      std::map<std::tuple<std::string, int, int>, Money> partner_total;
      for (const BudgetRow& b : out.budget) {
        CHECK(b.total <= b.flex_limit);
        partner_total[{b.project, b.partner, b.report}] += b.total;
      }
      for (const auto& [key, total] : partner_total) {
        const Project* p = world.registry.project(std::get<0>(key));
        CHECK(total <= p->partner(std::get<1>(key))->budget_total());
      }
    }
  }
}

TEST_CASE("results do not depend on the order of lines in a report", "[calc][property]") {
  for (std::uint64_t seed = 11; seed <= 13; ++seed) {
    GeneratedWorld world;
    ReportGenerator(options(seed, ShareRounding::kPerReport)).fill(world);
    const RunOutcome a = compute_portfolio(world.portfolio());
    std::mt19937 shuffle(static_cast<unsigned>(seed));
    for (PartnerReport& r : world.reports) std::shuffle(r.lines.begin(), r.lines.end(), shuffle);
    const RunOutcome b = compute_portfolio(world.portfolio());
    REQUIRE(a.reports.size() == b.reports.size());
    for (std::size_t i = 0; i < a.reports.size(); ++i) {
      CHECK(a.reports[i].eligible == b.reports[i].eligible);
      CHECK(a.reports[i].erdf == b.reports[i].erdf);
      CHECK(a.reports[i].state == b.reports[i].state);
      CHECK(a.reports[i].budget_capped == b.reports[i].budget_capped);
    }
    REQUIRE(a.lines.size() == b.lines.size());
    for (std::size_t i = 0; i < a.lines.size(); ++i) {
      CHECK(a.lines[i].line.line == b.lines[i].line.line);
      CHECK(a.lines[i].certified == b.lines[i].certified);
      CHECK(a.lines[i].rule_ids == b.lines[i].rule_ids);
    }
    REQUIRE(a.findings.size() == b.findings.size());
    for (std::size_t i = 0; i < a.findings.size(); ++i) {
      CHECK(a.findings[i].rule_id == b.findings[i].rule_id);
      CHECK(a.findings[i].amount == b.findings[i].amount);
    }
  }
}

TEST_CASE("the generator breaks every engine rule somewhere", "[calc][property]") {
  GeneratedWorld world;
  GeneratorOptions o = options(7, ShareRounding::kPerReport);
  o.anomaly_percent = 30;
  ReportGenerator(o).fill(world);
  const RunOutcome out = compute_portfolio(world.portfolio());
  std::set<std::string> seen;
  for (const Diagnostic& d : out.findings) seen.insert(d.rule_id);
  for (const char* id : {"CAT-FLAT-RATE-COVERED",
                         "CAT-REAL-NOT-ALLOWED",
                         "STAFF-INVOICE",
                         "ELIG-PERIOD",
                         "ELIG-NOT-PAID",
                         "ELIG-PAYMENT-BEFORE-INVOICE",
                         "ELIG-REPORT-PERIOD",
                         "AMOUNT-DECLARED-OVER-INVOICE",
                         "AMOUNT-VAT-OVER-INVOICE",
                         "AMOUNT-SIGN",
                         "UNIT-COST-AMOUNT",
                         "UNIT-COST-CATEGORY",
                         "UNIT-COST-STAFF-HOURS",
                         "VAT-RECOVERABLE",
                         "PROCUREMENT-REF-MISSING",
                         "DUP-INVOICE",
                         "DUP-INVOICE-REPEAT",
                         "REINCLUDED-ORIGIN",
                         "BUDGET-FLEX",
                         "DEADLINE-SUBMISSION",
                         "DEADLINE-CONTROLLER",
                         "STATE-CEILING",
                         "PAYMENT-BEFORE-APPROVAL"}) {
    INFO(id);
    CHECK(seen.count(id) == 1);
  }
  // Re-included parked lines, SEK lines and negative corrections are there too.
  bool reincluded = false;
  bool sek = false;
  bool negative = false;
  for (const LineOutcome& l : out.lines) {
    reincluded = reincluded || (!l.reincluded_from.empty() && l.rule_ids.empty());
    sek = sek || l.line.currency == "SEK";
    negative = negative || l.line.declared.is_negative();
  }
  CHECK(reincluded);
  CHECK(sek);
  CHECK(negative);
}

TEST_CASE("the generator's CSV and XML read back into its model values", "[calc][generator]") {
  ReportGenerator gen(options(3, ShareRounding::kPerReport));
  XercesRuntime runtime;
  XmlContext xml(runtime);
  for (int partner = 1; partner <= 4; ++partner) {
    const PartnerReport model = gen.report(1, partner, 2);
    std::ostringstream csv;
    std::ostringstream streamed;
    std::ostringstream xml_text;
    gen.write_report_csv(csv, model);
    gen.write_report_csv(streamed, 1, partner, 2, gen.options().lines_per_report);
    gen.write_report_xml(xml_text, model);
    CHECK(csv.str() == streamed.str());  // streaming writes the same bytes
    Diagnostics diags;
    const LoadedDocument a = load_document(xml, "g.csv", "g.csv", csv.str(), "utf-8", diags);
    const LoadedDocument b = load_document(xml, "g.xml", "g.xml", xml_text.str(), "utf-8", diags);
    for (const Diagnostic& d : diags.items()) UNSCOPED_INFO(format_diagnostic(d));
    REQUIRE_FALSE(diags.has_errors());
    CHECK(same_content(std::get<PartnerReport>(a.content), model));
    CHECK(same_content(std::get<PartnerReport>(b.content), model));
  }
}

namespace {

// Returns every figure and finding of `out` as text, in order: two outcomes with the same
// fingerprint show the same workbook.
std::string fingerprint(const RunOutcome& out) {
  std::ostringstream s;
  for (const ReportOutcome& r : out.reports) {
    s << "R " << r.project << '/' << r.partner << '/' << r.report << ' ' << r.declared.cents()
      << ' ' << r.eligible.cents() << ' ' << r.erdf.cents() << ' ' << r.state.cents() << ' '
      << r.own.cents() << ' ' << r.cumulative_erdf.cents() << ' ' << r.erdf_due.cents() << ' '
      << r.first_line << ' ' << r.line_count << ' ' << r.findings << '\n';
  }
  const std::shared_ptr<const LineSource> lines = lines_of(out);
  lines->visit(0, lines->size(), [&s](std::size_t, const LineOutcome& l) {
    s << "L " << l.project << '/' << l.partner << '/' << l.report << '.' << l.line.line << ' '
      << l.line.description << ' ' << l.eur.cents() << ' ' << l.certified.cents() << ' '
      << l.deducted.cents() << ' ' << l.ineligible.cents() << ' ' << l.parked_eur.cents() << ' '
      << l.check_result << ' ' << l.source_file << ' ' << l.typology << ' ' << l.reincluded_from;
    for (const std::string& id : l.rule_ids) s << ' ' << id;
    for (const std::string& flag : l.sample_flags) s << " +" << flag;
    s << '\n';
  });
  findings_of(out)->visit(0, finding_count(out), [&s](std::size_t, const Diagnostic& d) {
    s << "F " << format_diagnostic(d) << '\n';
  });
  for (const BudgetRow& b : out.budget) {
    s << "B " << b.project << '/' << b.partner << '/' << b.report << ' '
      << static_cast<int>(b.category) << ' ' << b.total.cents() << ' ' << b.over_limit.cents()
      << '\n';
  }
  for (const DeductionEntry& d : out.deductions) {
    s << "D " << d.project << '/' << d.partner << '/' << d.report << ' ' << d.typology << ' '
      << d.amount.cents() << '\n';
  }
  for (const PaymentOutcome& p : out.payments) {
    s << "P " << p.project << '/' << p.partner << '/' << p.report << ' ' << p.event_id << ' '
      << p.amount.cents() << '\n';
  }
  return s.str();
}

}  // namespace

TEST_CASE("results are the same on any number of threads and when the portfolio is given away",
          "[calc][property]") {
  for (std::uint64_t seed = 21; seed <= 23; ++seed) {
    GeneratedWorld world;
    GeneratorOptions o = options(seed, ShareRounding::kCumulative);
    o.projects = 5;  // 20 partners: enough for every worker to take several
    ReportGenerator(o).fill(world);
    const Portfolio kept = world.portfolio();
    const std::string one_thread = fingerprint(compute_portfolio(kept, 1));
    CHECK(one_thread.find("\nF ") != std::string::npos);  // findings are part of the comparison
    CHECK(fingerprint(compute_portfolio(kept, 2)) == one_thread);
    CHECK(fingerprint(compute_portfolio(kept, 7)) == one_thread);
    Portfolio given = world.portfolio();
    CHECK(fingerprint(compute_portfolio(std::move(given), 3)) == one_thread);
    // The given-away portfolio's lines were released; the kept one is untouched.
    for (const auto& [key, stored] : given.reports) CHECK(stored.report == nullptr);
    for (const auto& [key, stored] : kept.reports) CHECK(stored.report != nullptr);
  }
}

TEST_CASE("streamed lines are the held lines, computed again partner by partner",
          "[calc][property]") {
  GeneratedWorld world;
  GeneratorOptions o = options(31, ShareRounding::kCumulative);
  o.projects = 5;
  ReportGenerator(o).fill(world);
  const Portfolio kept = world.portfolio();
  const RunOutcome held = compute_portfolio(kept, 1);
  const std::string expected = fingerprint(held);
  for (unsigned threads : {1u, 2u, 5u}) {
    const RunOutcome streamed = compute_portfolio_streamed(world.portfolio(), threads);
    // Not one LineOutcome is kept; the figures, findings and lines are the same.
    CHECK(streamed.lines.empty());
    REQUIRE(streamed.line_source != nullptr);
    REQUIRE(line_count(streamed) == held.lines.size());
    CHECK(fingerprint(streamed) == expected);
  }

  const RunOutcome streamed = compute_portfolio_streamed(world.portfolio(), 2);
  const LineSource& lines = *streamed.line_source;
  const std::size_t n = lines.size();
  REQUIRE(n > 500);
  const auto held_sum = [&](std::size_t begin, std::size_t end) {
    LineAmounts sum;
    for (std::size_t i = begin; i < end; ++i) sum.add(held.lines[i]);
    return sum;
  };
  // Sums over ranges cutting reports and partners anywhere (page boundaries do), and the whole.
  std::mt19937_64 rng(7);
  for (int k = 0; k < 40; ++k) {
    std::size_t a = rng() % (n + 1);
    std::size_t b = rng() % (n + 1);
    if (a > b) std::swap(a, b);
    CHECK(lines.amounts(a, b) == held_sum(a, b));
  }
  CHECK(lines.amounts(0, n) == held_sum(0, n));
  CHECK(lines.amounts(n, n) == LineAmounts());
  // A visit of any range gives those lines, with their indexes, in order.
  std::vector<std::size_t> seen;
  lines.visit(17, 333, [&](std::size_t i, const LineOutcome& l) {
    seen.push_back(i);
    CHECK(l.line.line == held.lines[i].line.line);
    CHECK(l.certified == held.lines[i].certified);
  });
  REQUIRE(seen.size() == 316);
  CHECK(seen.front() == 17);
  CHECK(seen.back() == 332);
  // A report's line by its number, as the Findings sheet links it.
  for (const ReportOutcome& r : streamed.reports) {
    const std::size_t end = r.first_line + r.line_count;
    for (std::size_t i = r.first_line; i < end; i += 7) {
      const auto hit = lines.find(r.first_line, end, held.lines[i].line.line);
      REQUIRE(hit.has_value());
      CHECK(*hit == i);
    }
    CHECK_FALSE(lines.find(r.first_line, end, 999999).has_value());
  }
  CHECK_THROWS_AS(lines.amounts(0, n + 1), std::out_of_range);

  // A view of one project's range, as a per-project workbook reads it.
  const ReportOutcome& first = streamed.reports.front();
  std::size_t count = 0;
  for (const ReportOutcome& r : streamed.reports) {
    if (r.project == first.project) count += r.line_count;
  }
  const std::size_t offset = 100;
  const auto view = line_range(streamed.line_source, offset, count);
  CHECK(view->size() == count);
  CHECK(view->amounts(0, count) == held_sum(offset, offset + count));
  std::size_t visited = 0;
  view->visit(0, count, [&](std::size_t i, const LineOutcome& l) {
    CHECK(l.eur == held.lines[offset + i].eur);
    ++visited;
  });
  CHECK(visited == count);
}

TEST_CASE("streamed lines that come out different the second time stop the run", "[calc]") {
  GeneratedWorld world;
  GeneratorOptions o = options(32, ShareRounding::kPerReport);
  o.projects = 1;
  ReportGenerator(o).fill(world);
  Portfolio portfolio = world.portfolio();
  // A report the test can still change after the first computation (as memory corruption or a
  // non-deterministic rule would): the second computation must notice, not write other lines.
  auto planted = std::make_shared<PartnerReport>(*portfolio.reports.begin()->second.report);
  portfolio.reports.begin()->second.report = planted;
  const RunOutcome streamed = compute_portfolio_streamed(std::move(portfolio), 1);
  const LineSource& lines = *streamed.line_source;
  std::size_t visited = 0;
  lines.visit(0, lines.size(), [&](std::size_t, const LineOutcome&) { ++visited; });
  REQUIRE(visited == lines.size());  // unchanged: the same lines again

  planted->lines.front().declared += Money::from_cents(100);
  CHECK_THROWS_WITH(lines.visit(0, lines.size(), [](std::size_t, const LineOutcome&) {}),
                    Catch::Contains("computed again differ from the first computation"));
  CHECK_THROWS_AS(lines.amounts(0, 1), std::logic_error);
}

namespace {

// Lines kept aside, as the run's spill file keeps them: counts how often they are read back.
class AsideLines final : public SpilledLines {
 public:
  explicit AsideLines(std::vector<ExpenseLine> lines) : lines_(std::move(lines)) {}
  std::size_t count() const override { return lines_.size(); }
  std::vector<ExpenseLine> read() const override {
    ++reads_;
    return lines_;
  }
  std::size_t reads() const { return reads_; }

 private:
  std::vector<ExpenseLine> lines_;
  mutable std::atomic<std::size_t> reads_{0};
};

// A control's decisions kept aside, as the run's spill file keeps them: counts the reads.
class AsideDecisions final : public SpilledDecisions {
 public:
  explicit AsideDecisions(std::vector<LineDecision> decisions) : decisions_(std::move(decisions)) {}
  std::size_t count() const override { return decisions_.size(); }
  std::vector<LineDecision> read() const override {
    ++reads_;
    return decisions_;
  }
  std::size_t reads() const { return reads_; }

 private:
  std::vector<LineDecision> decisions_;
  mutable std::atomic<std::size_t> reads_{0};
};

}  // namespace

TEST_CASE("a portfolio holding report headers only computes what held reports compute",
          "[calc][property]") {
  for (std::uint64_t seed = 41; seed <= 42; ++seed) {
    GeneratedWorld world;
    GeneratorOptions o =
        options(seed, seed == 41 ? ShareRounding::kCumulative : ShareRounding::kPerReport);
    o.projects = 4;
    ReportGenerator(o).fill(world);
    const std::string expected = fingerprint(compute_portfolio(world.portfolio(), 1));
    REQUIRE(expected.find("DUP-INVOICE") != std::string::npos);  // duplicates are compared too

    Portfolio spilled = world.portfolio();
    std::vector<std::shared_ptr<const AsideLines>> asides;
    for (auto& [key, stored] : spilled.reports) {
      auto aside = std::make_shared<const AsideLines>(stored.report->lines);
      stored.report = std::make_shared<const PartnerReport>(header_of(*stored.report));
      stored.spilled = aside;
      asides.push_back(aside);
      CHECK(stored.report->lines.empty());
      CHECK(stored.line_count() == aside->count());
    }
    // Control results too: their headers held, their decisions aside.
    std::vector<std::shared_ptr<const AsideDecisions>> decided;
    std::size_t decisions = 0;
    for (auto& [key, accepted] : spilled.controls) {
      for (AcceptedControl& c : accepted) {
        auto aside = std::make_shared<const AsideDecisions>(c.control->decisions);
        auto header = std::make_shared<ControlResult>(*c.control);
        header->decisions.clear();
        c.control = std::move(header);
        c.spilled = aside;
        decided.push_back(aside);
        decisions += aside->count();
        CHECK(c.decision_count() == aside->count());
      }
    }
    REQUIRE(decided.size() > 10);
    REQUIRE(decisions > 100);  // deductions and parked lines are compared too
    const RunOutcome out = compute_portfolio_streamed(std::move(spilled), 2);
    // Each control in force was read back once, when its report was computed: not once a line.
    // (Its lines computed again for the fingerprint read it once more.)
    std::size_t control_reads = 0;
    for (const auto& aside : decided) {
      CHECK(aside->reads() <= 1);
      control_reads += aside->reads();
    }
    CHECK(control_reads > 10);
    CHECK(fingerprint(out) == expected);
    // The Findings sheet's link to a line: the line numbers come back from the spilled lines.
    const LineSource& lines = *out.line_source;
    std::vector<int> numbers;
    lines.visit(0, lines.size(),
                [&](std::size_t, const LineOutcome& l) { numbers.push_back(l.line.line); });
    for (const ReportOutcome& r : out.reports) {
      const std::size_t end = r.first_line + r.line_count;
      for (std::size_t i = r.first_line; i < end; i += 5) {
        CHECK(lines.find(r.first_line, end, numbers[i]) == std::optional<std::size_t>(i));
      }
    }
    for (const auto& aside : asides) CHECK(aside->reads() > 0);  // really read back
  }
}
