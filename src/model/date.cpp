#include "model/date.h"

#include <cstdio>

namespace cofin {

namespace {

// Returns the days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's
// days_from_civil, the algorithm behind std::chrono::sys_days, without its conversions).
int days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

}  // namespace

std::optional<Date> Date::from_ymd(int year, unsigned month, unsigned day) {
  // Checked by hand: every date of every line comes through here.
  static constexpr unsigned kMonthDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1) return std::nullopt;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > (month == 2 && leap ? 29 : kMonthDays[month - 1])) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                        std::chrono::day{day}};
  return Date(ymd, days_from_civil(year, month, day));
}

int Date::excel_serial() const {
  // 1970-01-01 is serial 25569 in the 1900 system (which counts the fictitious 1900-02-29).
  return days_since_epoch() + 25569;
}

Date Date::plus_days(int days) const {
  return Date(std::chrono::year_month_day{std::chrono::sys_days{ymd_} + std::chrono::days{days}});
}

std::string Date::to_string() const {
  const int y = year();
  if (y < 0 || y > 9999) {
    // Only plus_days can leave the years from_ymd accepts; keep printf's exact form there.
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, month(), day());
    return buf;
  }
  // "%04d-%02u-%02u" by hand: dates are formatted for every finding and workbook row.
  const unsigned m = month(), d = day();
  const auto digit = [](unsigned v) { return static_cast<char>('0' + v); };
  const auto uy = static_cast<unsigned>(y);
  const char text[10] = {digit(uy / 1000),
                         digit(uy / 100 % 10),
                         digit(uy / 10 % 10),
                         digit(uy % 10),
                         '-',
                         digit(m / 10),
                         digit(m % 10),
                         '-',
                         digit(d / 10),
                         digit(d % 10)};
  return std::string(text, sizeof text);
}

namespace {

bool digits(std::string_view s, std::size_t from, std::size_t count, int& out) {
  out = 0;
  for (std::size_t k = from; k < from + count; ++k) {
    if (s[k] < '0' || s[k] > '9') return false;
    out = out * 10 + (s[k] - '0');
  }
  return true;
}

}  // namespace

std::optional<std::pair<Date, DateFormat>> parse_date(std::string_view text, DateFormat format) {
  if (text.size() != 10) return std::nullopt;
  int y, m, d;
  if (text[4] == '-' && text[7] == '-' && format != DateFormat::kDotted) {
    if (!digits(text, 0, 4, y) || !digits(text, 5, 2, m) || !digits(text, 8, 2, d)) {
      return std::nullopt;
    }
    auto date = Date::from_ymd(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
    if (!date) return std::nullopt;
    return std::pair{*date, DateFormat::kIso};
  }
  if (text[2] == '.' && text[5] == '.' && format != DateFormat::kIso) {
    if (!digits(text, 0, 2, d) || !digits(text, 3, 2, m) || !digits(text, 6, 4, y)) {
      return std::nullopt;
    }
    auto date = Date::from_ymd(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
    if (!date) return std::nullopt;
    return std::pair{*date, DateFormat::kDotted};
  }
  return std::nullopt;
}

}  // namespace cofin
