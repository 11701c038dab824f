// Monthly accounting exchange rates (InforEuro shape): units of currency per 1 EUR.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "model/source.h"
#include "money/decimal.h"

namespace cofin {

struct ExchangeRate {
  std::string currency;
  int year = 0;
  unsigned month = 0;
  Rate units_per_eur;  // 6 decimals
  SourcePos pos;
};

class RateTable {
 public:
  // Adds `rate`. Returns false (and keeps the first) when the same currency and month is already
  // present with a different value.
  bool add(const ExchangeRate& rate);
  // Returns the rate of `currency` for the month, or nullptr (a missing rate is never guessed).
  const ExchangeRate* find(std::string_view currency, int year, unsigned month) const;
  std::vector<ExchangeRate> all() const;
  bool empty() const { return rates_.empty(); }

 private:
  std::map<std::tuple<std::string, int, unsigned>, ExchangeRate> rates_;
};

}  // namespace cofin
