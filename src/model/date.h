// Date: a calendar day, strictly parsed (Boost's date parser is lenient; see libraries.md).
#pragma once

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace cofin {

class Date {
 public:
  constexpr Date() = default;
  // Returns the date, or nullopt when y-m-d is not a calendar day (31.02.2024).
  static std::optional<Date> from_ymd(int year, unsigned month, unsigned day);

  int year() const { return static_cast<int>(ymd_.year()); }
  unsigned month() const { return static_cast<unsigned>(ymd_.month()); }
  unsigned day() const { return static_cast<unsigned>(ymd_.day()); }
  // Days since 1970-01-01.
  int days_since_epoch() const { return days_; }
  // Returns the Excel serial day number (1900 date system; 1 = 1900-01-01).
  int excel_serial() const;
  Date plus_days(int days) const;

  auto operator<=>(const Date& other) const { return days_ <=> other.days_; }
  bool operator==(const Date& other) const { return days_ == other.days_; }

  // Returns "YYYY-MM-DD".
  std::string to_string() const;

 private:
  explicit Date(std::chrono::year_month_day ymd)
      : ymd_(ymd), days_(static_cast<int>(std::chrono::sys_days{ymd}.time_since_epoch().count())) {}
  std::chrono::year_month_day ymd_{std::chrono::year{1970}, std::chrono::month{1},
                                   std::chrono::day{1}};
  // The day number of ymd_, kept beside it: every eligibility rule compares dates, and
  // converting year-month-day to days on each comparison cost more than the rules themselves.
  int days_ = 0;
};

enum class DateFormat { kUnknown, kIso, kDotted };

// Parses `YYYY-MM-DD` (kIso) or `DD.MM.YYYY` (kDotted), exactly: two-digit day and month,
// four-digit year. With `format` set, only that format is accepted.
// Returns the date and the format it was written in, or nullopt.
std::optional<std::pair<Date, DateFormat>> parse_date(std::string_view text,
                                                      DateFormat format = DateFormat::kUnknown);

}  // namespace cofin
