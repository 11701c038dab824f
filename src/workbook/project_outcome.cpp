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

// Calls `file(name)` with the file name of `report` and of each of its held lines (computed
// lines carry their report's file; a hand-built outcome's may not).
template <typename File>
void report_files(const RunOutcome& outcome, const ReportOutcome& report, File file) {
  file(file_name(report.source_file));
  if (outcome.line_source) return;
  const std::size_t end = std::min(outcome.lines.size(), report.first_line + report.line_count);
  for (std::size_t i = std::min(report.first_line, end); i < end; ++i) {
    file(file_name(outcome.lines[i].source_file));
  }
}

// Adds finding `index` to `ranges`, extending the last range when it ends just before.
void add_finding(std::vector<FindingRange>& ranges, std::size_t index) {
  if (!ranges.empty() && ranges.back().end == index) {
    ++ranges.back().end;
  } else {
    ranges.push_back({index, index + 1});
  }
}

}  // namespace

std::vector<std::string> outcome_projects(const RunOutcome& outcome) {
  std::vector<std::string> ids;
  for (const ReportOutcome& r : outcome.reports) ids.push_back(r.project);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

std::map<std::string, std::vector<FindingRange>> project_findings(const RunOutcome& outcome) {
  std::map<std::string, std::vector<FindingRange>> ranges;
  // Each file name's projects, by their ranges (a name is usually one project's; std::map keeps
  // the ranges where they are as it grows).
  std::map<std::string, std::vector<std::vector<FindingRange>*>> by_file;
  for (const ReportOutcome& r : outcome.reports) {
    std::vector<FindingRange>* project = &ranges[r.project];
    report_files(outcome, r, [&](const std::string& name) {
      std::vector<std::vector<FindingRange>*>& projects = by_file[name];
      if (std::find(projects.begin(), projects.end(), project) == projects.end()) {
        projects.push_back(project);
      }
    });
  }
  const std::shared_ptr<const FindingSource> findings = findings_of(outcome);
  // A report's findings name its file one after the other: the name is looked up once for them
  // (a copy: a source's finding is valid only during the call).
  std::optional<std::string> last_file;
  const std::vector<std::vector<FindingRange>*>* projects = nullptr;
  findings->visit(0, findings->size(), [&](std::size_t i, const Diagnostic& d) {
    if (!last_file || d.file != *last_file) {
      const auto it = by_file.find(file_name(d.file));
      projects = it == by_file.end() ? nullptr : &it->second;
      last_file = d.file;
    }
    if (projects == nullptr) return;
    for (std::vector<FindingRange>* project : *projects) add_finding(*project, i);
  });
  return ranges;
}

RunOutcome project_outcome(const RunOutcome& outcome, const std::string& project) {
  const std::map<std::string, std::vector<FindingRange>> findings = project_findings(outcome);
  const auto it = findings.find(project);
  return project_outcome(outcome, project,
                         it == findings.end() ? std::vector<FindingRange>() : it->second);
}

RunOutcome project_outcome(const RunOutcome& outcome, const std::string& project,
                           const std::vector<FindingRange>& findings) {
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
  // The ranges in the source become a view of it; held findings (all of them, or the rejections
  // that follow the source's) are copied.
  const std::size_t in_source = outcome.finding_source ? outcome.finding_source->size() : 0;
  std::vector<FindingRange> source_ranges;
  for (const FindingRange& r : findings) {
    if (r.begin > r.end || r.end > in_source + outcome.findings.size()) {
      throw std::out_of_range("project " + project + ": finding range outside the run's findings");
    }
    if (r.begin < in_source) source_ranges.push_back({r.begin, std::min(r.end, in_source)});
    for (std::size_t i = std::max(r.begin, in_source); i < r.end; ++i) {
      out.findings.push_back(outcome.findings[i - in_source]);
    }
  }
  if (outcome.finding_source) {
    out.finding_source = finding_ranges(outcome.finding_source, source_ranges);
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
