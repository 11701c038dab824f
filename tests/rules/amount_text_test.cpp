// AmountText (rules/amount_text.h) writes exactly what Money::to_string writes, for every kind
// of amount: zero, cents only, negative, the Jems range's ends and int64's.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "rules/amount_text.h"

using namespace cofin;

namespace {

void require_as_to_string(std::int64_t cents) {
  const Money m = Money::from_cents(cents);
  INFO("cents " << cents);
  const AmountText text(m);
  CHECK(std::string(text.view()) == m.to_string());
  const AmountText copy = text;  // a copy refers to its own text
  CHECK(std::string(copy.view()) == m.to_string());
}

}  // namespace

TEST_CASE("an amount's text is Money::to_string's", "[rules]") {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  for (const std::int64_t cents : {std::int64_t{0},
                                   std::int64_t{1},
                                   std::int64_t{-1},
                                   std::int64_t{5},
                                   std::int64_t{-5},
                                   std::int64_t{10},
                                   std::int64_t{99},
                                   std::int64_t{-99},
                                   std::int64_t{100},
                                   std::int64_t{-100},
                                   std::int64_t{101},
                                   std::int64_t{123456},
                                   std::int64_t{-123456},
                                   std::int64_t{100000000},
                                   Money::kMaxAmountCents,
                                   -Money::kMaxAmountCents,
                                   Money::kMaxAmountCents + 1,
                                   kMax,
                                   kMax - 1,
                                   kMin,
                                   kMin + 1}) {
    require_as_to_string(cents);
  }
  std::mt19937_64 rng(20261124);
  for (int k = 0; k < 20000; ++k) {
    // Every magnitude from one digit to nineteen, both signs.
    // A shift of 1 to 63 (64 would be undefined) keeps the value below 2^63.
    const auto bits = 1 + static_cast<int>(rng() % 63);
    require_as_to_string(static_cast<std::int64_t>(rng() >> bits) * (k % 2 == 0 ? 1 : -1));
  }
}
