// `cofin run`: the nightly job. Takes what is new in the inbox, decides each document
// (accepted, rejected, duplicate), records it in the ledger, computes every report and writes
// the reconciliation workbook.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "ingest/xml_parser.h"
#include "model/date.h"
#include "model/job.h"
#include "money/money.h"

namespace cofin {

struct RunOptions {
  std::optional<Date> as_of;  // "today"; absent: the system date (UTC)
  bool quiet = false;         // no progress, no summary on stderr (the run log keeps both)
  bool progress = false;      // progress lines even when stderr is not a terminal
};

struct RunSummary {
  int accepted = 0;
  int rejected = 0;
  int duplicates = 0;
  int unchanged = 0;  // files already in the ledger (keep mode): not new
  int waiting = 0;    // files not yet settled or still being written (.part)
  int findings = 0;
  Money erdf_due;
  Money state_due;
  std::string workbook;  // path written, empty when nothing was new
  int exit_code = 0;     // kExitOk or kExitRejected
};

// Runs the job in `job_file`. Throws ConfigError (exit 2), LockHeld (75), IoError or
// LedgerError (3); data problems are diagnostics, printed and logged, never exceptions.
RunSummary run_job(const XmlContext& xml, const std::filesystem::path& job_file,
                   const RunOptions& options);

// Returns the SQLite ledger file the job names (`sqlite:PATH`). Throws ConfigError otherwise.
std::filesystem::path ledger_path(const Job& job);

// Returns the directory of the job's run logs (logs/run-ID.log next to the ledger).
std::filesystem::path run_log_dir(const Job& job);

// Returns today's date (UTC).
Date today_utc();

}  // namespace cofin
