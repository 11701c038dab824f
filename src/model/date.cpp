#include "model/date.h"

#include <cstdio>

namespace cofin {

std::optional<Date> Date::from_ymd(int year, unsigned month, unsigned day) {
  // chrono keeps month and day in one byte each: 257 would wrap to 1 and pass ok().
  if (month > 12 || day > 31) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                        std::chrono::day{day}};
  if (!ymd.ok() || year < 1900 || year > 9999) return std::nullopt;
  return Date(ymd);
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
