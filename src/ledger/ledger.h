// The ledger: everything every run received, decided and computed, and the audit trail that
// proves it. Callers see only this interface, small enough for a PostgreSQL implementation to
// follow; the embedded default is SQLite (src/ledger/sqlite_ledger.cpp).
//
// What it holds: every input document (SHA-256, business key, original name, size, time), the
// accepted reports with their lines and the exchange rates frozen at first submission, control
// results, events, rate tables, findings, the amounts computed per run, the runs themselves,
// the moves still to be done after a commit, and the hash-chained audit events.
//
// Invariants the storage enforces (CHECK, UNIQUE, foreign keys, triggers): one document per
// SHA-256; one accepted document per business key; ERDF + state + own = eligible and declared =
// eligible + deducted + parked for every computed report; audit events are append-only and so
// are documents, reports, lines and the other evidence tables (nothing is purged).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "calc/outcome.h"
#include "model/control.h"
#include "model/diagnostic.h"
#include "model/events.h"
#include "model/rates.h"
#include "model/report.h"

namespace cofin {

// An environment failure of the ledger (I/O, corruption, locking, a violated invariant): exit 3.
class LedgerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The ledger was written by a newer cofin: exit code 2.
class LedgerTooNew : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DocumentRecord {
  std::int64_t seq = 0;  // assigned by the ledger
  std::string sha256;
  std::string kind;          // "report", "control-result", "events", "rates"
  std::string business_key;  // e.g. "report/CB0100123/1/2"; empty for rejected documents
  std::string original_name;
  std::string stored_path;  // where the original lives after its move (archive, quarantine)
  std::uint64_t size = 0;
  std::string status;  // "accepted" or "rejected"
  std::string reason;  // first error, for rejected documents
  std::int64_t run_id = 0;
  std::string received_path;  // where it was found in the inbox
  std::string received_at;    // UTC, ISO 8601
};

struct DuplicateRecord {
  std::int64_t run_id = 0;
  std::string sha256;
  std::string name;
  std::string received_path;
  std::string stored_path;
  std::uint64_t size = 0;
  std::string received_at;
};

struct RunRecord {
  std::string as_of;
  int accepted = 0;
  int rejected = 0;
  int duplicates = 0;
  int findings = 0;
  std::string workbook;         // path written, or empty
  std::string workbook_sha256;  // hex, or empty
  std::int64_t audit_seq = 0;   // the audit trail's head when the run finished
  std::string audit_head;       // hex; empty while the trail is empty
};

// The findings one run had (schema 4). The findings table holds each distinct finding once,
// with the run that first saw it; what every run saw is attested here instead of listed again.
struct RunFindingSet {
  std::int64_t size = 0;  // distinct findings recorded for the run
  std::string sha256;     // hex of fingerprint_set_digest() over their fingerprints
};

// A run as recorded, for `audit verify`.
struct RunHead {
  std::int64_t run_id = 0;
  bool finished = false;
  std::int64_t audit_seq = 0;
  std::string audit_head;
};

// A file move decided in a committed transaction and done after it (spec "Crash recovery").
struct PendingMove {
  std::int64_t id = 0;  // assigned by the ledger
  std::string sha256;
  std::string source;
  std::string destination;
  bool copy = false;      // keep mode: the original stays, a copy goes to `destination`
  std::string note_path;  // e.g. quarantine/NAME.reason.txt; empty for none
  std::string note;       // its content
};

// The EUR amount of one expenditure line at first submission, and the rate it used.
struct FrozenLine {
  std::optional<ExchangeRate> rate;  // absent for EUR lines
  Money eur;
};

// One rate a report was computed with at first submission.
struct FrozenRate {
  std::string project;
  int partner = 0;
  int report = 0;
  ExchangeRate rate;
};

struct AuditEvent {
  std::int64_t seq = 0;
  std::int64_t run_id = 0;
  std::string kind;
  std::string payload;  // canonical JSON
  std::string hash;     // hex of hash_seq
};

// An input that configures the run (job file, rule set, registry, rate table) and its hash.
struct ConfigInput {
  std::string kind;
  std::string file;
  std::string sha256;
};

// One connection: used by one thread at a time (it may be handed from thread to thread).
class Ledger {
 public:
  // The schema version this binary writes; an older ledger is migrated at open.
  static constexpr int kSchemaVersion = 4;
  // The oldest schema version this binary reads without migrating it (open_read_only): the
  // versions since changed how constraints are written (3) and how findings are kept (4),
  // nothing `audit verify` reads. run_finding_set() says nullopt on a ledger older than 4.
  static constexpr int kOldestReadableVersion = 2;

  // Opens (creating when absent) the SQLite ledger at `path`: WAL, synchronous=FULL, foreign
  // keys on, migrations applied. Throws LedgerTooNew or LedgerError.
  static std::unique_ptr<Ledger> open(const std::filesystem::path& path);
  // Opens an existing SQLite ledger for reading only (no migration, no write).
  // Throws LedgerTooNew, or LedgerError when absent, unreadable or older than
  // kOldestReadableVersion.
  static std::unique_ptr<Ledger> open_read_only(const std::filesystem::path& path);

  virtual ~Ledger() = default;
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // Runs `work` inside one transaction: all of it commits, or none (the exception propagates).
  template <typename F>
  void transaction(F&& work) {
    begin();
    try {
      work();
    } catch (...) {
      rollback();
      throw;  // rethrown unchanged: the caller maps it to an exit code
    }
    commit();
  }

  // --- documents ---
  // Returns the document with this hash, or nullopt.
  virtual std::optional<DocumentRecord> find_by_hash(const std::string& sha256) = 0;
  // Returns the accepted document with this business key, or nullopt.
  virtual std::optional<DocumentRecord> find_accepted_by_key(const std::string& kind,
                                                             const std::string& business_key) = 0;
  // Returns every accepted document, in the order they were accepted.
  virtual std::vector<DocumentRecord> accepted_documents() = 0;
  // Returns true when the file at `received_path` with this hash was received before (as a
  // document or as a duplicate): in keep mode it is not new.
  virtual bool received_before(const std::string& sha256, const std::string& received_path) = 0;
  // Records a decided document; returns its sequence number.
  virtual std::int64_t record_document(const DocumentRecord& record) = 0;
  // Records a duplicate re-send of an already known document.
  virtual void record_duplicate(const DuplicateRecord& record) = 0;

  // --- accepted content (REQUIRES: `document` is an accepted document's sequence number) ---
  // REQUIRES: lines.size() == report.lines.size().
  virtual void record_report(std::int64_t document, const PartnerReport& report,
                             const std::vector<FrozenLine>& lines) = 0;
  virtual void record_control(std::int64_t document, const ControlResult& control) = 0;
  virtual void record_events(std::int64_t document, const EventsDocument& events) = 0;
  virtual void record_rates(std::int64_t document, const std::vector<ExchangeRate>& rates) = 0;
  // Returns true when the content of accepted document `document` is recorded (a ledger
  // migrated from schema 1 holds the documents only; a run backfills them).
  virtual bool content_recorded(std::int64_t document) = 0;
  // Returns every rate frozen with an accepted report's lines.
  virtual std::vector<FrozenRate> frozen_rates() = 0;

  // --- runs ---
  // Starts a run; returns its id. Its log is logs/run-ID.log next to the ledger.
  virtual std::int64_t begin_run(const std::string& as_of, const std::string& started_at) = 0;
  // Returns the runs that started but neither finished nor were recovered, except `current`.
  virtual std::vector<std::int64_t> interrupted_runs(std::int64_t current) = 0;
  // Returns true when any of `runs` committed a document or a duplicate.
  virtual bool runs_recorded_documents(const std::vector<std::int64_t>& runs) = 0;
  // Marks `runs` as recovered by run `by`.
  virtual void mark_recovered(const std::vector<std::int64_t>& runs, std::int64_t by) = 0;
  // Marks run `run_id` finished with `run`'s figures, and with the set of findings that
  // record_finding received for it through this connection (run_finding_set()).
  virtual void finish_run(std::int64_t run_id, const RunRecord& run) = 0;
  virtual std::vector<RunHead> run_heads() = 0;
  // Returns the findings run `run_id` had, as finish_run recorded them; nullopt for a run that
  // did not finish, or on a ledger older than schema 4 opened read-only.
  virtual std::optional<RunFindingSet> run_finding_set(std::int64_t run_id) = 0;

  // --- computed per run ---
  virtual void record_amounts(std::int64_t run_id, const std::vector<ReportOutcome>& reports) = 0;
  // Records that run `run_id` has `finding`; returns true when no earlier call (in this run or
  // any earlier one) recorded the same finding (finding_fingerprint.h). Only then is a row
  // written, with this run as the first to see it: a finding seen before costs a look-up in
  // the table's unique index, nothing held in memory. The run's whole set is recorded by
  // finish_run (its fingerprints gathered in bounded memory, spilling sorted chunks to an
  // anonymous file in the ledger's directory: ledger/run_fingerprints.h).
  // REQUIRES: the run is finished through this connection.
  virtual bool record_finding(std::int64_t run_id, const Diagnostic& finding) = 0;
  // Returns the configuration inputs recorded last (empty before the first).
  virtual std::vector<ConfigInput> last_config_inputs() = 0;
  virtual void record_config_inputs(std::int64_t run_id,
                                    const std::vector<ConfigInput>& inputs) = 0;

  // --- moves after commit ---
  // Records a move to do once the current transaction has committed.
  virtual void add_pending_move(std::int64_t run_id, const PendingMove& move) = 0;
  // Returns the moves not yet marked done, in the order they were recorded.
  virtual std::vector<PendingMove> pending_moves() = 0;
  // Marks every pending move done by run `run_id`.
  virtual void mark_moves_done(std::int64_t run_id) = 0;

  // --- audit trail ---
  // Appends an event in the current transaction: seq = head + 1, hash chained (audit/chain.h).
  // Returns the event.
  virtual AuditEvent append_audit(std::int64_t run_id, const std::string& kind,
                                  const std::string& payload) = 0;
  // Returns the head event without its payload (seq, run, kind and hash: what chaining and
  // showing the head need; an amounts payload is megabytes), or nullopt while the trail is
  // empty. for_each_audit_event gives the payloads.
  virtual std::optional<AuditEvent> audit_head() = 0;
  // Calls `visit` for every event in seq order; stops early when it returns false.
  virtual void for_each_audit_event(const std::function<bool(const AuditEvent&)>& visit) = 0;

  // Returns "ok", or SQLite's integrity-check report.
  virtual std::string integrity_check() = 0;

 protected:
  Ledger() = default;
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
};

}  // namespace cofin
