#include "calc/shares.h"

#include <algorithm>

namespace cofin {
namespace {

// domain §6: public shares FLOOR to the cent.
Money floor_share(Money base, const Rate& percent) {
  return apply_percent(base, percent, Rounding::kFloor);
}

// Returns the state base from an eligible amount and its ERDF share.
Money state_base_of(const StateCofinancingRule& rule, Money eligible, Money erdf) {
  return rule.base == StateBase::kEligibleCosts ? eligible : eligible - erdf;
}

}  // namespace

Shares compute_shares(const ShareInputs& in) {
  Shares s;
  const Money cum_eligible = in.prior.eligible + in.eligible;
  const Money cum_floor_prior = floor_share(in.prior.eligible, in.erdf_rate);
  const Money cum_floor_now = floor_share(cum_eligible, in.erdf_rate);
  s.erdf_per_report = floor_share(in.eligible, in.erdf_rate);
  s.erdf_cumulative = cum_floor_now - cum_floor_prior;

  if (in.rounding == ShareRounding::kPerReport) {
    s.erdf = s.erdf_per_report;
  } else {
    // Cumulative: the share of the cumulative total less what earlier reports took, so
    // corrections are symmetric and nothing drifts (domain §6).
    s.erdf = cum_floor_now - in.prior.erdf;
  }
  // Cumulative ERDF never above the partner's budgeted ERDF.
  if (in.prior.erdf + s.erdf > in.budgeted_erdf) {
    const Money capped = in.budgeted_erdf - in.prior.erdf;
    s.erdf_capped = s.erdf - capped;
    s.erdf = capped;
  }

  if (in.state_rule != nullptr) {
    const StateCofinancingRule& rule = *in.state_rule;
    const Rate& p = rule.percent;
    s.state_per_report = floor_share(state_base_of(rule, in.eligible, s.erdf_per_report), p);
    s.state_cumulative = floor_share(state_base_of(rule, cum_eligible, cum_floor_now), p) -
                         floor_share(state_base_of(rule, in.prior.eligible, cum_floor_prior), p);
    if (in.rounding == ShareRounding::kPerReport) {
      // The national contribution is what ERDF (after its ceiling) leaves.
      s.state_base = state_base_of(rule, in.eligible, s.erdf);
      s.state = floor_share(s.state_base, p);
    } else {
      s.state_base = state_base_of(rule, cum_eligible, in.prior.erdf + s.erdf);
      s.state = floor_share(s.state_base, p) - in.prior.state;
    }
    // domain §7: the granted amount is a cumulative ceiling.
    if (in.state_granted && in.prior.state + s.state > *in.state_granted) {
      const Money capped = *in.state_granted - in.prior.state;
      s.state_capped = s.state - capped;
      s.state = capped;
    }
  }
  // domain §6: the partner's contribution is the remainder, never rounded on its own.
  s.own = in.eligible - s.erdf - s.state;
  return s;
}

std::string state_rule_text(const StateCofinancingRule* rule, std::string_view country,
                            LegalStatus status) {
  if (rule == nullptr) {
    return "none for " + std::string(country) + " " + std::string(legal_status_name(status));
  }
  return std::string(country) + " " + std::string(legal_status_name(rule->legal_status)) + ": " +
         rule->percent.to_string() + " % of " +
         (rule->base == StateBase::kEligibleCosts ? "eligible costs" : "national contribution");
}

}  // namespace cofin
