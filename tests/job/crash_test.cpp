// Crash safety in the default suite: a small number of kill points of tests/crash/crash.py
// (the campaign over every point and random kills is scripts/crash-campaign.sh).
#include <unistd.h>

#include <catch2/catch.hpp>

#include "support/process.h"

using namespace cofin::testing;
namespace fs = std::filesystem;

namespace {

std::string harness(const std::string& args, const fs::path& scratch) {
  const std::string command = std::string("COFIN_BINARY='") + COFIN_BINARY +
                              "' COFIN_SOURCE_DIR='" + COFIN_SOURCE_DIR + "' /usr/bin/python3 '" +
                              COFIN_SOURCE_DIR + "/tests/crash/crash.py' " + args;
  const auto r = run_shell(command, scratch);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  return r.out;
}

}  // namespace

TEST_CASE("a run killed after a durable step recovers on the next run", "[job][crash]") {
  const fs::path dir = fresh_dir("crash-" + std::to_string(::getpid()));
  harness("prepare '" + (dir / "w").string() + "'", dir);
  const int steps = std::stoi(harness("steps '" + (dir / "w").string() + "'", dir));
  // Demo inbox, two re-sends and two rejected files: the documents' group commit, a rename per
  // document and a sync per directory touched, the rejected files' notes, then the amounts,
  // the workbook and the run's end.
  REQUIRE(steps > 30);
  // The first commit, the first document's commit and its move, the middle of the documents,
  // after the amounts, after the workbook (before the run's last commit), the last step.
  for (const int k : {1, 3, 4, steps / 2, steps - 6, steps - 1, steps}) {
    const std::string out =
        harness("trial '" + (dir / "w").string() + "' " + std::to_string(k), dir);
    INFO("kill point " << k);
    CHECK(out.starts_with("ok"));
    if (k < steps) CHECK(out.find("(killed)") != std::string::npos);
  }
}
