// origin_label is written with std::to_chars: it must give exactly the text the ledger and
// earlier runs stored ("R" + to_string(report) + "." + to_string(line)), for every int.
#include <catch2/catch.hpp>

#include <climits>
#include <random>
#include <string>

#include "rules/reinclusion.h"

using namespace cofin;

TEST_CASE("origin labels read R{report}.{line} as to_string writes the numbers",
          "[rules][reinclusion]") {
  CHECK(origin_label(1, 3) == "R1.3");
  CHECK(origin_label(12, 450) == "R12.450");
  const int edges[] = {0, 1, -1, 9, 10, 99, 100, 999'999'999, INT_MAX, INT_MIN, INT_MIN + 1};
  for (int r : edges) {
    for (int l : edges) {
      CHECK(origin_label(r, l) == "R" + std::to_string(r) + "." + std::to_string(l));
    }
  }
  std::mt19937 rng(3);
  for (int k = 0; k < 10000; ++k) {
    const auto r = static_cast<int>(rng()) >> (rng() % 31);
    const auto l = static_cast<int>(rng()) >> (rng() % 31);
    REQUIRE(origin_label(r, l) == "R" + std::to_string(r) + "." + std::to_string(l));
  }
  // canonical_origin reads a label back into the same form.
  CHECK(canonical_origin(" r7.12 ") == "R7.12");
}
