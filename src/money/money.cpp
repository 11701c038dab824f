#include "money/money.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace cofin {

Money Money::from_i128(i128 cents) {
  if (cents > std::numeric_limits<std::int64_t>::max() ||
      cents < std::numeric_limits<std::int64_t>::min()) {
    throw MoneyOverflow("amount out of the int64 range of cents");
  }
  return Money(static_cast<std::int64_t>(cents));
}

Money Money::abs() const {
  return cents_ < 0 ? -*this : *this;
}

Money Money::operator+(Money other) const {
  std::int64_t result;
  if (__builtin_add_overflow(cents_, other.cents_, &result)) throw MoneyOverflow("sum overflows");
  return Money(result);
}

Money Money::operator-(Money other) const {
  std::int64_t result;
  if (__builtin_sub_overflow(cents_, other.cents_, &result)) {
    throw MoneyOverflow("difference overflows");
  }
  return Money(result);
}

Money Money::operator-() const {
  if (cents_ == std::numeric_limits<std::int64_t>::min()) throw MoneyOverflow("negation overflows");
  return Money(-cents_);
}

namespace {

std::string format(std::int64_t cents, char group, char mark) {
  const bool negative = cents < 0;
  // Work in unsigned to make INT64_MIN safe.
  std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(cents) : static_cast<std::uint64_t>(cents);
  const std::uint64_t units = magnitude / 100;
  const unsigned fraction = static_cast<unsigned>(magnitude % 100);
  std::string digits = std::to_string(units);
  std::string out;
  if (negative) out.push_back('-');
  if (group != 0) {
    const std::size_t lead = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
    for (std::size_t i = 0; i < digits.size(); ++i) {
      if (i != 0 && i >= lead && (i - lead) % 3 == 0) out.push_back(group);
      out.push_back(digits[i]);
    }
  } else {
    out += digits;
  }
  out.push_back(mark);
  out.push_back(static_cast<char>('0' + fraction / 10));
  out.push_back(static_cast<char>('0' + fraction % 10));
  return out;
}

}  // namespace

std::string Money::to_string() const {
  return format(cents_, 0, '.');
}
std::string Money::to_display_lv() const {
  return format(cents_, ' ', ',');
}

std::string_view amount_error_text(AmountError e) {
  switch (e) {
    case AmountError::kNone:
      return "ok";
    case AmountError::kEmpty:
      return "amount is empty";
    case AmountError::kSyntax:
      return "not an amount (expected optional sign, digits, space grouping, one decimal mark)";
    case AmountError::kTooManyDecimals:
      return "more than 2 decimals";
    case AmountError::kMarkMismatch:
      return "decimal mark differs from the file's first amount";
    case AmountError::kAmbiguous:
      return "ambiguous amount: the separator may be a decimal mark or a thousands separator";
    case AmountError::kOutOfRange:
      return "amount beyond ±999,999,999.99";
  }
  return "?";
}

AmountParse parse_amount(std::string_view text, DecimalMark mark) {
  AmountParse result;
  auto fail = [&](AmountError e) {
    result.error = e;
    result.value.reset();
    return result;
  };
  if (text.empty()) return fail(AmountError::kEmpty);
  std::size_t i = 0;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    i = 1;
  }
  std::string int_digits;
  std::string frac_digits;
  char separator = 0;
  bool grouped = false;
  bool after_separator = false;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= '0' && c <= '9') {
      (after_separator ? frac_digits : int_digits).push_back(static_cast<char>(c));
      ++i;
    } else if (c == ' ' && !after_separator && !int_digits.empty()) {
      grouped = true;
      ++i;
    } else if (c == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) == 0xA0 && !after_separator &&
               !int_digits.empty()) {  // U+00A0 no-break space
      grouped = true;
      i += 2;
    } else if (c == 0xE2 && i + 2 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) == 0x80 &&
               static_cast<unsigned char>(text[i + 2]) == 0xAF && !after_separator &&
               !int_digits.empty()) {  // U+202F narrow no-break space
      grouped = true;
      i += 3;
    } else if ((c == '.' || c == ',') && !after_separator && !int_digits.empty()) {
      separator = static_cast<char>(c);
      after_separator = true;
      ++i;
    } else {
      return fail(AmountError::kSyntax);
    }
  }
  if (int_digits.empty()) return fail(AmountError::kSyntax);
  if (after_separator && frac_digits.empty()) return fail(AmountError::kSyntax);
  // Grouping must come in threes after the first group; checking the raw text is enough.
  if (grouped) {
    std::string_view body = text.substr(text[0] == '-' || text[0] == '+' ? 1 : 0);
    std::size_t end = separator ? body.find(separator) : body.size();
    std::string_view integral = body.substr(0, end);
    // Split on any grouping character and check group lengths.
    std::vector<std::size_t> groups;
    std::size_t run = 0;
    for (std::size_t k = 0; k < integral.size();) {
      const unsigned char c = static_cast<unsigned char>(integral[k]);
      if (c >= '0' && c <= '9') {
        ++run;
        ++k;
      } else {
        groups.push_back(run);
        run = 0;
        k += c == ' ' ? 1 : (c == 0xC2 ? 2 : 3);
      }
    }
    groups.push_back(run);
    if (groups.front() == 0 || groups.front() > 3) return fail(AmountError::kSyntax);
    for (std::size_t g = 1; g < groups.size(); ++g) {
      if (groups[g] != 3) return fail(AmountError::kSyntax);
    }
  }
  if (separator != 0) {
    const DecimalMark used = separator == '.' ? DecimalMark::kPoint : DecimalMark::kComma;
    if (mark == DecimalMark::kUnknown && !grouped && frac_digits.size() == 3) {
      return fail(AmountError::kAmbiguous);
    }
    if (frac_digits.size() > 2) return fail(AmountError::kTooManyDecimals);
    if (mark != DecimalMark::kUnknown && mark != used) return fail(AmountError::kMarkMismatch);
    result.mark_used = used;
  }
  if (int_digits.size() > 12) return fail(AmountError::kOutOfRange);
  std::int64_t cents = std::stoll(int_digits) * 100;
  if (!frac_digits.empty()) {
    cents += std::int64_t{frac_digits[0] - '0'} * 10;
    if (frac_digits.size() > 1) cents += frac_digits[1] - '0';
  }
  if (negative) cents = -cents;
  const Money value = Money::from_cents(cents);
  if (!value.in_amount_range()) return fail(AmountError::kOutOfRange);
  result.value = value;
  return result;
}

std::vector<Money> allocate(Money total, std::span<const std::int64_t> weights) {
  i128 weight_sum = 0;
  for (std::int64_t w : weights) {
    if (w < 0) throw std::invalid_argument("allocate: negative weight");
    weight_sum += w;
  }
  if (weight_sum == 0) throw std::invalid_argument("allocate: all weights zero");
  const bool negative = total.is_negative();
  const i128 magnitude = negative ? -static_cast<i128>(total.cents()) : total.cents();
  std::vector<i128> parts(weights.size());
  std::vector<i128> remainders(weights.size());
  i128 assigned = 0;
  for (std::size_t k = 0; k < weights.size(); ++k) {
    const i128 product = magnitude * weights[k];
    parts[k] = product / weight_sum;
    remainders[k] = product % weight_sum;
    assigned += parts[k];
  }
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
  for (i128 left = magnitude - assigned, k = 0; left > 0; --left, ++k) {
    parts[order[static_cast<std::size_t>(k)]] += 1;
  }
  std::vector<Money> out;
  out.reserve(parts.size());
  for (i128 p : parts) out.push_back(Money::from_i128(negative ? -p : p));
  return out;
}

}  // namespace cofin
