// The portfolio-wide duplicate check (calc/portfolio_duplicates.h) on the run's threads: reports
// spilled into a real spill file and reports held, read on two threads at once, give the hits
// of one thread and of the plain check over every line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "calc/line_spill.h"
#include "calc/portfolio_duplicates.h"
#include "job/spill_file.h"
#include "support/builders.h"
#include "support/duplicate_hits.h"
#include "support/generator.h"
#include "support/process.h"

using namespace cofin;
using namespace cofin::testing;

TEST_CASE("the portfolio duplicate check on two threads equals one thread over spilled reports",
          "[calc][dup]") {
  GeneratedWorld world;
  fill_duplicate_test_world(world, 80);

  std::vector<InvoiceUse> uses;
  for (const PartnerReport& r : world.reports) {
    for (const ExpenseLine& l : r.lines) {
      uses.push_back({{r.project, r.partner, r.report, l.line}, &l});
    }
  }
  const auto plain = find_duplicate_invoices(uses);
  // Hits across reports, or this test proves nothing.
  REQUIRE(plain.size() >= 10);
  bool across_reports = false;
  for (const auto& [ref, hit] : plain) {
    if (hit.repeat_of && hit.repeat_of->report != ref.report) across_reports = true;
  }
  REQUIRE(across_reports);

  const auto dir = fresh_dir("dup-threads");
  const auto spill = std::make_shared<SpillFile>(dir);
  Portfolio portfolio;
  for (std::size_t k = 0; k < world.reports.size(); ++k) {
    PartnerReport r = world.reports[k];
    const ReportKey key{r.project, r.partner, r.report};
    // Every third report held, the others spilled.
    std::shared_ptr<const SpilledLines> spilled;
    if (k % 3 != 0) spilled = spill_lines(spill, r);
    portfolio.reports[key] = AcceptedReport{std::make_shared<const PartnerReport>(std::move(r)), "",
                                            "", std::move(spilled)};
  }

  const auto one = find_portfolio_duplicates(portfolio, 1);
  const auto two = find_portfolio_duplicates(portfolio, 2);
  require_same_hits(one, plain);
  require_same_hits(two, plain);
  std::filesystem::remove_all(dir);
}
