// Shared by the workbook tests that compare workbooks written two ways from one generated run
// (streamed against held lines, sourced against held findings).
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "calc/outcome.h"
#include "support/generator.h"

namespace cofin::testing {

// Fills `world` with 3 projects × 3 partners × 3 reports × 30 lines (810 lines), with
// `anomaly_percent` of the lines breaking a rule.
inline void fill_small_world(GeneratedWorld& world, std::uint64_t seed, int anomaly_percent) {
  GeneratorOptions o;
  o.seed = seed;
  o.projects = 3;
  o.partners_per_project = 3;
  o.reports_per_partner = 3;
  o.lines_per_report = 30;
  o.anomaly_percent = anomaly_percent;
  ReportGenerator(o).fill(world);
}

// Gives `out` the job name `name` and fixed run details, so two workbooks of it can be compared
// byte for byte.
inline void name_run(RunOutcome& out, const Date& as_of, const std::string& name) {
  out.job_name = name;
  out.run_id = name + "-1";
  out.version = "test";
  out.as_of = as_of;
  out.audit_head = std::string(64, 'a');
}

// Returns the names of the files in `dir`, sorted.
inline std::vector<std::string> files_in(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace cofin::testing
