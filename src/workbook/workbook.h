// The reconciliation workbook (spec "The reconciliation workbook"): what controllers, VARAM and
// auditors read. Written with libxlsxwriter from a RunOutcome; every amount is a numeric cell
// from exact cents, every derived figure a live formula whose cached value is cofin's own.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "calc/outcome.h"
#include "model/date.h"

namespace cofin {

// Thrown when the workbook cannot be written. The message names the file and, where the failure
// came from libxlsxwriter, its error string. No partial file is left at the target path.
class WorkbookError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct WorkbookOptions {
  // libxlsxwriter's constant-memory mode: every sheet is written row by row, peak memory does
  // not grow with the number of lines (libraries.md). A workbook-wide choice: forced on here,
  // and used anyway when the outcome has at least `constant_memory_from_rows` lines + findings.
  bool constant_memory = false;
  std::size_t constant_memory_from_rows = 50'000;
  // Where libxlsxwriter keeps its temporary files in constant-memory mode; empty = the output
  // directory (the filesystem that must hold the workbook anyway; its free space is checked).
  std::filesystem::path tmpdir;
  // Rows per sheet, the totals and header rows included: more lines or findings continue on
  // `Lines (2)`, `Findings (2)`, … Excel's limit by default; tests make it small.
  // REQUIRES: 3 <= max_rows_per_sheet <= 1,048,576.
  std::size_t max_rows_per_sheet = 1'048'576;
  // In constant-memory mode, the Lines sheets are written on a second thread and copied into the
  // file (write_workbook); the file is the same either way. Off: one thread (tests compare).
  bool split_lines = true;
  // When set, the audit-trail head the Audit sheet shows (instead of RunOutcome::audit_head),
  // asked for only when that sheet — the last — is written: the caller may still be committing
  // the audit trail while the other sheets are written. It may block; what it throws propagates.
  std::function<std::string()> audit_head;
};

// Returns true when `write_workbook(outcome, …, options)` uses constant-memory mode.
bool uses_constant_memory(const RunOutcome& outcome, const WorkbookOptions& options);

// Writes the workbook for `outcome` to `path`: first to a hidden temporary file in the same
// directory, renamed onto `path` only after a successful close. The same outcome gives a
// byte-identical file (the document creation time is the as-of date, 00:00 UTC).
// Throws WorkbookError on any failure; then `path` is untouched and no temporary file remains.
void write_workbook(const RunOutcome& outcome, const std::filesystem::path& path,
                    const WorkbookOptions& options = {});

// Returns "JOB-YYYY-MM-DD.xlsx".
std::string workbook_file_name(const std::string& job_name, const Date& as_of);

// Returns "JOB-YYYY-MM-DD-PROJECT.xlsx", listed next to the programme-wide workbook; characters
// of the project id other than letters, digits, '.', '_' and '-' become '_'.
std::string project_workbook_file_name(const std::string& job_name, const Date& as_of,
                                       const std::string& project);

// Writes the programme-wide workbook `output_dir/JOB-YYYY-MM-DD.xlsx` and, when `per_project`,
// one workbook per project (project_outcome.h, project_workbook_file_name), two at a time on
// separate threads. Each file is written as write_workbook writes it.
// Returns the paths written: the programme-wide one first, then the projects in id order (a
// project whose sanitised name repeats another's gets "-2", "-3", … appended).
// Throws WorkbookError (the first failure in that order); then none of the files is left.
// Without `programme_wide` only the per-project workbooks are written (the benchmark times them
// alone this way); the constant-memory choice is still made on the whole outcome.
std::vector<std::filesystem::path> write_run_workbooks(const RunOutcome& outcome,
                                                       const std::filesystem::path& output_dir,
                                                       const WorkbookOptions& options,
                                                       bool per_project,
                                                       bool programme_wide = true);

}  // namespace cofin
