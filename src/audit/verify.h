// `cofin audit verify`: proves the ledger's history or names the first place it was broken.
// It recomputes the hash chain from hash_0, checks it against every head recorded outside the
// chain (the runs table and the run logs, so a truncated tail is caught), and re-hashes every
// original and workbook the trail names.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ledger/ledger.h"

namespace cofin {

// A head of the audit trail recorded somewhere else than the chain itself.
struct RecordedHead {
  std::string where;  // e.g. "run 3 (ledger)", "logs/run-3.log"
  std::int64_t seq = 0;
  std::string hash;  // hex
};

struct VerifyProblem {
  std::int64_t seq = 0;  // the first event the problem makes untrustworthy
  std::string kind;      // the event's kind, when known
  std::string reason;
};

struct VerifyResult {
  std::int64_t events = 0;
  std::optional<AuditEvent> head;
  int files_checked = 0;
  int heads_checked = 0;
  std::vector<VerifyProblem> problems;  // ordered by seq: the first is the first broken event

  bool ok() const { return problems.empty(); }
};

// Returns every "audit head ... seq=N hash=H" line of the run logs `logs_dir/run-*.log`.
// A missing directory gives none. Throws std::runtime_error when a log cannot be read.
std::vector<RecordedHead> read_log_heads(const std::filesystem::path& logs_dir);

// Returns the verification of `ledger`'s trail against `recorded` heads (plus the heads in the
// ledger's runs table). Files are re-hashed at the paths the events name.
VerifyResult verify_audit_trail(Ledger& ledger, const std::vector<RecordedHead>& recorded);

}  // namespace cofin
