// Date keeps its day number beside year-month-day, and formats without printf: both must agree
// with the calendar and with "%04d-%02u-%02u" everywhere a date can be.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <random>

#include "model/date.h"

using namespace cofin;

TEST_CASE("dates format as printf did and compare by day", "[model][date]") {
  std::mt19937 rng(42);
  Date previous = *Date::from_ymd(1900, 1, 1);
  CHECK(previous.to_string() == "1900-01-01");
  CHECK(Date().to_string() == "1970-01-01");
  CHECK(Date().days_since_epoch() == 0);
  // Every day from 1999 to 2031, and random days over the whole accepted range.
  Date d = *Date::from_ymd(1999, 1, 1);
  for (int k = 0; k < 12000; ++k, d = d.plus_days(1)) {
    char want[16];
    std::snprintf(want, sizeof want, "%04d-%02u-%02u", d.year(), d.month(), d.day());
    REQUIRE(d.to_string() == want);
    REQUIRE(d > previous);
    REQUIRE(d.days_since_epoch() == previous.days_since_epoch() + (k == 0 ? 36159 : 1));
    REQUIRE(*Date::from_ymd(d.year(), d.month(), d.day()) == d);
    previous = d;
  }
  for (int k = 0; k < 5000; ++k) {
    const int year = 1900 + static_cast<int>(rng() % 8100);
    const unsigned month = 1 + rng() % 12;
    const unsigned day = 1 + rng() % 28;
    const Date x = *Date::from_ymd(year, month, day);
    char want[16];
    std::snprintf(want, sizeof want, "%04d-%02u-%02u", year, month, day);
    REQUIRE(x.to_string() == want);
    REQUIRE(x.plus_days(1) > x);
    REQUIRE(x.plus_days(-1) < x);
    REQUIRE(x.plus_days(0) == x);
    REQUIRE(x.plus_days(365).days_since_epoch() - x.days_since_epoch() == 365);
  }
  // Beyond 9999 only plus_days can go; the text stays printf's.
  const Date last = *Date::from_ymd(9999, 12, 31);
  CHECK(last.to_string() == "9999-12-31");
  CHECK(last.plus_days(1).to_string() == "10000-01-01");
  CHECK(last.plus_days(1) > last);
}

TEST_CASE("from_ymd accepts calendar days only, from 1900 to 9999", "[model][date]") {
  CHECK(Date::from_ymd(2024, 2, 29));
  CHECK_FALSE(Date::from_ymd(2023, 2, 29));
  CHECK(Date::from_ymd(2000, 2, 29));
  CHECK_FALSE(Date::from_ymd(1900, 2, 29));
  CHECK_FALSE(Date::from_ymd(2024, 4, 31));
  CHECK(Date::from_ymd(2024, 12, 31));
  CHECK_FALSE(Date::from_ymd(2024, 13, 1));
  CHECK_FALSE(Date::from_ymd(2024, 0, 1));
  CHECK_FALSE(Date::from_ymd(2024, 1, 0));
  CHECK_FALSE(Date::from_ymd(2024, 1, 32));
  CHECK_FALSE(Date::from_ymd(1899, 12, 31));
  CHECK_FALSE(Date::from_ymd(10000, 1, 1));
  // chrono keeps month and day in one byte: 257 must not wrap to 1.
  CHECK_FALSE(Date::from_ymd(2024, 257, 1));
  CHECK_FALSE(Date::from_ymd(2024, 1, 257));
  // Every day of the accepted range: the day number from_ymd computes is chrono's. Counted,
  // not REQUIREd one by one (3.7 million checks would slow the suite down).
  int checked = 0, wrong = 0;
  for (int y = 1900; y <= 9999; ++y) {
    for (unsigned m = 1; m <= 12; ++m) {
      for (unsigned d = 1; d <= 31; ++d) {
        const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m},
                                              std::chrono::day{d}};
        const auto date = Date::from_ymd(y, m, d);
        if (date.has_value() != ymd.ok()) {
          ++wrong;
          continue;
        }
        if (!date) continue;
        wrong += date->days_since_epoch() != std::chrono::sys_days{ymd}.time_since_epoch().count();
        ++checked;
      }
    }
  }
  CHECK(wrong == 0);
  CHECK(checked == 2'958'464);
}
