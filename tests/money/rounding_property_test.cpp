// Property: divide_rounded's 64-bit path rounds exactly as the 128-bit arithmetic it replaces
// (kept here as the reference), for every rule, on random operands, exact halves, and the edges
// of the int64 range where 2 * remainder would overflow.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "money/rounding.h"

using namespace cofin;

namespace {

i128 reference_divide_rounded(i128 numerator, i128 denominator, Rounding rule) {
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const i128 quotient = numerator / denominator;
  const i128 remainder = numerator % denominator;
  if (remainder == 0) return quotient;
  switch (rule) {
    case Rounding::kDown:
      return quotient;
    case Rounding::kFloor:
      return numerator < 0 ? quotient - 1 : quotient;
    case Rounding::kHalfUp: {
      const i128 twice = (remainder < 0 ? -remainder : remainder) * 2;
      if (twice >= denominator) return numerator < 0 ? quotient - 1 : quotient + 1;
      return quotient;
    }
  }
  return quotient;
}

void require_same(i128 n, i128 d) {
  for (Rounding rule : {Rounding::kHalfUp, Rounding::kDown, Rounding::kFloor}) {
    const i128 got = divide_rounded(n, d, rule);
    const i128 want = reference_divide_rounded(n, d, rule);
    INFO("n " << static_cast<long double>(n) << " d " << static_cast<long double>(d) << " rule "
              << static_cast<int>(rule));
    REQUIRE(got == want);
  }
}

}  // namespace

TEST_CASE("divide_rounded equals 128-bit arithmetic", "[money][property]") {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  const std::vector<std::int64_t> edges{0,
                                        1,
                                        -1,
                                        2,
                                        -2,
                                        3,
                                        -3,
                                        7,
                                        -7,
                                        100,
                                        -100,
                                        kMax,
                                        kMax - 1,
                                        kMin + 1,
                                        kMin + 2,
                                        kMax / 2,
                                        kMax / 2 + 1,
                                        -(kMax / 2),
                                        -(kMax / 2) - 1,
                                        kMin,
                                        1'000'000,
                                        99'999'999'999,
                                        -99'999'999'999};
  for (std::int64_t n : edges) {
    for (std::int64_t d : edges) {
      if (d != 0) require_same(n, d);
    }
  }
  std::mt19937_64 rng(6);
  for (int k = 0; k < 200000; ++k) {
    // Operands of every magnitude: shift a random word right by a random amount.
    const auto n = static_cast<std::int64_t>(rng()) >> (rng() % 64);
    auto d = static_cast<std::int64_t>(rng()) >> (rng() % 64);
    if (d == 0) d = 1;
    require_same(n, d);
    // Exact halves: numerator = (2q + 1) * d / 2 with an even denominator.
    const std::int64_t even = (d % (std::int64_t{1} << 40)) / 2 * 2;
    if (even != 0) {
      const std::int64_t q = static_cast<std::int64_t>(rng() % 1'000'000) - 500'000;
      require_same(static_cast<i128>(2 * q + 1) * (even / 2), even);
    }
  }
  // Beyond int64, the 128-bit path is taken and must still agree.
  require_same(static_cast<i128>(kMax) * 3 + 1, 2);
  require_same(static_cast<i128>(kMin) * 5, -4);
}
