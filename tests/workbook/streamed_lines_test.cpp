// Workbooks from streamed lines (compute_portfolio_streamed, as `cofin run` computes) are the
// workbooks from held lines, byte for byte: the Lines sheets, their page totals, the Findings
// links into them, and the per-project workbooks reading their project's range.
#include <catch2/catch.hpp>

#include <filesystem>

#include "calc/portfolio.h"
#include "support/generator.h"
#include "support/process.h"
#include "workbook/generated_run.h"
#include "workbook/workbook.h"

using namespace cofin;
using namespace cofin::testing;
namespace fs = std::filesystem;

TEST_CASE("workbooks from streamed lines are byte-identical to those from held lines",
          "[workbook][calc]") {
  GeneratedWorld world;
  fill_small_world(world, 41, 20);

  const Portfolio portfolio = world.portfolio();
  RunOutcome held = compute_portfolio(portfolio, 2);
  RunOutcome streamed = compute_portfolio_streamed(world.portfolio(), 2);
  name_run(held, portfolio.as_of, "streamed");
  name_run(streamed, portfolio.as_of, "streamed");
  REQUIRE(streamed.lines.empty());
  REQUIRE(held.lines.size() == 810);
  REQUIRE(held.findings.size() > 20);

  for (const bool constant_memory : {false, true}) {
    const fs::path dir = fresh_dir(constant_memory ? "streamed-cm" : "streamed");
    fs::create_directories(dir / "held");
    fs::create_directories(dir / "streamed");
    WorkbookOptions options;
    options.constant_memory = constant_memory;
    // 200 rows a sheet: the lines continue on five sheets, pages cut reports and partners, and
    // each page's totals are sums over a range computed again.
    options.max_rows_per_sheet = 200;
    write_run_workbooks(held, dir / "held", options, true);
    write_run_workbooks(streamed, dir / "streamed", options, true);
    const std::vector<std::string> names = files_in(dir / "held");
    REQUIRE(names.size() == 4);  // programme-wide + 3 projects
    REQUIRE(files_in(dir / "streamed") == names);
    for (const std::string& name : names) {
      INFO(name << (constant_memory ? " (constant memory)" : ""));
      CHECK(slurp(dir / "held" / name) == slurp(dir / "streamed" / name));
    }
  }
}
