#include "workbook/project_outcome.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <stdexcept>

namespace cofin {

namespace {

std::string file_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

}  // namespace

std::vector<std::string> outcome_projects(const RunOutcome& outcome) {
  std::vector<std::string> ids;
  for (const ReportOutcome& r : outcome.reports) ids.push_back(r.project);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

RunOutcome project_outcome(const RunOutcome& outcome, const std::string& project) {
  RunOutcome out;
  out.job_name = outcome.job_name;
  out.run_id = outcome.run_id;
  out.version = outcome.version;
  out.as_of = outcome.as_of;
  out.rule_sets = outcome.rule_sets;
  out.rates_used = outcome.rates_used;
  out.audit_head = outcome.audit_head;

  // Files of this project's reports and lines, by name: findings and inputs may name them with
  // or without their directory.
  std::set<std::string> files;
  if (outcome.line_source) {
    // Streamed lines: a project's reports are consecutive, and so are their lines; the project's
    // workbook reads that range of the run's lines (computed again, never copied).
    std::optional<std::size_t> offset;
    std::size_t count = 0;
    for (const ReportOutcome& r : outcome.reports) {
      if (r.project != project) continue;
      if (!offset) offset = r.first_line;
      if (r.first_line != *offset + count) {
        throw std::logic_error("the lines of project " + project + " are not consecutive");
      }
      ReportOutcome copy = r;
      copy.first_line = r.first_line - *offset;
      count += r.line_count;
      files.insert(file_name(r.source_file));
      out.reports.push_back(std::move(copy));
    }
    out.line_source = line_range(outcome.line_source, offset.value_or(0), count);
  } else {
    for (const ReportOutcome& r : outcome.reports) {
      if (r.project != project) continue;
      ReportOutcome copy = r;
      copy.first_line = out.lines.size();
      const std::size_t end = std::min(outcome.lines.size(), r.first_line + r.line_count);
      for (std::size_t i = std::min(r.first_line, end); i < end; ++i) {
        out.lines.push_back(outcome.lines[i]);
        files.insert(file_name(outcome.lines[i].source_file));
      }
      copy.line_count = out.lines.size() - copy.first_line;
      files.insert(file_name(r.source_file));
      out.reports.push_back(std::move(copy));
    }
  }
  for (const Diagnostic& d : outcome.findings) {
    if (files.count(file_name(d.file)) > 0) out.findings.push_back(d);
  }
  for (const InputOutcome& in : outcome.inputs) {
    // A partner report that is not this project's (or a rejected one: it may be anyone's) is
    // left out.
    const bool report = in.kind == "report";
    if (!report || files.count(file_name(in.file)) > 0) out.inputs.push_back(in);
  }
  for (const BudgetRow& b : outcome.budget) {
    if (b.project == project) out.budget.push_back(b);
  }
  for (const DeductionEntry& d : outcome.deductions) {
    if (d.project == project) out.deductions.push_back(d);
  }
  for (const PaymentOutcome& p : outcome.payments) {
    if (p.project == project) out.payments.push_back(p);
  }
  return out;
}

}  // namespace cofin
