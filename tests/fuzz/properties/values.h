// Properties of the value parsers and of Money: parse_amount, parse_date, Money's formats,
// checked arithmetic, Decimal and allocate.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/properties/common.h"
#include "model/date.h"
#include "money/decimal.h"
#include "money/money.h"

namespace cofin::fuzz {

namespace detail {

// Returns the value an accepted amount text denotes, computed independently of parse_amount:
// sign, then every digit, the first `.` or `,` as the decimal mark; grouping characters (space,
// U+00A0, U+202F) skipped. Returns false when the text has more than 15 digits (cannot be an
// accepted amount anyway).
inline bool reference_cents(std::string_view text, std::int64_t& cents) {
  bool negative = false;
  std::size_t i = 0;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    i = 1;
  }
  std::int64_t integral = 0;
  std::int64_t fraction = 0;
  int fraction_digits = 0;
  int digit_count = 0;
  bool after_mark = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      if (++digit_count > 15) return false;
      if (after_mark) {
        fraction = fraction * 10 + (c - '0');
        ++fraction_digits;
      } else {
        integral = integral * 10 + (c - '0');
      }
    } else if ((c == '.' || c == ',') && !after_mark) {
      after_mark = true;
    }
  }
  if (fraction_digits == 1) fraction *= 10;
  cents = integral * 100 + fraction;
  if (negative) cents = -cents;
  return true;
}

// Returns true when `text` holds only bytes an amount may be made of.
inline bool only_amount_bytes(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == ' ' || c == '.' || c == ',') {
      continue;
    }
    if (text.substr(i, 2) == "\xC2\xA0") {
      i += 1;
      continue;
    }
    if (text.substr(i, 3) == "\xE2\x80\xAF") {
      i += 2;
      continue;
    }
    return false;
  }
  return true;
}

inline DecimalMark mark_of(unsigned char selector) {
  switch (selector % 3) {
    case 1:
      return DecimalMark::kPoint;
    case 2:
      return DecimalMark::kComma;
    default:
      return DecimalMark::kUnknown;
  }
}

__extension__ typedef __int128 wide;

}  // namespace detail

// Input: one selector byte (the file's decimal mark: unknown, point, comma), then the text.
inline Violation amount(std::string_view input) {
  if (input.empty()) return {};
  const DecimalMark mark = detail::mark_of(static_cast<unsigned char>(input[0]));
  const std::string_view text = input.substr(1);
  const AmountParse p = parse_amount(text, mark);
  if (p.value.has_value() != (p.error == AmountError::kNone)) {
    return "value and error disagree";
  }
  if (p.error == AmountError::kAmbiguous && mark != DecimalMark::kUnknown) {
    return "ambiguous although the file's mark is known";
  }
  if (!p.value) return {};
  const Money v = *p.value;
  if (!v.in_amount_range()) return "accepted an amount beyond the Jems range: " + v.to_string();
  if (!detail::only_amount_bytes(text)) return "accepted a text with a foreign byte";
  std::int64_t expected = 0;
  if (!detail::reference_cents(text, expected)) return "accepted more than 15 digits";
  if (expected != v.cents()) {
    return "parsed to " + v.to_string() + " but the digits say " +
           Money::from_cents(expected).to_string();
  }
  if (mark != DecimalMark::kUnknown && p.mark_used != DecimalMark::kUnknown &&
      p.mark_used != mark) {
    return "used another decimal mark than the file's";
  }
  if (mark == DecimalMark::kUnknown && p.mark_used != DecimalMark::kUnknown) {
    // Once the first fraction fixes the mark, the same text must read the same.
    const AmountParse again = parse_amount(text, p.mark_used);
    if (!again.value || *again.value != v) return "reads differently once its own mark is fixed";
  }
  const AmountParse machine = parse_amount(v.to_string(), DecimalMark::kPoint);
  if (!machine.value || *machine.value != v) return "to_string does not parse back";
  const AmountParse display = parse_amount(v.to_display_lv(), DecimalMark::kComma);
  if (!display.value || *display.value != v) return "to_display_lv does not parse back";
  return {};
}

// Input: one selector byte (required format: any, ISO, dotted), then the text.
inline Violation date(std::string_view input) {
  if (input.empty()) return {};
  const auto format = static_cast<DateFormat>(static_cast<unsigned char>(input[0]) % 3);
  const std::string_view text = input.substr(1);
  const auto parsed = parse_date(text, format);
  if (!parsed) return {};
  const auto& [d, used] = *parsed;
  if (format != DateFormat::kUnknown && used != format) return "accepted the other format";
  // Parsing is exact: the canonical spelling of the date is the text itself.
  std::string canonical = d.to_string();
  if (used == DateFormat::kDotted) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02u.%02u.%04d", d.day(), d.month(), d.year());
    canonical = buf;
  }
  if (canonical != text) return "accepted a non-canonical spelling, read as " + d.to_string();
  if (!Date::from_ymd(d.year(), d.month(), d.day())) return "accepted an impossible day";
  const auto iso = parse_date(d.to_string(), DateFormat::kIso);
  if (!iso || !(iso->first == d)) return "to_string does not parse back";
  const Date next = d.plus_days(1);
  if (!(next > d) || !(next.plus_days(-1) == d)) return "plus_days is not consistent";
  if (next.excel_serial() != d.excel_serial() + 1) return "excel_serial is not consistent";
  return {};
}

// Input: little-endian int64 a, int64 b, then up to 8 uint16 allocation weights.
inline Violation money_roundtrip(std::string_view input) {
  using detail::wide;
  std::int64_t raw[2] = {0, 0};
  std::memcpy(raw, input.data(), std::min(input.size(), sizeof raw));
  const Money a = Money::from_cents(raw[0]);
  const Money b = Money::from_cents(raw[1]);

  // Formats parse back inside the range, and are out of range (not a syntax error) outside it.
  for (const Money m : {a, b}) {
    const AmountParse machine = parse_amount(m.to_string(), DecimalMark::kPoint);
    const AmountParse display = parse_amount(m.to_display_lv(), DecimalMark::kComma);
    const AmountParse unknown = parse_amount(m.to_string(), DecimalMark::kUnknown);
    if (m.in_amount_range()) {
      if (!machine.value || *machine.value != m) return m.to_string() + " does not parse back";
      if (!display.value || *display.value != m) {
        return m.to_display_lv() + " does not parse back";
      }
      if (!unknown.value || *unknown.value != m) return m.to_string() + " needs its mark";
    } else if (machine.error != AmountError::kOutOfRange ||
               display.error != AmountError::kOutOfRange) {
      return m.to_string() + " is beyond the range but not reported as such";
    }
  }

  // Checked arithmetic: throws exactly when the exact result leaves int64.
  const auto fits = [](wide v) {
    return v >= std::numeric_limits<std::int64_t>::min() &&
           v <= std::numeric_limits<std::int64_t>::max();
  };
  const auto checked = [&](const char* op, wide exact, auto&& compute) -> Violation {
    try {
      const Money r = compute();
      if (!fits(exact)) return std::string(op) + " did not report an overflow";
      if (r.cents() != static_cast<std::int64_t>(exact)) return std::string(op) + " is wrong";
    } catch (const MoneyOverflow&) {
      if (fits(exact)) return std::string(op) + " reported a false overflow";
    }
    return {};
  };
  const wide wa = a.cents(), wb = b.cents();
  if (auto v = checked("a+b", wa + wb, [&] { return a + b; }); !v.empty()) return v;
  if (auto v = checked("a-b", wa - wb, [&] { return a - b; }); !v.empty()) return v;
  if (auto v = checked("-a", -wa, [&] { return -a; }); !v.empty()) return v;

  // Decimal formatting parses back at its own scale whenever it has at most 9 integral digits.
  const int scale = static_cast<int>(static_cast<std::uint64_t>(raw[1]) % 10);
  const Decimal dec = Decimal::from_units(raw[0], scale);
  wide magnitude = wa < 0 ? -wa : wa;
  for (int k = 0; k < scale; ++k) magnitude /= 10;
  if (magnitude < 1'000'000'000) {
    const auto back = parse_decimal(dec.to_string(), scale);
    if (!back || back->units() != dec.units()) return dec.to_string() + " does not parse back";
  }

  // allocate never loses or invents a cent and gives each part its share, give or take one.
  std::vector<std::int64_t> weights;
  for (std::size_t k = sizeof raw; k + 2 <= input.size() && weights.size() < 8; k += 2) {
    std::uint16_t w;
    std::memcpy(&w, input.data() + k, sizeof w);
    weights.push_back(w);
  }
  wide weight_sum = 0;
  for (auto w : weights) weight_sum += w;
  if (weight_sum > 0 && a.in_amount_range()) {
    const std::vector<Money> parts = allocate(a, weights);
    if (parts.size() != weights.size()) return "allocate returned the wrong number of parts";
    wide sum = 0;
    for (std::size_t k = 0; k < parts.size(); ++k) {
      sum += parts[k].cents();
      const wide exact = wa * weights[k];  // the part's share times weight_sum
      const wide scaled = static_cast<wide>(parts[k].cents()) * weight_sum;
      const wide diff = scaled > exact ? scaled - exact : exact - scaled;
      if (diff >= weight_sum) return "allocate gave a part more than a cent off its share";
    }
    if (sum != wa) return "allocate parts do not sum to the total";
  }
  return {};
}

}  // namespace cofin::fuzz
