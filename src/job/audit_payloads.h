// The audit events a run appends, as canonical JSON payloads (src/audit/canonical_json.h).
// Every payload carries "event" (its kind, also stored beside it) and "run". Pure functions.
#pragma once

#include <string>
#include <vector>

#include "calc/outcome.h"
#include "ingest/document.h"
#include "ledger/ledger.h"

namespace cofin::audit_event {

// Event kinds, stable: auditors filter on them.
inline constexpr const char* kReceived = "file-received";
inline constexpr const char* kAccepted = "document-accepted";
inline constexpr const char* kRejected = "document-rejected";
inline constexpr const char* kDuplicate = "duplicate-received";
inline constexpr const char* kControl = "control-decision";
inline constexpr const char* kApproval = "approval";
inline constexpr const char* kPayment = "payment";
inline constexpr const char* kRates = "rates-accepted";
inline constexpr const char* kFinding = "finding";
inline constexpr const char* kAmounts = "amounts-computed";
inline constexpr const char* kWorkbook = "workbook-written";
inline constexpr const char* kInputsChanged = "inputs-changed";
inline constexpr const char* kRecovery = "recovery";
inline constexpr const char* kRunFinished = "run-finished";
inline constexpr const char* kBackfilled = "content-backfilled";

std::string received(std::int64_t run, const DocumentRecord& d);
// `lines` and `declared_eur` describe a report (0 otherwise).
std::string accepted(std::int64_t run, const DocumentRecord& d, std::size_t lines,
                     Money declared_eur, const char* kind = kAccepted);
std::string rejected(std::int64_t run, const DocumentRecord& d);
std::string duplicate(std::int64_t run, const DuplicateRecord& d, const DocumentRecord& first);
std::string control(std::int64_t run, const std::string& sha256, const ControlResult& c);
std::string approval(std::int64_t run, const std::string& sha256, const ApprovalEvent& a);
std::string payment(std::int64_t run, const std::string& sha256, const PaymentEvent& p);
std::string rates(std::int64_t run, const std::string& sha256,
                  const std::vector<ExchangeRate>& rates);
std::string finding(std::int64_t run, const Diagnostic& d);
std::string amounts(std::int64_t run, const std::string& as_of,
                    const std::vector<ReportOutcome>& reports);
std::string workbook(std::int64_t run, const std::string& path, const std::string& sha256,
                     std::int64_t head_seq, const std::string& head_before);
std::string inputs_changed(std::int64_t run, const std::vector<ConfigInput>& before,
                           const std::vector<ConfigInput>& now);
std::string recovery(std::int64_t run, const std::vector<std::int64_t>& interrupted,
                     const std::vector<PendingMove>& completed);
std::string run_finished(std::int64_t run, const RunRecord& r, Money erdf_due, Money state_due);

}  // namespace cofin::audit_event
