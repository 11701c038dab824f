#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "money/decimal.h"
#include "money/money.h"

using namespace cofin;

namespace {
Money eur(std::int64_t cents) {
  return Money::from_cents(cents);
}
Decimal pct(const char* text) {
  return *parse_decimal(text, 2);
}
}  // namespace

TEST_CASE("money formats machine and Latvian display", "[money]") {
  CHECK(eur(123456).to_string() == "1234.56");
  CHECK(eur(-5).to_string() == "-0.05");
  CHECK(eur(0).to_string() == "0.00");
  CHECK(eur(123456).to_display_lv() == "1 234,56");
  CHECK(eur(99999999999).to_display_lv() == "999 999 999,99");
  CHECK(eur(-100000).to_display_lv() == "-1 000,00");
}

TEST_CASE("money parses point, comma and grouped amounts", "[money]") {
  CHECK(parse_amount("1234.56").value == eur(123456));
  CHECK(parse_amount("1 234,56").value == eur(123456));
  CHECK(parse_amount("1\xC2\xA0"
                     "234,56")
            .value == eur(123456));
  CHECK(parse_amount("1\xE2\x80\xAF"
                     "234.5")
            .value == eur(123450));
  CHECK(parse_amount("-0.05").value == eur(-5));
  CHECK(parse_amount("+7").value == eur(700));
  CHECK(parse_amount("999999999.99").value == eur(99999999999));
  CHECK(parse_amount("1,5").mark_used == DecimalMark::kComma);
}

TEST_CASE("money rejects what it cannot read exactly", "[money]") {
  CHECK(parse_amount("").error == AmountError::kEmpty);
  CHECK(parse_amount("1.234,5").error == AmountError::kSyntax);
  CHECK(parse_amount("1,234.5").error == AmountError::kSyntax);
  CHECK(parse_amount("1e5").error == AmountError::kSyntax);
  CHECK(parse_amount("4,0003E+10").error == AmountError::kSyntax);
  CHECK(parse_amount("12 34").error == AmountError::kSyntax);
  CHECK(parse_amount("1.234").error == AmountError::kAmbiguous);
  CHECK(parse_amount("1,234").error == AmountError::kAmbiguous);
  CHECK(parse_amount("1.234", DecimalMark::kPoint).error == AmountError::kTooManyDecimals);
  CHECK(parse_amount("1,5", DecimalMark::kPoint).error == AmountError::kMarkMismatch);
  CHECK(parse_amount("1000000000.00").error == AmountError::kOutOfRange);
  CHECK(parse_amount("99999999999999999999").error == AmountError::kOutOfRange);
  CHECK(parse_amount("- 5").error == AmountError::kSyntax);
  CHECK(parse_amount(".5").error == AmountError::kSyntax);
  CHECK(parse_amount("5.").error == AmountError::kSyntax);
}

TEST_CASE("money arithmetic is checked", "[money]") {
  const Money max = Money::from_cents(INT64_MAX);
  CHECK_THROWS_AS(max + eur(1), MoneyOverflow);
  CHECK_THROWS_AS(Money::from_cents(INT64_MIN) - eur(1), MoneyOverflow);
  CHECK_THROWS_AS(-Money::from_cents(INT64_MIN), MoneyOverflow);
  CHECK((eur(10) - eur(25)) == eur(-15));
  // A 128-bit intermediate comes back only when it fits in 64 bits of cents.
  CHECK(Money::from_i128(static_cast<i128>(INT64_MAX)) == max);
  CHECK(Money::from_i128(static_cast<i128>(INT64_MIN)) == Money::from_cents(INT64_MIN));
  CHECK_THROWS_AS(Money::from_i128(static_cast<i128>(INT64_MAX) + 1), MoneyOverflow);
  CHECK_THROWS_AS(Money::from_i128(static_cast<i128>(INT64_MIN) - 1), MoneyOverflow);
  CHECK_THROWS_AS(Money::from_i128(static_cast<i128>(1) << 64), MoneyOverflow);
  CHECK(eur(-7).abs() == eur(7));
  CHECK_THROWS_AS(Money::from_cents(INT64_MIN).abs(), MoneyOverflow);
}

TEST_CASE("rounding rules differ on negatives as documented", "[money]") {
  // FLOOR goes towards minus infinity, DOWN towards zero, HALF_UP away from zero at .5.
  CHECK(divide_rounded(-7, 2, Rounding::kFloor) == -4);
  CHECK(divide_rounded(-7, 2, Rounding::kDown) == -3);
  CHECK(divide_rounded(-7, 2, Rounding::kHalfUp) == -4);
  CHECK(divide_rounded(7, 2, Rounding::kHalfUp) == 4);
  CHECK(divide_rounded(-5, 4, Rounding::kHalfUp) == -1);
  CHECK(divide_rounded(5, -4, Rounding::kFloor) == -2);
}

TEST_CASE("percent shares follow Jems' worked check", "[money]") {
  // domain §6: total 1,234.57 at 80 % -> ERDF 987.65 (FLOOR), contribution 246.92.
  const Money erdf = apply_percent(eur(123457), pct("80"), Rounding::kFloor);
  CHECK(erdf == eur(98765));
  CHECK(eur(123457) - erdf == eur(24692));
  // The asymmetry of per-report FLOOR: -1,234.57 gives -987.66.
  CHECK(apply_percent(eur(-123457), pct("80"), Rounding::kFloor) == eur(-98766));
  CHECK(apply_percent(eur(-123457), pct("80"), Rounding::kDown) == eur(-98765));
  // LARS: 125,550 at 85 % -> 106,717.50.
  CHECK(apply_percent(eur(12555000), pct("85"), Rounding::kFloor) == eur(10671750));
  // 0.35 * 0.8 = 0.28 exactly, where doubles give 0.27999...
  CHECK(apply_percent(eur(35), pct("80"), Rounding::kDown) == eur(28));
}

TEST_CASE("exchange conversion is HALF_UP on 6-decimal rates", "[money]") {
  const Decimal sek = *parse_decimal("11.0382", 6);
  CHECK(sek.to_string() == "11.038200");
  // 1000 SEK / 11.0382 = 90.5944...
  CHECK(convert_to_eur(eur(100000), sek) == eur(9059));
  CHECK(convert_to_eur(eur(-100000), sek) == eur(-9059));
  // An exact half: 1.00 / 8 = 0.125 -> 0.13; -0.125 -> -0.13.
  const Decimal eight = *parse_decimal("8", 6);
  CHECK(convert_to_eur(eur(100), eight) == eur(13));
  CHECK(convert_to_eur(eur(-100), eight) == eur(-13));
}

TEST_CASE("unit-cost lines multiply with DOWN", "[money]") {
  CHECK(multiply(*parse_decimal("7.5", 2), eur(2400), Rounding::kDown) == eur(18000));
  CHECK(multiply(*parse_decimal("3.33", 2), eur(23), Rounding::kDown) == eur(76));  // 76.59 -> 76
  CHECK(multiply(*parse_decimal("-3.33", 2), eur(23), Rounding::kDown) == eur(-76));
}

TEST_CASE("decimal parsing is strict and compares by value", "[money]") {
  CHECK_FALSE(parse_decimal("1.2345678", 6));
  CHECK_FALSE(parse_decimal("1,5", 2));
  CHECK_FALSE(parse_decimal("", 2));
  CHECK_FALSE(parse_decimal("1e3", 2));
  CHECK(*parse_decimal("1.5", 2) == *parse_decimal("1.50", 6));
  CHECK(*parse_decimal("-0.5", 2) < *parse_decimal("0", 2));
}

namespace {

// The allocation rule written the plain way (every remainder ranked by a stable sort, 128-bit
// arithmetic throughout), which allocate() must match part for part.
std::vector<Money> allocate_by_stable_sort(Money total, const std::vector<std::int64_t>& weights) {
  i128 sum = 0;
  for (std::int64_t w : weights) sum += w;
  const bool negative = total.is_negative();
  const i128 magnitude = negative ? -static_cast<i128>(total.cents()) : total.cents();
  std::vector<i128> parts, remainders;
  i128 assigned = 0;
  for (std::int64_t w : weights) {
    parts.push_back(magnitude * w / sum);
    remainders.push_back(magnitude * w % sum);
    assigned += parts.back();
  }
  std::vector<std::size_t> order(weights.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
  for (i128 left = magnitude - assigned, k = 0; left > 0; --left, ++k) {
    parts[order[static_cast<std::size_t>(k)]] += 1;
  }
  std::vector<Money> out;
  for (i128 p : parts) out.push_back(Money::from_i128(negative ? -p : p));
  return out;
}

}  // namespace

TEST_CASE("allocation matches the plain largest-remainder rule, ties to the earlier weight",
          "[money]") {
  std::mt19937_64 random(20261124);
  for (int round = 0; round < 20000; ++round) {
    const std::size_t n = 1 + random() % 12;
    std::vector<std::int64_t> weights(n);
    // Small weights tie often; some rounds use weights and totals whose products need 128 bits.
    const bool wide = round % 5 == 0;
    for (auto& w : weights) {
      w = wide ? static_cast<std::int64_t>(random() >> 2) : static_cast<std::int64_t>(random() % 4);
    }
    if (std::all_of(weights.begin(), weights.end(), [](std::int64_t w) { return w == 0; })) {
      weights[0] = 1;
    }
    const std::int64_t span = wide ? 99'999'999'999 : 10'000;
    const auto cents = static_cast<std::int64_t>(random() % (2 * span + 1)) - span;
    const Money total = Money::from_cents(cents);
    INFO("round " << round << " total " << total.to_string());
    REQUIRE(allocate(total, weights) == allocate_by_stable_sort(total, weights));
  }
}

TEST_CASE("allocation never loses a cent", "[money]") {
  const std::int64_t thirds[] = {1, 1, 1};
  auto parts = allocate(eur(100), thirds);
  REQUIRE(parts.size() == 3);
  CHECK(parts[0] == eur(34));  // ties go to the earlier weight
  CHECK(parts[1] == eur(33));
  CHECK(parts[2] == eur(33));
  auto negative = allocate(eur(-100), thirds);
  CHECK(negative[0] + negative[1] + negative[2] == eur(-100));
  const std::int64_t mixed[] = {0, 7, 3};
  auto m = allocate(eur(1001), mixed);
  CHECK(m[0] == eur(0));
  CHECK(m[1] + m[2] == eur(1001));
  for (std::int64_t total = -1000; total <= 1000; total += 7) {
    const std::int64_t w[] = {5, 11, 13, 0, 2};
    auto p = allocate(eur(total), w);
    Money sum;
    for (auto x : p) sum += x;
    CHECK(sum == eur(total));
  }
}
