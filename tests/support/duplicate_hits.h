// Shared by the duplicate-invoice tests: a generated portfolio with duplicates in it, and a
// field-by-field comparison of two results.
#pragma once

#include <catch2/catch.hpp>

#include <map>

#include "rules/duplicates.h"
#include "support/generator.h"

namespace cofin::testing {

// Fills `world` with a generated portfolio of 3 projects, 4 partners each, 3 reports each, with
// `lines_per_report` lines and 30 % anomalies (duplicate invoices among them).
inline void fill_duplicate_test_world(GeneratedWorld& world, int lines_per_report) {
  GeneratorOptions options;
  options.projects = 3;
  options.partners_per_project = 4;
  options.reports_per_partner = 3;
  options.lines_per_report = lines_per_report;
  options.anomaly_percent = 30;
  const ReportGenerator generator(options);
  generator.fill(world);
}

// Requires `got` and `want` to hold the same lines with the same hits (cents compared), naming
// the first line that differs.
inline void require_same_hits(const std::map<LineRef, DuplicateHit>& got,
                              const std::map<LineRef, DuplicateHit>& want) {
  REQUIRE(got.size() == want.size());
  auto g = got.begin();
  for (auto w = want.begin(); w != want.end(); ++w, ++g) {
    INFO("line " << w->first.to_string());
    REQUIRE(g->first == w->first);
    CHECK(g->second.over_total.cents() == w->second.over_total.cents());
    CHECK(g->second.declared_so_far.cents() == w->second.declared_so_far.cents());
    CHECK(g->second.invoice_total.cents() == w->second.invoice_total.cents());
    CHECK(g->second.repeat_of == w->second.repeat_of);
  }
}

}  // namespace cofin::testing
