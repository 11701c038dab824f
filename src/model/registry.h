// The registry of approved projects: who the partners are and what they were granted.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/date.h"
#include "model/enums.h"
#include "money/decimal.h"
#include "money/money.h"

namespace cofin {

struct ReportingPeriod {
  int number = 0;
  Date start;
  Date end;
  Date submission_deadline;
};

struct ChosenFlatRate {
  FlatRateType type;
  Rate percent;
};

struct Partner {
  int number = 0;  // 1 = lead partner
  std::string name;
  std::string registration_no;  // kept as text: Excel mangles leading zeros
  std::string country;          // ISO 3166-1 alpha-2
  LegalStatus legal_status = LegalStatus::kOther;
  bool state_aid_relevant = false;
  bool vat_recoverable = false;
  std::string currency;  // "EUR", "SEK", ...
  Rate erdf_rate;        // percent
  std::vector<ChosenFlatRate> flat_rates;
  std::map<Category, Money> budget;
  std::optional<Money> budgeted_erdf;  // absent: FLOOR(total budget × ERDF rate)
  std::optional<Money> state_granted;  // VARAM's cumulative ceiling; absent: none

  Money budget_total() const;
  const ChosenFlatRate* flat_rate(FlatRateType t) const;
};

struct Project {
  std::string id;
  std::string acronym;
  std::string programme_id;
  Date start;
  Date end;
  Money total_cost;  // incl. VAT (decides VAT eligibility, CPR Art. 64(1)(c))
  std::vector<Partner> partners;
  std::vector<ReportingPeriod> periods;

  const Partner* partner(int number) const;
  const ReportingPeriod* period(int number) const;
  // Returns the period with exactly these dates, or nullptr.
  const ReportingPeriod* period_matching(const Date& start, const Date& end) const;
};

struct Registry {
  std::vector<Project> projects;
  const Project* project(std::string_view id) const;
};

}  // namespace cofin
