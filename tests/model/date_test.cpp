// Date keeps its day number beside year-month-day, and formats without printf: both must agree
// with the calendar and with "%04d-%02u-%02u" everywhere a date can be.
#include <catch2/catch.hpp>

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
