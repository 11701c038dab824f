// Events after control: a project report's approval and the payments that follow it.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "model/date.h"
#include "model/enums.h"
#include "model/source.h"
#include "money/money.h"

namespace cofin {

struct PartnerReportRef {
  std::string project;
  int partner = 0;
  int report = 0;
  auto operator<=>(const PartnerReportRef&) const = default;
};

// A deduction by the MA/JS at approval, on one line of a covered partner report.
struct ApprovalDeduction {
  PartnerReportRef report;
  int line = 0;
  Money amount;  // EUR
  std::string typology;
  std::string comment;
};

struct ApprovalEvent {
  std::string id;
  std::string project;
  int project_report = 0;
  Date date;
  std::vector<PartnerReportRef> covers;
  std::vector<ApprovalDeduction> deductions;
  SourcePos pos;
};

// An instalment paid on one partner report; several per report are normal.
struct PaymentEvent {
  std::string id;
  Fund fund = Fund::kErdf;
  PartnerReportRef report;
  std::string payment_ref;
  Date date;
  Money amount;  // EUR
  SourcePos pos;
};

using Event = std::variant<ApprovalEvent, PaymentEvent>;

struct EventsDocument {
  std::vector<Event> events;
};

}  // namespace cofin
