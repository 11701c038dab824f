// The ERDF / state / own split: goldens, the FLOOR decision on negatives, both rounding modes,
// the ceilings.
#include <catch2/catch.hpp>

#include "calc/shares.h"
#include "support/builders.h"

using namespace cofin;
using namespace cofin::testing;

namespace {

ShareInputs at(Money eligible, const char* rate) {
  ShareInputs in;
  in.eligible = eligible;
  in.erdf_rate = pct(rate);
  in.budgeted_erdf = eur(Money::kMaxAmountCents);
  return in;
}

}  // namespace

TEST_CASE("golden: baltic sea region LARS 125,550 at 85 percent", "[calc][golden]") {
  // Seed 004: VARAM's share 125,550.00 = ERDF 106,717.50 + own 18,832.50; a state institution
  // gets no state co-financing (the BSR rule set has no row for it).
  const Shares s = compute_shares(at(eur(12555000), "85"));
  CHECK(s.erdf == eur(10671750));
  CHECK(s.state == eur(0));
  CHECK(s.own == eur(1883250));
}

TEST_CASE("golden: jems worked example 1,234.57 at 80 percent", "[calc][golden]") {
  const Shares s = compute_shares(at(eur(123457), "80"));
  CHECK(s.erdf == eur(98765));  // FLOOR(987.656)
  CHECK(s.own == eur(24692));
}

TEST_CASE("2014-2020 municipality split 85 / 5 / 10 on eligible costs", "[calc]") {
  StateCofinancingRule rule{"LV", LegalStatus::kMunicipality, StateBase::kEligibleCosts, pct("5")};
  ShareInputs in = at(eur(1000001), "85");
  in.state_rule = &rule;
  const Shares s = compute_shares(in);
  CHECK(s.erdf == eur(850000));  // FLOOR(8,500.0085)
  CHECK(s.state == eur(50000));  // FLOOR(500.0005)
  CHECK(s.own == eur(100001));   // the remainder takes the odd cent
  CHECK(s.erdf + s.state + s.own == in.eligible);
}

TEST_CASE("negative totals round FLOOR, keeping the running ERDF within its rate",
          "[calc][rounding]") {
  // The decision documented in calc/shares.h: FLOOR, not DOWN, for negative totals.
  ShareInputs first = at(eur(10000), "80");
  const Shares a = compute_shares(first);
  ShareInputs correction = at(eur(-1), "80");
  correction.prior = {eur(10000), a.erdf, a.state};
  const Shares b = compute_shares(correction);
  CHECK(a.erdf == eur(8000));
  CHECK(b.erdf == eur(-1));  // FLOOR(−0.008) = −0.01; DOWN would give 0.00
  // Running sum: 79.99 ≤ 80 % × 99.99 = 79.992 (with DOWN it would be 80.00, above the rate).
  CHECK((a.erdf + b.erdf).cents() * 100 <= (eur(10000) + eur(-1)).cents() * 80);
  CHECK(b.erdf + b.state + b.own == eur(-1));
}

TEST_CASE("per-report rounding loses a cent on a net-zero claim, cumulative does not",
          "[calc][rounding]") {
  for (const ShareRounding mode : {ShareRounding::kPerReport, ShareRounding::kCumulative}) {
    ShareInputs plus = at(eur(123457), "80");
    plus.rounding = mode;
    const Shares a = compute_shares(plus);
    ShareInputs minus = at(eur(-123457), "80");
    minus.rounding = mode;
    minus.prior = {eur(123457), a.erdf, a.state};
    const Shares b = compute_shares(minus);
    CHECK(a.erdf == eur(98765));
    // Both figures are always shown: per-report −987.66, cumulative −987.65.
    CHECK(b.erdf_per_report == eur(-98766));
    CHECK(b.erdf_cumulative == eur(-98765));
    CHECK(b.erdf == (mode == ShareRounding::kPerReport ? eur(-98766) : eur(-98765)));
    CHECK(b.erdf + b.state + b.own == eur(-123457));
  }
}

TEST_CASE("cumulative mode never drifts over many odd-cent reports", "[calc][rounding]") {
  ShareInputs in = at(eur(0), "80");
  in.rounding = ShareRounding::kCumulative;
  Money per_report_sum;
  for (int k = 0; k < 100; ++k) {
    in.eligible = eur(1001);  // 10.01 → 8.008 each
    const Shares s = compute_shares(in);
    per_report_sum += s.erdf_per_report;
    in.prior.eligible += in.eligible;
    in.prior.erdf += s.erdf;
  }
  CHECK(in.prior.erdf == eur(80080));   // FLOOR(1,001.00 × 80 %) exactly
  CHECK(per_report_sum == eur(80000));  // Jems' per-report figures lose 0.80
}

TEST_CASE("state share follows the table and is capped by the granted ceiling", "[calc]") {
  StateCofinancingRule rule{"LV", LegalStatus::kMunicipality, StateBase::kNationalContribution,
                            pct("10")};
  ShareInputs in = at(eur(463000), "80");
  in.state_rule = &rule;
  const Shares s = compute_shares(in);
  CHECK(s.state == eur(9260));  // FLOOR(926.00 × 10 %)
  CHECK(s.state_base == eur(92600));
  in.state_granted = eur(10000);
  in.prior.state = eur(5000);
  const Shares capped = compute_shares(in);
  CHECK(capped.state == eur(5000));
  CHECK(capped.state_capped == eur(4260));
  CHECK(capped.erdf + capped.state + capped.own == in.eligible);
}

TEST_CASE("cumulative ERDF is capped at the budgeted ERDF", "[calc]") {
  ShareInputs in = at(eur(100000), "80");
  in.budgeted_erdf = eur(150000);
  in.prior = {eur(100000), eur(80000), eur(0)};
  const Shares s = compute_shares(in);
  CHECK(s.erdf == eur(70000));
  CHECK(s.erdf_capped == eur(10000));
  CHECK(s.own == eur(30000));
  in.budgeted_erdf = eur(160000);
  CHECK(compute_shares(in).erdf_capped.is_zero());
}
