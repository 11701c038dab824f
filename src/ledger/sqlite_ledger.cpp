// The embedded SQLite implementation of the Ledger interface.
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <utility>

#include "audit/chain.h"
#include "ledger/finding_fingerprint.h"
#include "ledger/fingerprint_set.h"
#include "ledger/ledger.h"
#include "ledger/run_fingerprints.h"
#include "ledger/schema.h"
#include "ledger/statement.h"
#include "ledger/statement_cache.h"
#include "model/enums.h"
#include "money/decimal.h"

namespace cofin {
namespace {

constexpr const char* kDocumentColumns =
    "seq, sha256, kind, business_key, original_name, stored_path, size, status, reason, run_id, "
    "received_path, received_at";

DocumentRecord read_document(Statement& s) {
  DocumentRecord d;
  d.seq = s.integer(0);
  d.sha256 = s.text(1);
  d.kind = s.text(2);
  d.business_key = s.text(3);
  d.original_name = s.text(4);
  d.stored_path = s.text(5);
  d.size = static_cast<std::uint64_t>(s.integer(6));
  d.status = s.text(7);
  d.reason = s.text(8);
  d.run_id = s.integer(9);
  d.received_path = s.text(10);
  d.received_at = s.text(11);
  return d;
}

std::string optional_date(const std::optional<Date>& d) {
  return d ? d->to_string() : std::string();
}

std::string month_text(int year, unsigned month) {
  return std::to_string(year) + "-" + (month < 10 ? "0" : "") + std::to_string(month);
}

class SqliteLedger final : public Ledger {
 public:
  SqliteLedger(const std::filesystem::path& path, bool read_only)
      // NOMUTEX: a ledger is used by one thread at a time (ledger.h), handed over with a lock
      // (job/serial_worker.h), so SQLite's own per-call mutex only costs: 12% of the ledger
      // thread's samples in a 1M-line run (perf).
      : connection_(
            path, SQLITE_OPEN_NOMUTEX | (read_only ? SQLITE_OPEN_READONLY
                                                   : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))),
        scratch_dir_(path.has_parent_path() ? path.parent_path() : std::filesystem::path(".")) {
    sqlite3_busy_timeout(db_, 0);  // the job lock serialises runs; never wait here
    if (!read_only) {
      exec("PRAGMA journal_mode=WAL");
      // FULL: a commit survives power loss, not only a process crash (sqlite.org/pragma.html).
      exec("PRAGMA synchronous=FULL");
    }
    exec("PRAGMA foreign_keys=ON");
    int& version = version_;
    {
      Statement s(db_, "PRAGMA user_version");
      if (s.step()) version = static_cast<int>(s.integer(0));
    }
    if (version > kSchemaVersion) {
      throw LedgerTooNew("ledger " + path.string() + " has schema version " +
                         std::to_string(version) + ", newer than this cofin (" +
                         std::to_string(kSchemaVersion) + "): upgrade cofin");
    }
    if (read_only) {
      if (version < kOldestReadableVersion) {
        throw LedgerError("ledger " + path.string() + " has schema version " +
                          std::to_string(version) + " (this cofin writes " +
                          std::to_string(kSchemaVersion) +
                          "): run `cofin run` once to migrate it before verifying");
      }
      return;
    }
    if (version < 1) migrate(1, [&] { exec(schema::kV1); });
    if (version < 2) migrate(2, [&] { exec(schema::kV2); });
    if (version < 3) migrate(3, [&] { exec(schema::kV3); });
    if (version < 4) {
      migrate(4, [&] {
        exec(schema::kV4Runs);
        record_finding_sets_from_rows();
        exec(schema::kV4Findings);
      });
    }
    version = kSchemaVersion;
    // No statement prepared before a migration outlives it (SQLite would re-prepare it, but a
    // statement compiled against an older schema is not worth reasoning about).
    statements_.clear();
  }

  std::optional<DocumentRecord> find_by_hash(const std::string& sha256) override {
    Statement s = statements_.acquire(std::string("SELECT ") + kDocumentColumns +
                                      " FROM documents WHERE sha256 = ?");
    s.bind(1, sha256);
    if (!s.step()) return std::nullopt;
    return read_document(s);
  }

  std::optional<DocumentRecord> find_accepted_by_key(const std::string& kind,
                                                     const std::string& business_key) override {
    Statement s = statements_.acquire(std::string("SELECT ") + kDocumentColumns +
                                      " FROM documents WHERE status = 'accepted' AND kind = ? AND "
                                      "business_key = ?");
    s.bind(1, kind).bind(2, business_key);
    if (!s.step()) return std::nullopt;
    return read_document(s);
  }

  std::vector<DocumentRecord> accepted_documents() override {
    Statement s = statements_.acquire(std::string("SELECT ") + kDocumentColumns +
                                      " FROM documents WHERE status = 'accepted' ORDER BY seq");
    std::vector<DocumentRecord> out;
    while (s.step()) out.push_back(read_document(s));
    return out;
  }

  bool received_before(const std::string& sha256, const std::string& received_path) override {
    Statement s = statements_.acquire(
        "SELECT 1 FROM documents WHERE received_path = ?1 AND sha256 = ?2 UNION ALL "
        "SELECT 1 FROM duplicates WHERE received_path = ?1 AND sha256 = ?2 LIMIT 1");
    s.bind(1, received_path).bind(2, sha256);
    return s.step();
  }

  std::int64_t record_document(const DocumentRecord& d) override {
    Statement s = statements_.acquire(
        "INSERT INTO documents(sha256, kind, business_key, original_name, stored_path, "
        "size, status, reason, run_id, received_path, received_at) VALUES (?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, d.sha256)
        .bind(2, d.kind)
        .bind(3, d.business_key)
        .bind(4, d.original_name)
        .bind(5, d.stored_path)
        .bind(6, static_cast<std::int64_t>(d.size))
        .bind(7, d.status)
        .bind(8, d.reason)
        .bind(9, d.run_id)
        .bind(10, d.received_path)
        .bind(11, d.received_at);
    s.run();
    return sqlite3_last_insert_rowid(db_);
  }

  bool content_recorded(std::int64_t document) override {
    Statement s = statements_.acquire(
        "SELECT 1 FROM reports WHERE document_seq = ?1 UNION ALL SELECT 1 FROM controls "
        "WHERE document_seq = ?1 UNION ALL SELECT 1 FROM events WHERE document_seq = ?1 "
        "UNION ALL SELECT 1 FROM rates WHERE document_seq = ?1 LIMIT 1");
    s.bind(1, document);
    return s.step();
  }

  void record_duplicate(const DuplicateRecord& d) override {
    Statement s = statements_.acquire(
        "INSERT INTO duplicates(run_id, sha256, name, received_path, stored_path, size, "
        "received_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, d.run_id)
        .bind(2, d.sha256)
        .bind(3, d.name)
        .bind(4, d.received_path)
        .bind(5, d.stored_path)
        .bind(6, static_cast<std::int64_t>(d.size))
        .bind(7, d.received_at);
    s.run();
  }

  void record_report(std::int64_t document, const PartnerReport& r,
                     const std::vector<FrozenLine>& lines) override {
    if (lines.size() != r.lines.size()) {
      throw LedgerError("ledger: record_report: one frozen amount per line required");
    }
    Money declared_eur;
    for (const FrozenLine& f : lines) declared_eur += f.eur;
    Statement head = statements_.acquire(
        "INSERT INTO reports(document_seq, project, partner, report, period_start, "
        "period_end, submitted_on, line_count, declared_eur_cents) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    head.bind(1, document)
        .bind(2, r.project)
        .bind(3, r.partner)
        .bind(4, r.report)
        .bind(5, r.period_start.to_string())
        .bind(6, r.period_end.to_string())
        .bind(7, r.submitted_on.to_string())
        .bind(8, static_cast<std::int64_t>(r.lines.size()))
        .bind(9, declared_eur);
    head.run();
    Statement line = statements_.acquire(
        "INSERT INTO lines(report_seq, line, category, unit_cost, units, internal_ref, "
        "invoice_no, invoice_date, payment_date, supplier, supplier_id, "
        "procurement_ref, description, invoice_total_cents, vat_cents, "
        "declared_cents, currency, reincluded_from, rate_units_per_eur, rate_month, "
        "eur_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?)");
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const ExpenseLine& l = r.lines[i];
      const FrozenLine& f = lines[i];
      // Borrowed: the report's strings outlive line.run() below; computed texts are copied.
      line.bind(1, document)
          .bind(2, l.line)
          .bind_borrowed(3, category_name(l.category))
          .bind_borrowed(4, l.unit_cost)
          .bind(5, l.units ? l.units->to_string() : std::string())
          .bind_borrowed(6, l.internal_ref)
          .bind_borrowed(7, l.invoice_no)
          .bind(8, optional_date(l.invoice_date))
          .bind(9, optional_date(l.payment_date))
          .bind_borrowed(10, l.supplier)
          .bind_borrowed(11, l.supplier_id)
          .bind_borrowed(12, l.procurement_ref)
          .bind_borrowed(13, l.description)
          .bind(14, l.invoice_total)
          .bind(15, l.vat)
          .bind(16, l.declared)
          .bind_borrowed(17, l.currency)
          .bind_borrowed(18, l.reincluded_from);
      if (f.rate) {
        line.bind(19, f.rate->units_per_eur.to_string())
            .bind(20, month_text(f.rate->year, f.rate->month));
      } else {
        line.bind_null(19).bind(20, std::string());
      }
      line.bind(21, f.eur);
      line.run();
    }
  }

  void record_control(std::int64_t document, const ControlResult& c) override {
    Statement head = statements_.acquire(
        "INSERT INTO controls(document_seq, id, project, partner, report, controller, "
        "certified_on, replaces) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    head.bind(1, document)
        .bind(2, c.id)
        .bind(3, c.project)
        .bind(4, c.partner)
        .bind(5, c.report)
        .bind(6, c.controller)
        .bind(7, c.certified_on.to_string())
        .bind(8, c.replaces);
    head.run();
    Statement decision = statements_.acquire(
        "INSERT INTO control_decisions(control_seq, line, parked, deducted_cents, "
        "typology, comment) VALUES (?, ?, ?, ?, ?, ?)");
    for (const LineDecision& d : c.decisions) {
      decision.bind(1, document)
          .bind(2, d.line)
          .bind(3, d.parked ? 1 : 0)
          .bind(4, d.deducted)
          .bind(5, d.typology)
          .bind(6, d.comment);
      decision.run();
    }
  }

  void record_events(std::int64_t document, const EventsDocument& events) override {
    Statement event = statements_.acquire(
        "INSERT INTO events(id, document_seq, type, project, project_report, partner, "
        "report, date, payment_ref, amount_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?)");
    Statement cover = statements_.acquire(
        "INSERT INTO approval_covers(event_id, project, partner, report) VALUES (?, "
        "?, ?, ?)");
    Statement deduction = statements_.acquire(
        "INSERT INTO approval_deductions(event_id, project, partner, report, "
        "line, amount_cents, typology, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (const Event& e : events.events) {
      if (const auto* a = std::get_if<ApprovalEvent>(&e)) {
        event.bind(1, a->id)
            .bind(2, document)
            .bind(3, "approved")
            .bind(4, a->project)
            .bind(5, a->project_report)
            .bind_null(6)
            .bind_null(7)
            .bind(8, a->date.to_string())
            .bind_null(9)
            .bind_null(10);
        event.run();
        for (const PartnerReportRef& r : a->covers) {
          cover.bind(1, a->id).bind(2, r.project).bind(3, r.partner).bind(4, r.report);
          cover.run();
        }
        for (const ApprovalDeduction& d : a->deductions) {
          deduction.bind(1, a->id)
              .bind(2, d.report.project)
              .bind(3, d.report.partner)
              .bind(4, d.report.report)
              .bind(5, d.line)
              .bind(6, d.amount)
              .bind(7, d.typology)
              .bind(8, d.comment);
          deduction.run();
        }
      } else if (const auto* p = std::get_if<PaymentEvent>(&e)) {
        event.bind(1, p->id)
            .bind(2, document)
            .bind(3, p->fund == Fund::kErdf ? "erdf-paid" : "state-paid")
            .bind(4, p->report.project)
            .bind_null(5)
            .bind(6, p->report.partner)
            .bind(7, p->report.report)
            .bind(8, p->date.to_string())
            .bind(9, p->payment_ref)
            .bind(10, p->amount);
        event.run();
      }
    }
  }

  void record_rates(std::int64_t document, const std::vector<ExchangeRate>& rates) override {
    Statement s = statements_.acquire(
        "INSERT OR IGNORE INTO rates(document_seq, currency, year, month, units_per_eur) "
        "VALUES (?, ?, ?, ?, ?)");
    for (const ExchangeRate& r : rates) {
      s.bind(1, document)
          .bind(2, r.currency)
          .bind(3, r.year)
          .bind(4, static_cast<int>(r.month))
          .bind(5, r.units_per_eur.to_string());
      s.run();
    }
  }

  std::vector<FrozenRate> frozen_rates() override {
    Statement s = statements_.acquire(
        "SELECT DISTINCT r.project, r.partner, r.report, l.currency, l.rate_month, "
        "l.rate_units_per_eur FROM lines l JOIN reports r ON r.document_seq = "
        "l.report_seq WHERE l.rate_units_per_eur IS NOT NULL ORDER BY 1, 2, 3, 4, 5");
    std::vector<FrozenRate> out;
    while (s.step()) {
      FrozenRate f;
      f.project = s.text(0);
      f.partner = static_cast<int>(s.integer(1));
      f.report = static_cast<int>(s.integer(2));
      f.rate.currency = s.text(3);
      const std::string month = s.text(4);
      f.rate.year = std::stoi(month.substr(0, 4));
      f.rate.month = static_cast<unsigned>(std::stoi(month.substr(5, 2)));
      auto rate = parse_decimal(s.text(5), 6);
      if (!rate) throw LedgerError("ledger: unreadable frozen rate " + s.text(5));
      f.rate.units_per_eur = *rate;
      out.push_back(std::move(f));
    }
    return out;
  }

  std::int64_t begin_run(const std::string& as_of, const std::string& started_at) override {
    Statement s = statements_.acquire("INSERT INTO runs(as_of, started_at) VALUES (?, ?)");
    s.bind(1, as_of).bind(2, started_at);
    s.run();
    return sqlite3_last_insert_rowid(db_);
  }

  std::vector<std::int64_t> interrupted_runs(std::int64_t current) override {
    Statement s = statements_.acquire(
        "SELECT id FROM runs WHERE finished = 0 AND recovered_by IS NULL AND id <> ? "
        "ORDER BY id");
    s.bind(1, current);
    std::vector<std::int64_t> out;
    while (s.step()) out.push_back(s.integer(0));
    return out;
  }

  bool runs_recorded_documents(const std::vector<std::int64_t>& runs) override {
    Statement s = statements_.acquire(
        "SELECT 1 FROM documents WHERE run_id = ?1 UNION ALL SELECT 1 FROM duplicates "
        "WHERE run_id = ?1 LIMIT 1");
    for (std::int64_t run : runs) {
      s.bind(1, run);
      const bool found = s.step();
      s.run();
      if (found) return true;
    }
    return false;
  }

  void mark_recovered(const std::vector<std::int64_t>& runs, std::int64_t by) override {
    Statement s = statements_.acquire("UPDATE runs SET recovered_by = ? WHERE id = ?");
    for (std::int64_t run : runs) {
      s.bind(1, by).bind(2, run);
      s.run();
    }
  }

  void finish_run(std::int64_t run_id, const RunRecord& run) override {
    const auto [set_size, set_digest] = run_fingerprints(run_id).digest();
    const std::string set_sha256 = to_hex(set_digest);
    Statement s = statements_.acquire(
        "UPDATE runs SET finished = 1, accepted = ?, rejected = ?, duplicates = ?, "
        "findings = ?, workbook = ?, workbook_sha256 = ?, audit_seq = ?, audit_head = ?, "
        "finding_set_size = ?, finding_set_sha256 = ? WHERE id = ?");
    s.bind(1, run.accepted)
        .bind(2, run.rejected)
        .bind(3, run.duplicates)
        .bind(4, run.findings)
        .bind(5, run.workbook)
        .bind(6, run.workbook_sha256)
        .bind(7, run.audit_seq)
        .bind(8, run.audit_head)
        .bind(9, set_size)
        .bind(10, set_sha256)
        .bind(11, run_id);
    s.run();
  }

  std::optional<RunFindingSet> run_finding_set(std::int64_t run_id) override {
    if (version_ < 4) return std::nullopt;
    Statement s = statements_.acquire(
        "SELECT finding_set_size, finding_set_sha256 FROM runs WHERE id = ? AND "
        "finding_set_size IS NOT NULL");
    s.bind(1, run_id);
    if (!s.step()) return std::nullopt;
    RunFindingSet out;
    out.size = s.integer(0);
    out.sha256 = s.text(1);
    return out;
  }

  std::vector<RunHead> run_heads() override {
    Statement s =
        statements_.acquire("SELECT id, finished, audit_seq, audit_head FROM runs ORDER BY id");
    std::vector<RunHead> out;
    while (s.step()) {
      out.push_back({s.integer(0), s.integer(1) == 1, s.integer(2), s.text(3)});
    }
    return out;
  }

  void record_amounts(std::int64_t run_id, const std::vector<ReportOutcome>& reports) override {
    Statement s = statements_.acquire(
        "INSERT INTO report_amounts(run_id, project, partner, report, status, "
        "declared_cents, deducted_cents, parked_cents, eligible_cents, erdf_cents, "
        "state_cents, own_cents, erdf_due_cents, state_due_cents, erdf_paid_cents, "
        "state_paid_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const ReportOutcome& r : reports) {
      s.bind(1, run_id)
          .bind(2, r.project)
          .bind(3, r.partner)
          .bind(4, r.report)
          .bind(5, r.status)
          .bind(6, r.declared)
          .bind(7, r.deducted)
          .bind(8, r.parked)
          .bind(9, r.eligible)
          .bind(10, r.erdf)
          .bind(11, r.state)
          .bind(12, r.own)
          .bind(13, r.erdf_due)
          .bind(14, r.state_due)
          .bind(15, r.erdf_paid)
          .bind(16, r.state_paid);
      s.run();
    }
  }

  bool record_finding(std::int64_t run_id, const Diagnostic& d) override {
    const Digest fingerprint = finding_fingerprint(d);
    run_fingerprints(run_id).add(fingerprint);
    // The table's unique index, not memory, tells what is new: the ledger's fingerprints held
    // in memory grew with it (2.1M at 5M lines, 67 MB). Looked up before inserting because most
    // findings of an incremental night are known, and the look-up costs less than an INSERT
    // that conflicts (422,787 known findings: 1.2-1.4 s against 1.6-1.9 s; a first night's new
    // ones pay about 0.2 s for the look-ups that miss).
    const std::string hex = to_hex(fingerprint);
    {
      Statement known = statements_.acquire("SELECT 1 FROM findings WHERE fingerprint = ?");
      known.bind_borrowed(1, hex);  // `hex` outlives the statement's lease
      if (known.step()) return false;
    }
    // DO NOTHING all the same: inside a transaction (BEGIN IMMEDIATE) no other connection
    // writes between the look-up and here, but the table, not this reasoning, has the last word.
    Statement s = statements_.acquire(
        "INSERT INTO findings(run_id, fingerprint, severity, rule_id, file, line, column, "
        "field, message, amount_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (fingerprint) DO NOTHING");
    // Borrowed: `d` and `hex` outlive s.run() below.
    s.bind(1, run_id)
        .bind_borrowed(2, hex)
        .bind_borrowed(3, severity_name(d.severity))
        .bind_borrowed(4, d.rule_id)
        .bind_borrowed(5, d.file)
        .bind(6, d.line)
        .bind(7, d.column)
        .bind_borrowed(8, d.field)
        .bind_borrowed(9, d.message)
        .bind(10, d.amount);
    s.run();
    return sqlite3_changes(db_) > 0;
  }

  std::vector<ConfigInput> last_config_inputs() override {
    Statement s = statements_.acquire(
        "SELECT kind, file, sha256 FROM config_inputs WHERE run_id = (SELECT "
        "max(run_id) FROM config_inputs) ORDER BY kind, file");
    std::vector<ConfigInput> out;
    while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2)});
    return out;
  }

  void record_config_inputs(std::int64_t run_id, const std::vector<ConfigInput>& inputs) override {
    Statement s = statements_.acquire(
        "INSERT OR REPLACE INTO config_inputs(run_id, kind, file, sha256) VALUES (?, ?, "
        "?, ?)");
    for (const ConfigInput& c : inputs) {
      s.bind(1, run_id).bind(2, c.kind).bind(3, c.file).bind(4, c.sha256);
      s.run();
    }
  }

  void add_pending_move(std::int64_t run_id, const PendingMove& m) override {
    Statement s = statements_.acquire(
        "INSERT INTO pending_moves(run_id, sha256, source, destination, copy, note_path, "
        "note) VALUES (?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, run_id)
        .bind(2, m.sha256)
        .bind(3, m.source)
        .bind(4, m.destination)
        .bind(5, m.copy ? 1 : 0)
        .bind(6, m.note_path)
        .bind(7, m.note);
    s.run();
  }

  std::vector<PendingMove> pending_moves() override {
    Statement s = statements_.acquire(
        "SELECT id, sha256, source, destination, copy, note_path, note FROM pending_moves "
        "WHERE done_by IS NULL ORDER BY id");
    std::vector<PendingMove> out;
    while (s.step()) {
      out.push_back(
          {s.integer(0), s.text(1), s.text(2), s.text(3), s.integer(4) == 1, s.text(5), s.text(6)});
    }
    return out;
  }

  void mark_moves_done(std::int64_t run_id) override {
    Statement s = statements_.acquire("UPDATE pending_moves SET done_by = ? WHERE done_by IS NULL");
    s.bind(1, run_id);
    s.run();
  }

  AuditEvent append_audit(std::int64_t run_id, const std::string& kind,
                          const std::string& payload) override {
    const std::optional<AuditEvent> head = in_transaction_ ? transaction_head_ : read_audit_head();
    Digest previous = audit_genesis();
    std::int64_t seq = 1;
    if (head) {
      auto digest = digest_from_hex(head->hash);
      if (!digest) throw LedgerError("ledger: the audit head's hash is unreadable");
      previous = *digest;
      seq = head->seq + 1;
    }
    AuditEvent e{seq, run_id, kind, payload,
                 to_hex(audit_chain_next(previous, static_cast<std::uint64_t>(seq), payload))};
    Statement s = statements_.acquire(
        "INSERT INTO audit_events(seq, run_id, kind, payload, hash) VALUES (?, ?, ?, ?, ?)");
    // Borrowed: `e` outlives s.run() below.
    s.bind(1, e.seq)
        .bind(2, e.run_id)
        .bind_borrowed(3, e.kind)
        .bind_borrowed(4, e.payload)
        .bind_borrowed(5, e.hash);
    s.run();
    if (in_transaction_) {  // only once the row is in
      transaction_head_ = AuditEvent{e.seq, e.run_id, e.kind, std::string(), e.hash};
    }
    return e;
  }

  std::optional<AuditEvent> audit_head() override {
    return in_transaction_ ? transaction_head_ : read_audit_head();
  }

  void for_each_audit_event(const std::function<bool(const AuditEvent&)>& visit) override {
    Statement s = statements_.acquire(
        "SELECT seq, run_id, kind, payload, hash FROM audit_events ORDER BY seq");
    while (s.step()) {
      if (!visit(AuditEvent{s.integer(0), s.integer(1), s.text(2), s.text(3), s.text(4)})) break;
    }
  }

  std::string integrity_check() override {
    Statement s(db_, "PRAGMA integrity_check");
    std::string out;
    while (s.step()) {
      if (!out.empty()) out += "\n";
      out += s.text(0);
    }
    return out;
  }

 protected:
  void begin() override {
    exec("BEGIN IMMEDIATE");
    try {
      transaction_head_ = read_audit_head();
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;  // rethrown unchanged, as if BEGIN had failed: no transaction is left open
    }
    in_transaction_ = true;
    run_findings_at_begin_.clear();
    for (auto& [run, seen] : run_findings_) run_findings_at_begin_[run] = seen.mark();
  }
  void commit() override {
    // Whether COMMIT succeeds or not, the head is read from the table from now on.
    in_transaction_ = false;
    transaction_head_.reset();
    try {
      exec("COMMIT");
    } catch (...) {
      forget_transaction_findings();  // nothing of it may count as recorded
      throw;                          // rethrown unchanged: the caller maps it to an exit code
    }
  }
  void rollback() override {
    in_transaction_ = false;
    transaction_head_.reset();
    forget_transaction_findings();
    // A failed COMMIT may already have rolled back; ROLLBACK then reports "no transaction",
    // which changes nothing, so only the original failure is reported.
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

 private:
  // Returns the last event of the trail as stored, or nullopt while the trail is empty.
  std::optional<AuditEvent> read_audit_head() {
    Statement s = statements_.acquire(
        "SELECT seq, run_id, kind, hash FROM audit_events ORDER BY seq DESC LIMIT 1");
    if (!s.step()) return std::nullopt;
    return AuditEvent{s.integer(0), s.integer(1), s.text(2), std::string(), s.text(3)};
  }

  void exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : "unknown error";
      sqlite3_free(error);
      throw LedgerError("ledger: " + message);
    }
  }

  // Returns the fingerprints noted for run `run_id`, empty at the first call.
  RunFingerprints& run_fingerprints(std::int64_t run_id) {
    return run_findings_.try_emplace(run_id, scratch_dir_).first->second;
  }

  // Undoes what record_finding noted in memory during the transaction being abandoned.
  void forget_transaction_findings() {
    for (auto it = run_findings_.begin(); it != run_findings_.end();) {
      const auto mark = run_findings_at_begin_.find(it->first);
      if (mark == run_findings_at_begin_.end()) {
        it = run_findings_.erase(it);
      } else {
        it->second.roll_back_to(mark->second);
        ++it;
      }
    }
  }

  // Migrating to schema 4: each finished run's finding set, from the rows it wrote (one row
  // per finding and run until schema 3), before the repeats go. A run's rows are read in one
  // pass ordered by run, so memory holds one run's fingerprints at a time.
  void record_finding_sets_from_rows() {
    Statement rows(db_,
                   "SELECT f.run_id, f.fingerprint FROM findings f JOIN runs r ON r.id = "
                   "f.run_id WHERE r.finished = 1 ORDER BY f.run_id");
    Statement set(db_, "UPDATE runs SET finding_set_size = ?, finding_set_sha256 = ? WHERE id = ?");
    std::vector<Digest> seen;
    std::int64_t run = 0;
    const auto flush = [&] {
      if (run == 0) return;
      const std::string sha256 = to_hex(fingerprint_set_digest(seen));
      set.bind(1, static_cast<std::int64_t>(seen.size())).bind(2, sha256).bind(3, run);
      set.run();
      seen.clear();
    };
    while (rows.step()) {
      if (rows.integer(0) != run) {
        flush();
        run = rows.integer(0);
      }
      const std::optional<Digest> fingerprint = digest_from_hex(rows.text_view(1));
      if (!fingerprint) throw LedgerError("ledger: a finding's fingerprint is unreadable");
      seen.push_back(*fingerprint);
    }
    flush();
    // A finished run without findings had the empty set.
    std::vector<Digest> none;
    const std::string empty = to_hex(fingerprint_set_digest(none));
    Statement rest(db_,
                   "UPDATE runs SET finding_set_size = 0, finding_set_sha256 = ? WHERE "
                   "finished = 1 AND finding_set_size IS NULL");
    rest.bind(1, empty);
    rest.run();
  }

  // Applies a migration's `steps` and the user_version it sets in one transaction. Not
  // transaction(): begin() reads the audit trail, which a ledger older than version 2 lacks.
  template <typename Steps>
  void migrate(int version, Steps&& steps) {
    exec("BEGIN IMMEDIATE");
    try {
      steps();
      exec(("PRAGMA user_version = " + std::to_string(version)).c_str());
      exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;  // rethrown unchanged: the caller maps it to an exit code
    }
  }

  // The connection, closed also when the ledger's constructor throws after opening it.
  struct Connection {
    Connection(const std::filesystem::path& path, int flags) {
      if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
        const std::string why = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        throw LedgerError("ledger: cannot open " + path.string() + ": " + why);
      }
    }
    ~Connection() { sqlite3_close(db); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    sqlite3* db = nullptr;
  };
  Connection connection_;
  sqlite3* const db_ = connection_.db;
  // Declared after the connection, so destroyed (every statement finalized) before it closes.
  StatementCache statements_{db_};
  // The audit trail's head while a transaction is open: read once when it begins (BEGIN
  // IMMEDIATE holds the write lock, so no other connection can move it) and advanced by every
  // append_audit in it, so that appending costs no query. Outside a transaction it is not used:
  // a committed transaction's head is in the table and a rolled-back one's is gone with it, so
  // nothing is carried from one transaction to the next.
  bool in_transaction_ = false;
  std::optional<AuditEvent> transaction_head_;
  int version_ = 0;  // the schema version, once open: kSchemaVersion unless read-only
  // Where a run's fingerprints spill (run_fingerprints.h): the ledger's directory.
  std::filesystem::path scratch_dir_;
  // Per run, the fingerprints record_finding received, and where each stood when the current
  // transaction began, to undo a rollback.
  std::map<std::int64_t, RunFingerprints> run_findings_;
  std::map<std::int64_t, RunFingerprints::Mark> run_findings_at_begin_;
};

}  // namespace

std::unique_ptr<Ledger> Ledger::open(const std::filesystem::path& path) {
  return std::make_unique<SqliteLedger>(path, false);
}

std::unique_ptr<Ledger> Ledger::open_read_only(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) {
    throw LedgerError("ledger " + path.string() + " does not exist: nothing has run yet");
  }
  return std::make_unique<SqliteLedger>(path, true);
}

}  // namespace cofin
