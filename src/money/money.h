// Money: an exact amount in integer cents. Never a double.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "money/int128.h"

namespace cofin {

// Thrown when an arithmetic result leaves the int64 range of cents. This is a program or
// configuration failure (no valid input reaches it), not a data finding.
class MoneyOverflow : public std::overflow_error {
 public:
  using std::overflow_error::overflow_error;
};

class Money {
 public:
  // The Jems amount range: every declared amount lies within ±kMaxAmountCents.
  static constexpr std::int64_t kMaxAmountCents = 99'999'999'999;  // 999,999,999.99

  constexpr Money() = default;
  static constexpr Money from_cents(std::int64_t cents) { return Money(cents); }
  // Returns the amount for `value` cents. Throws MoneyOverflow when it does not fit int64.
  static Money from_i128(i128 cents) {
    const auto narrow = static_cast<std::int64_t>(cents);
    if (narrow != cents) overflow("amount out of the int64 range of cents");
    return Money(narrow);
  }

  constexpr std::int64_t cents() const { return cents_; }
  constexpr bool is_zero() const { return cents_ == 0; }
  constexpr bool is_negative() const { return cents_ < 0; }
  // Returns true when |amount| <= 999,999,999.99 (the Jems range).
  constexpr bool in_amount_range() const {
    return cents_ <= kMaxAmountCents && cents_ >= -kMaxAmountCents;
  }
  Money abs() const { return cents_ < 0 ? -*this : *this; }

  // Checked arithmetic: throws MoneyOverflow. Inline: a computed line adds and compares a few
  // dozen amounts, and a call for each was 1 % of a CSV night's computation.
  Money operator+(Money other) const {
    std::int64_t result;
    if (__builtin_add_overflow(cents_, other.cents_, &result)) overflow("sum overflows");
    return Money(result);
  }
  Money operator-(Money other) const {
    std::int64_t result;
    if (__builtin_sub_overflow(cents_, other.cents_, &result)) overflow("difference overflows");
    return Money(result);
  }
  Money operator-() const {
    if (cents_ == std::numeric_limits<std::int64_t>::min()) overflow("negation overflows");
    return Money(-cents_);
  }
  Money& operator+=(Money other) { return *this = *this + other; }
  Money& operator-=(Money other) { return *this = *this - other; }

  constexpr auto operator<=>(const Money&) const = default;

  // Returns "1234.56" / "-0.05": the machine format (XML, CSV export, logs).
  std::string to_string() const;
  // Returns "1 234,56": the Latvian display format (space grouping, decimal comma).
  std::string to_display_lv() const;

 private:
  constexpr explicit Money(std::int64_t cents) : cents_(cents) {}
  // Throws MoneyOverflow(what); out of line, so that the checked operators stay small.
  [[noreturn, gnu::cold]] static void overflow(const char* what);
  std::int64_t cents_ = 0;
};

// How a textual amount writes its decimal separator.
enum class DecimalMark { kUnknown, kPoint, kComma };

// Why an amount could not be parsed.
enum class AmountError {
  kNone,
  kEmpty,
  kSyntax,           // not sign, digits, grouping, one separator
  kTooManyDecimals,  // more than 2 decimals
  kMarkMismatch,     // uses the other decimal mark than the file's
  kAmbiguous,        // e.g. "1,234" where the file's mark is not yet known
  kOutOfRange,       // beyond ±999,999,999.99
};

struct AmountParse {
  std::optional<Money> value;
  AmountError error = AmountError::kNone;
  // The decimal mark the text used, when it had a fraction; kUnknown otherwise.
  DecimalMark mark_used = DecimalMark::kUnknown;
};

// Parses an amount: optional sign, digits, grouping only by space, U+00A0 or U+202F, at most one
// decimal separator (`.` or `,`), at most 2 decimals, within ±999,999,999.99.
// `mark` is the file's decimal mark once known (kUnknown before its first amount with a fraction).
// A text with one `.` or `,` followed by exactly 3 digits and no grouping is ambiguous while
// `mark` is unknown ("1,234" may be 1234 or 1.234).
// Returns the value, or the error; never guesses.
AmountParse parse_amount(std::string_view text, DecimalMark mark = DecimalMark::kUnknown);

// Returns a one-line explanation of `e` for diagnostics.
std::string_view amount_error_text(AmountError e);

// Splits `total` into parts proportional to `weights` so that the parts sum to `total` exactly:
// each part is the DOWN-rounded share, the remaining cents go one each to the largest
// remainders, ties to the earlier weight (stable). Weights of zero get zero.
// REQUIRES: every weight >= 0 and at least one weight > 0.
std::vector<Money> allocate(Money total, std::span<const std::int64_t> weights);

}  // namespace cofin
