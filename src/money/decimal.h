// Decimal: an exact decimal number (integer units at a power-of-ten scale), for rates and
// quantities. Percentages are kept with 2 decimals (80.00), InforEuro exchange rates with 6
// (11.038200 SEK per EUR), unit quantities (hours, participant-days) with up to 2.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "money/money.h"
#include "money/rounding.h"

namespace cofin {

class Decimal {
 public:
  static constexpr int kMaxScale = 9;

  constexpr Decimal() = default;
  // REQUIRES: 0 <= scale <= kMaxScale.
  static Decimal from_units(std::int64_t units, int scale);

  constexpr std::int64_t units() const { return units_; }
  constexpr int scale() const { return scale_; }
  constexpr bool is_zero() const { return units_ == 0; }
  constexpr bool is_negative() const { return units_ < 0; }

  // Numeric comparison, independent of scale (1.5 == 1.50).
  std::strong_ordering operator<=>(const Decimal& other) const;
  bool operator==(const Decimal& other) const { return (*this <=> other) == 0; }

  // Returns the value with exactly `scale()` decimals, e.g. "11.038200", "80.00".
  std::string to_string() const;

 private:
  constexpr Decimal(std::int64_t units, int scale) : units_(units), scale_(scale) {}
  std::int64_t units_ = 0;
  int scale_ = 0;
};

using Rate = Decimal;
using Quantity = Decimal;

// Parses a plain decimal ("80", "80.5", "11.0382", "-2.25"; `.` as the mark, no grouping, no
// exponent) with at most `max_scale` decimals; the result has scale exactly `max_scale`.
// Returns nullopt on any other text.
std::optional<Decimal> parse_decimal(std::string_view text, int max_scale);

// Returns `rounding(base × percent / 100)` in cents: percent is a percentage such as 80.00.
// Example: apply_percent(1234.57, 80.00, kFloor) = 987.65 (domain §6, Jems' worked check).
Money apply_percent(Money base, const Decimal& percent, Rounding rounding);

// Returns `HALF_UP(amount / units_per_eur, 2)`: an amount in a foreign currency converted with
// an InforEuro rate (Reg. (EC) 1103/97; domain §5).
// REQUIRES: units_per_eur > 0.
Money convert_to_eur(Money amount, const Decimal& units_per_eur);

// Returns `rounding(quantity × price)` in cents: a unit-cost line (DOWN per domain §6).
Money multiply(const Decimal& quantity, Money price, Rounding rounding);

}  // namespace cofin
