// Runs tests/hostile/no-network.sh against the cofin under test: no XML input makes `check` or
// `run` touch the network or open a file beyond its inputs, the job's files and its own
// directories (traced with strace; the script says what it allows and proves its own checker).
#include <catch2/catch.hpp>

#include "support/process.h"

using namespace cofin::testing;
namespace fs = std::filesystem;

TEST_CASE("no XML input touches the network or a file it was not given",
          "[hostile][security][e2e]") {
  const fs::path scratch = fresh_dir("no-network");
  const auto r =
      run_shell("'" + (fs::path(COFIN_SOURCE_DIR) / "tests/hostile/no-network.sh").string() +
                    "' '" + COFIN_BINARY + "'",
                scratch);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.starts_with("no-network: "));
  CHECK(r.out.find("no network call") != std::string::npos);
}
