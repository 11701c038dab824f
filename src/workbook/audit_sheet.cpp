// Audit: what the run was and what it read: run id, version, as-of date, audit-trail head, every
// input with its SHA-256, and the rule sets.
#include <array>

#include "workbook/sheet_writer.h"

namespace cofin::wb {

namespace {

enum InputCol : lxw_col_t { kFile, kKind, kSha256, kSize, kStatus, kReason, kInputColumns };

constexpr std::array<Column, kInputColumns> kInputHeader = {{
    {"Input file", 40},
    {"Kind", 14},
    {"SHA-256", 66},
    {"Size (bytes)", 12},
    {"Status", 10},
    {"Reason", 50},
}};

enum RuleSetCol : lxw_col_t { kRuleSetId, kRuleSetFile, kRuleSetSha256, kRuleSetColumns };

constexpr std::array<Column, kRuleSetColumns> kRuleSetHeader = {{
    {"Rule set", 40},
    {"File", 30},
    {"SHA-256", 66},
}};

}  // namespace

void write_audit_sheet(Context& ctx) {
  const RunOutcome& out = *ctx.outcome;
  Sheet s(ctx, kAuditSheet);
  const Formats& f = s.fmt();

  // Key-value block: rows 0..4.
  lxw_row_t row = 0;
  s.text(row, 0, "Run id", f.label);
  s.text(row++, 1, out.run_id);
  s.text(row, 0, "cofin version", f.label);
  s.text(row++, 1, out.version);
  s.text(row, 0, "Job", f.label);
  s.text(row++, 1, out.job_name);
  s.text(row, 0, "As-of date", f.label);
  s.date(row++, 1, out.as_of);
  s.text(row, 0, "Audit-trail head", f.label);
  const std::string head = ctx.audit_head ? ctx.audit_head() : out.audit_head;
  s.text(row++, 1, head.empty() ? std::string("(no audit trail yet)") : head);
  ++row;

  // Inputs table (the sheet's autofilter).
  const lxw_row_t inputs_header = row;
  const lxw_row_t inputs_last = last_row_of(inputs_header + 1, out.inputs.size());
  s.check(worksheet_autofilter(s.ws(), inputs_header, 0, inputs_last, kInputColumns - 1),
          "autofilter");
  s.define_name("Audit_Inputs", inputs_header, 0, inputs_last, kInputColumns - 1);
  s.print_setup(inputs_header, inputs_header);
  s.header(inputs_header, kInputHeader);
  row = inputs_header + 1;
  for (const InputOutcome& in : out.inputs) {
    s.text(row, kFile, in.file);
    s.text(row, kKind, in.kind);
    s.text(row, kSha256, in.sha256);
    s.number(row, kSize, static_cast<double>(in.size), f.count);
    s.text(row, kStatus, in.status);
    s.text(row, kReason, in.reason);
    ++row;
  }
  row = inputs_last + 2;

  // Rule sets table: headers written as plain bold cells (one autofilter per sheet).
  const lxw_row_t rules_header = row;
  for (std::size_t i = 0; i < kRuleSetHeader.size(); ++i) {
    s.text(rules_header, static_cast<lxw_col_t>(i), kRuleSetHeader[i].header, f.header);
  }
  row = rules_header + 1;
  for (const RuleSetOutcome& r : out.rule_sets) {
    s.text(row, kRuleSetId, r.id);
    s.text(row, kRuleSetFile, r.file);
    s.text(row, kRuleSetSha256, r.sha256);
    ++row;
  }
  s.define_name("Audit_RuleSets", rules_header, 0,
                last_row_of(rules_header + 1, out.rule_sets.size()), kRuleSetColumns - 1);
}

}  // namespace cofin::wb
