// The SQLite ledger's schema, one migration per version (PRAGMA user_version). A migration runs
// in the same transaction as the user_version it sets. Money is INTEGER cents, exact rates are
// TEXT decimals ("11.447500"), dates TEXT ISO 8601; every table is STRICT.
#pragma once

namespace cofin::schema {

// Version 1 (foundation): runs, documents, duplicate receipts.
inline constexpr const char* kV1 = R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  as_of TEXT NOT NULL,
  finished INTEGER NOT NULL DEFAULT 0 CHECK (finished IN (0, 1)),
  accepted INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  duplicates INTEGER NOT NULL DEFAULT 0,
  workbook TEXT NOT NULL DEFAULT '',
  workbook_sha256 TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TABLE documents (
  seq INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
  kind TEXT NOT NULL,
  business_key TEXT NOT NULL,
  original_name TEXT NOT NULL,
  stored_path TEXT NOT NULL,
  size INTEGER NOT NULL CHECK (size >= 0),
  status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected')),
  reason TEXT NOT NULL,
  run_id INTEGER NOT NULL REFERENCES runs(id)
) STRICT;
CREATE UNIQUE INDEX documents_accepted_key ON documents(kind, business_key)
  WHERE status = 'accepted';
CREATE TABLE duplicates (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  sha256 TEXT NOT NULL REFERENCES documents(sha256),
  name TEXT NOT NULL
) STRICT;
)sql";

// Version 2: the full ledger (reports, lines with frozen rates, controls, events, rates,
// amounts per run, findings, configuration snapshots), pending moves, the audit trail.
inline constexpr const char* kV2 = R"sql(
ALTER TABLE runs ADD COLUMN started_at TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN findings INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN audit_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN audit_head TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN recovered_by INTEGER REFERENCES runs(id);
ALTER TABLE documents ADD COLUMN received_path TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN received_at TEXT NOT NULL DEFAULT '';
ALTER TABLE duplicates ADD COLUMN received_path TEXT NOT NULL DEFAULT '';
ALTER TABLE duplicates ADD COLUMN stored_path TEXT NOT NULL DEFAULT '';
ALTER TABLE duplicates ADD COLUMN size INTEGER NOT NULL DEFAULT 0 CHECK (size >= 0);
ALTER TABLE duplicates ADD COLUMN received_at TEXT NOT NULL DEFAULT '';
CREATE INDEX documents_received ON documents(received_path, sha256);
CREATE INDEX duplicates_received ON duplicates(received_path, sha256);

CREATE TABLE reports (
  document_seq INTEGER PRIMARY KEY REFERENCES documents(seq),
  project TEXT NOT NULL,
  partner INTEGER NOT NULL CHECK (partner >= 1),
  report INTEGER NOT NULL CHECK (report >= 1),
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,
  submitted_on TEXT NOT NULL,
  line_count INTEGER NOT NULL CHECK (line_count >= 0),
  declared_eur_cents INTEGER NOT NULL,
  UNIQUE (project, partner, report),
  CHECK (period_end >= period_start)
) STRICT;
CREATE TABLE lines (
  report_seq INTEGER NOT NULL REFERENCES reports(document_seq),
  line INTEGER NOT NULL,
  category TEXT NOT NULL,
  unit_cost TEXT NOT NULL,
  units TEXT NOT NULL,
  internal_ref TEXT NOT NULL,
  invoice_no TEXT NOT NULL,
  invoice_date TEXT NOT NULL,
  payment_date TEXT NOT NULL,
  supplier TEXT NOT NULL,
  supplier_id TEXT NOT NULL,
  procurement_ref TEXT NOT NULL,
  description TEXT NOT NULL,
  invoice_total_cents INTEGER,
  vat_cents INTEGER,
  declared_cents INTEGER NOT NULL CHECK (abs(declared_cents) <= 99999999999),
  currency TEXT NOT NULL,
  reincluded_from TEXT NOT NULL,
  -- Frozen at first submission (domain §5): re-processing never changes these two.
  rate_units_per_eur TEXT,
  rate_month TEXT NOT NULL,
  eur_cents INTEGER NOT NULL,
  PRIMARY KEY (report_seq, line),
  CHECK (rate_units_per_eur IS NOT NULL OR eur_cents = declared_cents),
  CHECK ((rate_units_per_eur IS NULL) = (rate_month = ''))
) STRICT;
CREATE TABLE controls (
  document_seq INTEGER PRIMARY KEY REFERENCES documents(seq),
  id TEXT NOT NULL,
  project TEXT NOT NULL,
  partner INTEGER NOT NULL,
  report INTEGER NOT NULL,
  controller TEXT NOT NULL,
  certified_on TEXT NOT NULL,
  replaces TEXT NOT NULL,
  FOREIGN KEY (project, partner, report) REFERENCES reports(project, partner, report)
) STRICT;
CREATE TABLE control_decisions (
  control_seq INTEGER NOT NULL REFERENCES controls(document_seq),
  line INTEGER NOT NULL,
  parked INTEGER NOT NULL CHECK (parked IN (0, 1)),
  deducted_cents INTEGER NOT NULL,
  typology TEXT NOT NULL,
  comment TEXT NOT NULL,
  CHECK (parked = 0 OR deducted_cents = 0)
) STRICT;
CREATE TABLE events (
  id TEXT PRIMARY KEY,
  document_seq INTEGER NOT NULL REFERENCES documents(seq),
  type TEXT NOT NULL CHECK (type IN ('approved', 'erdf-paid', 'state-paid')),
  project TEXT NOT NULL,
  project_report INTEGER,
  partner INTEGER,
  report INTEGER,
  date TEXT NOT NULL,
  payment_ref TEXT,
  amount_cents INTEGER,
  CHECK ((type = 'approved') = (amount_cents IS NULL)),
  CHECK ((type = 'approved') = (project_report IS NOT NULL)),
  FOREIGN KEY (project, partner, report) REFERENCES reports(project, partner, report)
) STRICT;
CREATE TABLE approval_covers (
  event_id TEXT NOT NULL REFERENCES events(id),
  project TEXT NOT NULL,
  partner INTEGER NOT NULL,
  report INTEGER NOT NULL,
  FOREIGN KEY (project, partner, report) REFERENCES reports(project, partner, report)
) STRICT;
CREATE TABLE approval_deductions (
  event_id TEXT NOT NULL REFERENCES events(id),
  project TEXT NOT NULL,
  partner INTEGER NOT NULL,
  report INTEGER NOT NULL,
  line INTEGER NOT NULL,
  amount_cents INTEGER NOT NULL,
  typology TEXT NOT NULL,
  comment TEXT NOT NULL
) STRICT;
CREATE TABLE rates (
  document_seq INTEGER NOT NULL REFERENCES documents(seq),
  currency TEXT NOT NULL,
  year INTEGER NOT NULL,
  month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
  units_per_eur TEXT NOT NULL,
  PRIMARY KEY (document_seq, currency, year, month)
) STRICT;
CREATE TABLE report_amounts (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  project TEXT NOT NULL,
  partner INTEGER NOT NULL,
  report INTEGER NOT NULL,
  status TEXT NOT NULL
    CHECK (status IN ('submitted', 'certified', 'approved', 'partly paid', 'paid')),
  declared_cents INTEGER NOT NULL,
  deducted_cents INTEGER NOT NULL,
  parked_cents INTEGER NOT NULL,
  eligible_cents INTEGER NOT NULL,
  erdf_cents INTEGER NOT NULL,
  state_cents INTEGER NOT NULL,
  own_cents INTEGER NOT NULL,
  erdf_due_cents INTEGER NOT NULL,
  state_due_cents INTEGER NOT NULL,
  erdf_paid_cents INTEGER NOT NULL,
  state_paid_cents INTEGER NOT NULL,
  PRIMARY KEY (run_id, project, partner, report),
  FOREIGN KEY (project, partner, report) REFERENCES reports(project, partner, report),
  -- The three shares reconcile to the cent (domain §6, §7): own is the remainder.
  CHECK (erdf_cents + state_cents + own_cents = eligible_cents),
  CHECK (declared_cents = eligible_cents + deducted_cents + parked_cents),
  -- Nothing is due before approval (no advances).
  CHECK (status NOT IN ('submitted', 'certified') OR (erdf_due_cents = 0 AND state_due_cents = 0))
) STRICT;
CREATE TABLE findings (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
  severity TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
  rule_id TEXT NOT NULL,
  file TEXT NOT NULL,
  line INTEGER NOT NULL,
  column INTEGER NOT NULL,
  field TEXT NOT NULL,
  message TEXT NOT NULL,
  amount_cents INTEGER
) STRICT;
CREATE INDEX findings_fingerprint ON findings(fingerprint);
CREATE TABLE config_inputs (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  kind TEXT NOT NULL,
  file TEXT NOT NULL,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  PRIMARY KEY (run_id, kind, file)
) STRICT;
CREATE TABLE pending_moves (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  source TEXT NOT NULL,
  destination TEXT NOT NULL,
  copy INTEGER NOT NULL CHECK (copy IN (0, 1)),
  note_path TEXT NOT NULL,
  note TEXT NOT NULL,
  done_by INTEGER REFERENCES runs(id)
) STRICT;
CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY CHECK (seq >= 1),
  run_id INTEGER NOT NULL REFERENCES runs(id),
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  hash TEXT NOT NULL CHECK (length(hash) = 64)
) STRICT;

-- Append-only: the audit trail, and the evidence it describes (nothing is purged).
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END;
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
  BEGIN SELECT RAISE(ABORT, 'documents are never purged'); END;
CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
  BEGIN SELECT RAISE(ABORT, 'documents are immutable'); END;
CREATE TRIGGER reports_no_change BEFORE UPDATE ON reports
  BEGIN SELECT RAISE(ABORT, 'reports are immutable'); END;
CREATE TRIGGER reports_no_delete BEFORE DELETE ON reports
  BEGIN SELECT RAISE(ABORT, 'reports are never purged'); END;
CREATE TRIGGER lines_no_update BEFORE UPDATE ON lines
  BEGIN SELECT RAISE(ABORT, 'lines and their frozen rates are immutable'); END;
CREATE TRIGGER lines_no_delete BEFORE DELETE ON lines
  BEGIN SELECT RAISE(ABORT, 'lines are never purged'); END;
CREATE TRIGGER report_amounts_no_update BEFORE UPDATE ON report_amounts
  BEGIN SELECT RAISE(ABORT, 'computed amounts are recorded once per run'); END;
CREATE TRIGGER report_amounts_no_delete BEFORE DELETE ON report_amounts
  BEGIN SELECT RAISE(ABORT, 'computed amounts are never purged'); END;
CREATE TRIGGER runs_no_delete BEFORE DELETE ON runs
  BEGIN SELECT RAISE(ABORT, 'runs are never purged'); END;
)sql";

// Version 3: the same findings table, its severity CHECK written as equalities. SQLite codes an
// IN list of three or more constants as a temporary b-tree built afresh on every INSERT: about
// 31,000 instructions, 58 % of recording a finding, and every finding of the portfolio is
// recorded every night. The constraint accepts and refuses exactly the same values. Rows keep
// their rowids; no trigger, view or foreign key refers to the table.
inline constexpr const char* kV3 = R"sql(
CREATE TABLE findings_v3 (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
  severity TEXT NOT NULL CHECK (severity = 'error' OR severity = 'warning' OR severity = 'info'),
  rule_id TEXT NOT NULL,
  file TEXT NOT NULL,
  line INTEGER NOT NULL,
  column INTEGER NOT NULL,
  field TEXT NOT NULL,
  message TEXT NOT NULL,
  amount_cents INTEGER
) STRICT;
INSERT INTO findings_v3(rowid, run_id, fingerprint, severity, rule_id, file, line, column, field,
                        message, amount_cents)
  SELECT rowid, run_id, fingerprint, severity, rule_id, file, line, column, field, message,
         amount_cents FROM findings ORDER BY rowid;
DROP TABLE findings;
ALTER TABLE findings_v3 RENAME TO findings;
CREATE INDEX findings_fingerprint ON findings(fingerprint);
)sql";

// Version 4: each distinct finding once. Until version 3 every run inserted a row for every
// finding of the portfolio (recomputed every night: 320,000 rows a night at 1M lines, 100M a
// year), although only a first sighting means anything to the trail (one `finding` audit event).
// Now a finding's row is written once, by the run that first saw it (run_id); what each run had
// is attested in `runs`: finding_set_size distinct fingerprints and finding_set_sha256, SHA-256
// over them sorted, 32 raw bytes each (ledger/fingerprint_set.h); both NULL for a run that did
// not finish. Migrating computes both for the finished runs from their rows (kV4Runs, then in
// C++: SQLite has no SHA-256), then keeps each fingerprint's first row (lowest rowid: its run is
// the first sighting, its amount the one the `finding` event carries) with its rowid, drops the
// repeats, and makes the table append-only like the other evidence.
inline constexpr const char* kV4Runs = R"sql(
ALTER TABLE runs ADD COLUMN finding_set_size INTEGER CHECK (finding_set_size >= 0);
ALTER TABLE runs ADD COLUMN finding_set_sha256 TEXT
  CHECK (finding_set_sha256 IS NULL OR length(finding_set_sha256) = 64);
)sql";

inline constexpr const char* kV4Findings = R"sql(
CREATE TABLE findings_v4 (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
  severity TEXT NOT NULL CHECK (severity = 'error' OR severity = 'warning' OR severity = 'info'),
  rule_id TEXT NOT NULL,
  file TEXT NOT NULL,
  line INTEGER NOT NULL,
  column INTEGER NOT NULL,
  field TEXT NOT NULL,
  message TEXT NOT NULL,
  amount_cents INTEGER
) STRICT;
INSERT INTO findings_v4(rowid, run_id, fingerprint, severity, rule_id, file, line, column, field,
                        message, amount_cents)
  SELECT rowid, run_id, fingerprint, severity, rule_id, file, line, column, field, message,
         amount_cents FROM findings
  WHERE rowid IN (SELECT min(rowid) FROM findings GROUP BY fingerprint) ORDER BY rowid;
DROP TABLE findings;
ALTER TABLE findings_v4 RENAME TO findings;
CREATE UNIQUE INDEX findings_fingerprint ON findings(fingerprint);
CREATE TRIGGER findings_no_update BEFORE UPDATE ON findings
  BEGIN SELECT RAISE(ABORT, 'findings are recorded once, at first sighting'); END;
CREATE TRIGGER findings_no_delete BEFORE DELETE ON findings
  BEGIN SELECT RAISE(ABORT, 'findings are never purged'); END;
)sql";

}  // namespace cofin::schema
