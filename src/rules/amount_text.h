// An amount's machine text ("1234.56", "-0.05"), written into the value itself: a finding's
// message quotes amounts, and a std::string for each (Money::to_string) cost more than the
// check that raised the finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "money/money.h"

namespace cofin {

class AmountText {
 public:
  // Writes `amount` as Money::to_string does: an optional '-', the units without grouping, '.'
  // and two decimals.
  explicit AmountText(Money amount) {
    const std::int64_t cents = amount.cents();
    // Unsigned, so that the magnitude of INT64_MIN is exact.
    std::uint64_t magnitude =
        cents < 0 ? 0 - static_cast<std::uint64_t>(cents) : static_cast<std::uint64_t>(cents);
    std::size_t at = sizeof text_;
    const auto fraction = static_cast<unsigned>(magnitude % 100);
    magnitude /= 100;
    text_[--at] = static_cast<char>('0' + fraction % 10);
    text_[--at] = static_cast<char>('0' + fraction / 10);
    text_[--at] = '.';
    do {
      text_[--at] = static_cast<char>('0' + magnitude % 10);
      magnitude /= 10;
    } while (magnitude != 0);
    if (cents < 0) text_[--at] = '-';
    begin_ = static_cast<std::uint8_t>(at);
  }

  // Returns the text; valid while this value lives.
  std::string_view view() const { return {text_ + begin_, sizeof text_ - begin_}; }
  operator std::string_view() const { return view(); }

 private:
  // The longest text: '-', 17 digits of units (INT64_MIN / 100), '.', 2 decimals.
  char text_[24];
  std::uint8_t begin_ = 0;  // an offset, not a pointer: a copy stays right
};

}  // namespace cofin
