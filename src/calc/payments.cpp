#include "calc/payments.h"

namespace cofin {

std::string fund_status(bool approved, Money due, Money paid) {
  if (!approved) return "not due";
  if (due.is_zero() && paid.is_zero()) return "nothing due";
  if (paid.is_zero()) return "due";
  if (paid < due) return "partly paid";
  if (paid == due) return "paid";
  return "overpaid";
}

std::string report_status(bool certified, bool approved, Money erdf_due, Money erdf_paid,
                          Money state_due, Money state_paid) {
  if (!approved) return certified ? "certified" : "submitted";
  const bool any_paid = !erdf_paid.is_zero() || !state_paid.is_zero();
  const bool all_paid = erdf_paid >= erdf_due && state_paid >= state_due;
  return all_paid && any_paid ? "paid" : any_paid ? "partly paid" : "approved";
}

std::vector<Diagnostic> check_payments(const std::vector<const PaymentEvent*>& payments,
                                       std::optional<Date> approved_on, Money erdf_due,
                                       Money state_due, const std::string& file) {
  std::vector<Diagnostic> out;
  Money erdf_paid;
  Money state_paid;
  for (const PaymentEvent* p : payments) {
    (p->fund == Fund::kErdf ? erdf_paid : state_paid) += p->amount;
    if (!approved_on || p->date < *approved_on) {
      Diagnostic d;
      d.severity = Severity::kWarning;
      d.rule_id = "PAYMENT-BEFORE-APPROVAL";
      d.file = file;
      d.field = "date";
      d.message = std::string(fund_name(p->fund)) + " instalment " + quote(p->id) + " of " +
                  p->amount.to_string() + " EUR paid " + p->date.to_string() +
                  (approved_on ? ", before the approval on " + approved_on->to_string()
                               : ", but the report is not approved (no advances)");
      d.amount = p->amount;
      out.push_back(std::move(d));
    }
  }
  auto over = [&](Fund fund, Money due, Money paid) {
    if (!approved_on || paid <= due) return;
    Diagnostic d;
    d.severity = Severity::kWarning;
    d.rule_id = "PAYMENT-OVER-DUE";
    d.file = file;
    d.field = "amount";
    d.message = std::string(fund_name(fund)) + " paid " + paid.to_string() + " EUR, " +
                (paid - due).to_string() + " more than the " + due.to_string() + " due";
    d.amount = paid - due;
    out.push_back(std::move(d));
  };
  over(Fund::kErdf, erdf_due, erdf_paid);
  over(Fund::kState, state_due, state_paid);
  return out;
}

}  // namespace cofin
