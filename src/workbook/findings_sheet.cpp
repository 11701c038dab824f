// Findings: every diagnostic of the run; a finding about a report line links to its Lines row.
#include <algorithm>
#include <array>
#include <filesystem>
#include <map>

#include "workbook/sheet_writer.h"
#include "workbook/workbook.h"

namespace cofin::wb {

namespace {

enum Col : lxw_col_t {
  kSeverity,
  kRuleId,
  kMessage,
  kFile,
  kPhysicalLine,
  kReportLine,
  kAmount,
  kField,
  kColumnCount
};

constexpr std::array<Column, kColumnCount> kColumns = {{
    {"Severity", 9},
    {"Rule id", 16},
    {"Message", 60},
    {"File", 30},
    {"Line", 7},
    {"Report line", 8},
    {"Amount affected (EUR)", 15},
    {"Field", 16},
}};

// Finds the Lines row of a finding: by the file the line was read from and its report line
// number. Built from the reports (few), searching each report's lines (sorted by line number).
class LineLocator {
 public:
  LineLocator(const RunOutcome& out, const LineSource& lines) : out_(out), lines_(lines) {
    for (std::size_t i = 0; i < out.reports.size(); ++i) {
      const ReportOutcome& r = out.reports[i];
      if (r.line_count == 0 || r.first_line >= lines.size()) continue;
      by_file_[r.source_file].push_back(i);
      // Computed lines carry their report's file; a hand-built outcome's may not.
      if (r.first_line < out.lines.size()) {
        const std::string& line_file = out.lines[r.first_line].source_file;
        if (line_file != r.source_file) by_file_[line_file].push_back(i);
      }
    }
  }

  // Returns the index into RunOutcome::lines, or nullopt.
  std::optional<std::size_t> find(const std::string& file, int line_no) const {
    if (line_no <= 0) return std::nullopt;
    auto it = by_file_.find(file);
    if (it == by_file_.end()) {
      // A finding may name the file with its directory, the line only by its name.
      it = by_file_.find(std::filesystem::path(file).filename().string());
    }
    if (it == by_file_.end()) return std::nullopt;
    for (std::size_t report : it->second) {
      const ReportOutcome& r = out_.reports[report];
      const std::size_t end = std::min(lines_.size(), r.first_line + r.line_count);
      if (const auto hit = lines_.find(r.first_line, end, line_no)) return hit;
    }
    return std::nullopt;
  }

 private:
  const RunOutcome& out_;
  const LineSource& lines_;
  std::map<std::string, std::vector<std::size_t>> by_file_;
};

void write_findings_page(Context& ctx, const LineLocator& locator, std::size_t page) {
  const Pages& pages = ctx.findings;
  Sheet s(ctx, pages.sheet_name(page));
  const Formats& f = s.fmt();
  const std::size_t begin = pages.begin(page);
  const std::size_t end = pages.end(page);
  const lxw_row_t first = kFirstDataRow;
  const lxw_row_t last = last_row_of(first, end - begin);

  s.table(kHeaderRow, last, kColumnCount - 1, 0, "Findings_Table" + pages.name_suffix(page));
  const std::string severity = cell_ref(first, kSeverity);
  s.highlight(kSeverity, first, last, "=" + severity + "=\"error\"", f.bad);
  s.highlight(kSeverity, first, last, "=" + severity + "=\"warning\"", f.warn);

  const bool several = pages.count() > 1;
  s.text(kTotalsRow, kSeverity,
         !several    ? "Total"
         : page == 0 ? "Total (all sheets)"
                     : "Total (this sheet)",
         f.total_label);
  const FindingSource& findings = *ctx.finding_source;
  // The first page's total is the run's (every sheet's findings), the others their own.
  const Money sum = page == 0 ? findings.amount(0, findings.size()) : findings.amount(begin, end);
  s.paged_total(kTotalsRow, kAmount, pages, page, last, to_cell(sum), f.total_amount);

  s.header(kHeaderRow, kColumns);

  lxw_row_t row = first;
  findings.visit(begin, end, [&](std::size_t, const Diagnostic& d) {
    s.text(row, kSeverity, severity_name(d.severity));
    s.text(row, kRuleId, d.rule_id);
    s.text(row, kMessage, d.message);
    s.text(row, kFile, d.file);
    if (d.line > 0) s.integer(row, kPhysicalLine, d.line);
    if (d.line_no > 0) {
      if (const auto index = locator.find(d.file, d.line_no)) {
        s.link(row, kReportLine, ctx.lines.sheet_name(ctx.lines.page_of(*index)),
               ctx.lines.row_of(*index), d.line_no);
      } else {
        s.integer(row, kReportLine, d.line_no);
      }
    }
    s.money(row, kAmount, d.amount);
    s.text(row, kField, d.field);
    ++row;
  });
}

}  // namespace

void write_findings_sheets(Context& ctx) {
  const LineLocator locator(*ctx.outcome, *ctx.line_source);
  for (std::size_t page = 0; page < ctx.findings.count(); ++page) {
    write_findings_page(ctx, locator, page);
  }
}

}  // namespace cofin::wb
