// Property: parse_amount (one pass, no allocation) reads every text exactly as the first
// implementation did (digit strings, a vector of group lengths, std::stoll): same value, same
// error, same decimal mark, for every file mark, on random texts over the characters that
// matter (digits, signs, both marks, the three grouping spaces, their broken UTF-8 prefixes).
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "money/money.h"

using namespace cofin;

namespace {

// The reference: the implementation of commit ec99ad7, kept verbatim.
AmountParse reference_parse_amount(std::string_view text, DecimalMark mark) {
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
               !int_digits.empty()) {
      grouped = true;
      i += 2;
    } else if (c == 0xE2 && i + 2 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) == 0x80 &&
               static_cast<unsigned char>(text[i + 2]) == 0xAF && !after_separator &&
               !int_digits.empty()) {
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
  if (grouped) {
    std::string_view body = text.substr(text[0] == '-' || text[0] == '+' ? 1 : 0);
    std::size_t end = separator ? body.find(separator) : body.size();
    std::string_view integral = body.substr(0, end);
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

void require_same(std::string_view text, DecimalMark mark) {
  const AmountParse got = parse_amount(text, mark);
  const AmountParse want = reference_parse_amount(text, mark);
  INFO("text '" << std::string(text) << "' mark " << static_cast<int>(mark));
  REQUIRE(got.error == want.error);
  REQUIRE(got.mark_used == want.mark_used);
  REQUIRE(got.value.has_value() == want.value.has_value());
  if (want.value) REQUIRE(got.value->cents() == want.value->cents());
}

}  // namespace

TEST_CASE("parse_amount equals the reference on random texts", "[money][property]") {
  // Weighted towards digits so that well-formed and nearly well-formed amounts are common.
  const std::vector<std::string> pieces{"0",
                                        "1",
                                        "2",
                                        "3",
                                        "4",
                                        "5",
                                        "6",
                                        "7",
                                        "8",
                                        "9",
                                        "0",
                                        "5",
                                        "9",
                                        "1",
                                        "12",
                                        "345",
                                        " ",
                                        ".",
                                        ",",
                                        "-",
                                        "+",
                                        "\xC2\xA0",
                                        "\xE2\x80\xAF",
                                        "\xC2",
                                        "\xE2\x80",
                                        "e",
                                        "E+1",
                                        "\t"};
  const DecimalMark marks[] = {DecimalMark::kUnknown, DecimalMark::kPoint, DecimalMark::kComma};
  std::mt19937_64 rng(20261123);
  std::size_t valid = 0;
  for (int round = 0; round < 60000; ++round) {
    std::string text;
    const std::size_t count = rng() % 12;
    for (std::size_t k = 0; k < count; ++k) text += pieces[rng() % pieces.size()];
    for (DecimalMark mark : marks) {
      require_same(text, mark);
      valid += parse_amount(text, mark).value.has_value();
    }
  }
  // Random texts that parse, or this test would only compare errors.
  CHECK(valid > 10000);
}

TEST_CASE("parse_amount equals the reference on grouped and long amounts", "[money][property]") {
  const char* texts[] = {"1 234 567,89",
                         "12 345.6",
                         "123 456",
                         "1234 567",
                         "1 23",
                         "1  234",
                         "1 234 ",
                         " 1",
                         "1 ,00",
                         "-1 000 000 000",
                         "999 999 999,99",
                         "1\xC2\xA0"
                         "000\xE2\x80\xAF"
                         "000.01",
                         "0000000000001",
                         "000000000001",
                         "999999999999.99",
                         "1000000000000",
                         "99999999999999999999999",
                         "-999999999.99",
                         "+0",
                         "-0",
                         "0,0",
                         "00.00",
                         "1,234",
                         "1 234,567",
                         "1.2.3",
                         "1,",
                         "-",
                         "+",
                         ",5",
                         "12345678901234567890.5"};
  for (const char* t : texts) {
    for (DecimalMark mark : {DecimalMark::kUnknown, DecimalMark::kPoint, DecimalMark::kComma}) {
      require_same(t, mark);
    }
  }
}
