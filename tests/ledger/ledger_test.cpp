// The SQLite ledger: real files, reopened; constraints and triggers exercised directly.
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "audit/chain.h"
#include "ledger/ledger.h"
#include "ledger/schema.h"
#include "support/process.h"
#include "support/sqlite_query.h"

using namespace cofin;
using cofin::testing::fresh_dir;
using cofin::testing::query_integer;
namespace fs = std::filesystem;

namespace {

DocumentRecord doc(char fill, const std::string& key, std::int64_t run) {
  DocumentRecord d;
  d.sha256 = std::string(64, fill);
  d.kind = "report";
  d.business_key = key;
  d.original_name = "r.csv";
  d.stored_path = "archive/r";
  d.size = 10;
  d.status = "accepted";
  d.run_id = run;
  d.received_path = "inbox/r.csv";
  d.received_at = "2024-07-31T02:30:00Z";
  return d;
}

// Returns SQLite's result code of `sql` run on the ledger file directly, as a tamperer would.
int raw_exec(const fs::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return rc;
}

PartnerReport report_with_lines(int lines) {
  PartnerReport r;
  r.project = "P";
  r.partner = 1;
  r.report = 1;
  r.period_start = *Date::from_ymd(2024, 1, 1);
  r.period_end = *Date::from_ymd(2024, 6, 30);
  r.submitted_on = *Date::from_ymd(2024, 7, 10);
  for (int i = 1; i <= lines; ++i) {
    ExpenseLine l;
    l.line = i;
    l.declared = Money::from_cents(10000);
    l.currency = "SEK";
    r.lines.push_back(l);
  }
  return r;
}

}  // namespace

TEST_CASE("ledger keeps documents across reopen", "[ledger]") {
  const fs::path dir = fresh_dir("reopen");
  const std::string hash(64, 'a');
  {
    auto ledger = Ledger::open(dir / "l.sqlite");
    const auto run = ledger->begin_run("2024-07-31", "2024-07-31T02:30:00Z");
    ledger->record_document(doc('a', "report/P/1/1", run));
    ledger->finish_run(run, {"2024-07-31", 1, 0, 0, 0, "", "", 0, ""});
  }
  auto ledger = Ledger::open(dir / "l.sqlite");
  auto found = ledger->find_by_hash(hash);
  REQUIRE(found);
  CHECK(found->business_key == "report/P/1/1");
  CHECK(found->received_at == "2024-07-31T02:30:00Z");
  CHECK(ledger->find_accepted_by_key("report", "report/P/1/1"));
  CHECK_FALSE(ledger->find_accepted_by_key("report", "report/P/1/2"));
  CHECK(ledger->accepted_documents().size() == 1);
  CHECK(ledger->received_before(hash, "inbox/r.csv"));
  CHECK_FALSE(ledger->received_before(hash, "inbox/other.csv"));
}

TEST_CASE("ledger refuses a second accepted document with the same key", "[ledger]") {
  const fs::path dir = fresh_dir("key");
  auto ledger = Ledger::open(dir / "l.sqlite");
  const auto run = ledger->begin_run("2024-07-31", "");
  ledger->record_document(doc('a', "k", run));
  CHECK_THROWS_AS(ledger->record_document(doc('b', "k", run)), LedgerError);
  CHECK_THROWS_AS(ledger->record_document(doc('a', "other", run)), LedgerError);  // same hash
}

TEST_CASE("ledger refuses a schema newer than the binary", "[ledger]") {
  const fs::path dir = fresh_dir("newer");
  { Ledger::open(dir / "l.sqlite"); }
  REQUIRE(raw_exec(dir / "l.sqlite", "PRAGMA user_version = 99") == SQLITE_OK);
  CHECK_THROWS_AS(Ledger::open(dir / "l.sqlite"), LedgerTooNew);
  CHECK_THROWS_AS(Ledger::open_read_only(dir / "l.sqlite"), LedgerTooNew);
}

TEST_CASE("ledger migrates a version 1 ledger and keeps its documents", "[ledger]") {
  const fs::path dir = fresh_dir("migrate");
  const fs::path file = dir / "l.sqlite";
  REQUIRE(raw_exec(file, std::string(schema::kV1) +
                             "PRAGMA user_version = 1;"
                             "INSERT INTO runs(as_of) VALUES ('2024-01-01');"
                             "INSERT INTO documents(sha256, kind, business_key, original_name, "
                             "stored_path, size, status, reason, run_id) VALUES ('" +
                             std::string(64, 'c') +
                             "', 'report', 'report/P/1/1', 'old.xml', 'archive/c', 5, "
                             "'accepted', '', 1);") == SQLITE_OK);
  CHECK_THROWS_AS(Ledger::open_read_only(file), LedgerError);  // verify never migrates
  auto ledger = Ledger::open(file);
  auto found = ledger->find_by_hash(std::string(64, 'c'));
  REQUIRE(found);
  CHECK(found->original_name == "old.xml");
  CHECK(found->received_path.empty());
  const auto run = ledger->begin_run("2024-07-31", "");
  ledger->transaction([&] { ledger->append_audit(run, "test", "{\"event\":\"test\"}"); });
  CHECK(ledger->audit_head()->seq == 1);
}

TEST_CASE("audit events are chained and append-only", "[ledger][audit]") {
  const fs::path dir = fresh_dir("audit");
  auto ledger = Ledger::open(dir / "l.sqlite");
  const auto run = ledger->begin_run("2024-07-31", "");
  AuditEvent first;
  AuditEvent second;
  ledger->transaction([&] {
    ledger->record_document(doc('a', "report/P/1/1", run));
    first = ledger->append_audit(run, "a", "{\"event\":\"a\"}");
    second = ledger->append_audit(run, "b", "{\"event\":\"b\"}");
  });
  CHECK(first.seq == 1);
  CHECK(second.seq == 2);
  CHECK(first.hash == to_hex(audit_chain_next(audit_genesis(), 1, "{\"event\":\"a\"}")));
  CHECK(second.hash ==
        to_hex(audit_chain_next(*digest_from_hex(first.hash), 2, "{\"event\":\"b\"}")));
  // An event appended in a transaction that fails is gone with it.
  CHECK_THROWS(ledger->transaction([&] {
    ledger->append_audit(run, "c", "{\"event\":\"c\"}");
    throw std::runtime_error("the change it records failed");
  }));
  CHECK(ledger->audit_head()->seq == 2);
  // The head names the event (an amounts payload is megabytes): chaining needs only its hash.
  CHECK(ledger->audit_head()->hash == second.hash);
  CHECK(ledger->audit_head()->payload.empty());
  ledger.reset();
  CHECK(raw_exec(dir / "l.sqlite", "UPDATE audit_events SET payload = 'x' WHERE seq = 1") ==
        SQLITE_CONSTRAINT);
  CHECK(raw_exec(dir / "l.sqlite", "DELETE FROM audit_events WHERE seq = 2") == SQLITE_CONSTRAINT);
  CHECK(raw_exec(dir / "l.sqlite", "DELETE FROM documents") == SQLITE_CONSTRAINT);
}

TEST_CASE("computed amounts must reconcile to the cent", "[ledger]") {
  const fs::path dir = fresh_dir("amounts");
  auto ledger = Ledger::open(dir / "l.sqlite");
  const auto run = ledger->begin_run("2024-07-31", "");
  std::int64_t seq = 0;
  ledger->transaction([&] {
    seq = ledger->record_document(doc('a', "report/P/1/1", run));
    std::vector<FrozenLine> frozen(1);
    frozen[0].rate = ExchangeRate{"SEK", 2024, 7, *parse_decimal("11.4475", 6), {}};
    frozen[0].eur = Money::from_cents(874);
    ledger->record_report(seq, report_with_lines(1), frozen);
  });
  ReportOutcome r;
  r.project = "P";
  r.partner = 1;
  r.report = 1;
  r.status = "approved";
  r.declared = r.eligible = Money::from_cents(123457);
  r.erdf = Money::from_cents(98765);  // FLOOR(1,234.57 × 80 %)
  r.own = Money::from_cents(24692);
  CHECK_NOTHROW(ledger->transaction([&] { ledger->record_amounts(run, {r}); }));
  r.own = Money::from_cents(24691);  // a cent lost: ERDF + state + own != eligible
  const auto run2 = ledger->begin_run("2024-08-01", "");
  CHECK_THROWS_AS(ledger->transaction([&] { ledger->record_amounts(run2, {r}); }), LedgerError);
  r.own = Money::from_cents(24692);
  r.status = "certified";
  r.erdf_due = r.erdf;  // due before approval: refused
  CHECK_THROWS_AS(ledger->transaction([&] { ledger->record_amounts(run2, {r}); }), LedgerError);

  const auto rates = ledger->frozen_rates();
  REQUIRE(rates.size() == 1);
  CHECK(rates[0].rate.currency == "SEK");
  CHECK(rates[0].rate.month == 7u);
  CHECK(rates[0].rate.units_per_eur.to_string() == "11.447500");
  // Frozen rates never change.
  ledger.reset();
  CHECK(raw_exec(dir / "l.sqlite", "UPDATE lines SET rate_units_per_eur = '10.000000'") ==
        SQLITE_CONSTRAINT);
}

TEST_CASE("pending moves stay until a run marks them done", "[ledger]") {
  const fs::path dir = fresh_dir("moves");
  auto ledger = Ledger::open(dir / "l.sqlite");
  const auto run = ledger->begin_run("2024-07-31", "");
  ledger->transaction([&] {
    ledger->add_pending_move(run, {0, std::string(64, 'a'), "in/a", "archive/a", false, "", ""});
  });
  REQUIRE(ledger->pending_moves().size() == 1);
  CHECK(ledger->interrupted_runs(99) == std::vector<std::int64_t>{run});
  const auto next = ledger->begin_run("2024-08-01", "");
  ledger->transaction([&] {
    ledger->mark_moves_done(next);
    ledger->mark_recovered({run}, next);
  });
  CHECK(ledger->pending_moves().empty());
  CHECK(ledger->interrupted_runs(next).empty());
  CHECK(ledger->integrity_check() == "ok");
}

TEST_CASE("a rolled-back transaction leaves no stale audit head", "[ledger][audit]") {
  const fs::path dir = fresh_dir("head-rollback");
  auto ledger = Ledger::open(dir / "l.sqlite");
  const auto run = ledger->begin_run("2024-07-31", "");
  AuditEvent first;
  ledger->transaction([&] { first = ledger->append_audit(run, "a", "{\"event\":\"a\"}"); });
  CHECK_THROWS(ledger->transaction([&] {
    const AuditEvent lost = ledger->append_audit(run, "b", "{\"event\":\"b\"}");
    CHECK(lost.seq == 2);
    CHECK(ledger->audit_head()->hash == lost.hash);  // inside: the uncommitted head
    throw std::runtime_error("the change it records failed");
  }));
  REQUIRE(ledger->audit_head());
  CHECK(ledger->audit_head()->seq == 1);
  CHECK(ledger->audit_head()->hash == first.hash);
  AuditEvent next;
  ledger->transaction([&] { next = ledger->append_audit(run, "c", "{\"event\":\"c\"}"); });
  CHECK(next.seq == 2);  // takes the rolled-back event's place, chained on the committed head
  CHECK(next.hash ==
        to_hex(audit_chain_next(*digest_from_hex(first.hash), 2, "{\"event\":\"c\"}")));
  // Appends outside a transaction commit one by one and chain the same way.
  const AuditEvent alone = ledger->append_audit(run, "d", "{\"event\":\"d\"}");
  CHECK(alone.seq == 3);
  CHECK(alone.hash ==
        to_hex(audit_chain_next(*digest_from_hex(next.hash), 3, "{\"event\":\"d\"}")));
  std::vector<std::string> kinds;
  ledger->for_each_audit_event([&](const AuditEvent& e) {
    kinds.push_back(e.kind);
    return true;
  });
  CHECK(kinds == std::vector<std::string>{"a", "c", "d"});
}

TEST_CASE("appends chain onto a head another connection committed", "[ledger][audit]") {
  const fs::path dir = fresh_dir("head-two-connections");
  auto one = Ledger::open(dir / "l.sqlite");
  auto two = Ledger::open(dir / "l.sqlite");
  const auto run = one->begin_run("2024-07-31", "");
  AuditEvent e1;
  AuditEvent e2;
  AuditEvent e3;
  one->transaction([&] { e1 = one->append_audit(run, "a", "{\"n\":1}"); });
  two->transaction([&] { e2 = two->append_audit(run, "b", "{\"n\":2}"); });
  one->transaction([&] { e3 = one->append_audit(run, "c", "{\"n\":3}"); });
  CHECK(e2.seq == 2);
  CHECK(e3.seq == 3);
  CHECK(e3.hash == to_hex(audit_chain_next(*digest_from_hex(e2.hash), 3, "{\"n\":3}")));
  CHECK(one->audit_head()->hash == e3.hash);
  CHECK(two->audit_head()->hash == e3.hash);
}

TEST_CASE("statements reused across calls bind each call's values", "[ledger][cache]") {
  const fs::path dir = fresh_dir("reuse");
  auto ledger = Ledger::open(dir / "l.sqlite");
  const auto run = ledger->begin_run("2024-07-31", "");
  ledger->transaction([&] {
    ledger->record_document(doc('a', "report/P/1/1", run));
    ledger->record_document(doc('b', "report/P/1/2", run));
  });
  // find_by_hash stops on its row; the next call must not see the previous binding or row.
  CHECK(ledger->find_by_hash(std::string(64, 'a'))->business_key == "report/P/1/1");
  CHECK(ledger->find_by_hash(std::string(64, 'b'))->business_key == "report/P/1/2");
  CHECK_FALSE(ledger->find_by_hash(std::string(64, 'c')));
  CHECK(ledger->find_by_hash(std::string(64, 'a'))->business_key == "report/P/1/1");
  Diagnostic d;
  d.severity = Severity::kWarning;
  d.rule_id = "X-1";
  d.file = "r.csv";
  d.line = 2;
  d.message = "m";
  d.amount = Money::from_cents(5);
  Diagnostic other = d;
  other.line = 3;
  other.amount.reset();
  ledger->transaction([&] {
    CHECK(ledger->record_finding(run, d));
    CHECK(ledger->record_finding(run, other));
    CHECK_FALSE(ledger->record_finding(run, d));  // seen before
  });
  ledger.reset();
  // Every statement was finalized: the last connection closed, so SQLite removed the WAL.
  CHECK_FALSE(fs::exists(dir / "l.sqlite-wal"));
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir / "l.sqlite").c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db,
                             "SELECT line, ifnull(amount_cents, -1), severity FROM findings ORDER "
                             "BY rowid",
                             -1, &s, nullptr) == SQLITE_OK);
  std::vector<std::int64_t> rows;
  while (sqlite3_step(s) == SQLITE_ROW) {
    rows.push_back(sqlite3_column_int64(s, 0));
    rows.push_back(sqlite3_column_int64(s, 1));
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  // The NULL amount stayed NULL; the repeat wrote no row (schema 4: each finding once).
  CHECK(rows == std::vector<std::int64_t>{2, 5, 3, -1});
}

namespace {

// Returns the opcodes SQLite compiles `sql` to on the ledger file.
std::vector<std::string> opcodes(const fs::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, ("EXPLAIN " + sql).c_str(), -1, &s, nullptr) == SQLITE_OK);
  std::vector<std::string> out;
  while (sqlite3_step(s) == SQLITE_ROW) {
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 1)));
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

const std::string kInsertFinding =
    "INSERT INTO findings(run_id, fingerprint, severity, rule_id, file, line, column, field, "
    "message, amount_cents) VALUES (1, '" +
    std::string(64, 'f') + "', ";

}  // namespace

TEST_CASE("a version 2 ledger migrates to 4 keeping its findings and their check",
          "[ledger][migration]") {
  const fs::path dir = fresh_dir("migrate-v2");
  const fs::path file = dir / "l.sqlite";
  REQUIRE(raw_exec(file, std::string(schema::kV1) + schema::kV2 +
                             "PRAGMA user_version = 2;"
                             "INSERT INTO runs(as_of) VALUES ('2024-01-01');"
                             "INSERT INTO findings(rowid, run_id, fingerprint, severity, rule_id, "
                             "file, line, column, field, message, amount_cents) VALUES "
                             "(1, 1, '" +
                             std::string(64, 'a') +
                             "', 'error', 'R-1', 'a.csv', 2, 3, 'f', 'm', 5), "
                             "(7, 1, '" +
                             std::string(64, 'b') +
                             "', 'info', 'R-2', 'b.csv', 4, 0, '', 'n', NULL);") == SQLITE_OK);
  // Reading does not migrate: `audit verify` reads a version 2 ledger as it is.
  CHECK(Ledger::open_read_only(file)->audit_head() == std::nullopt);
  CHECK(query_integer(file, "PRAGMA user_version") == 2);

  { Ledger::open(file); }
  CHECK(query_integer(file, "PRAGMA user_version") == 4);
  CHECK(query_integer(file, "SELECT count(*) FROM findings") == 2);
  CHECK(query_integer(file, "SELECT rowid FROM findings WHERE severity = 'info'") == 7);
  CHECK(query_integer(file, "SELECT amount_cents FROM findings WHERE rowid = 1") == 5);
  CHECK(query_integer(file, "SELECT count(*) FROM findings WHERE amount_cents IS NULL") == 1);
  CHECK(query_integer(file,
                      "SELECT count(*) FROM sqlite_schema WHERE name = "
                      "'findings_fingerprint'") == 1);
  // The same constraint: every severity but the three is refused.
  CHECK(raw_exec(file, kInsertFinding + "'fatal', 'R', 'f', 1, 0, '', 'm', NULL)") ==
        SQLITE_CONSTRAINT);
  CHECK(raw_exec(file, kInsertFinding + "'Error', 'R', 'f', 1, 0, '', 'm', NULL)") ==
        SQLITE_CONSTRAINT);
  CHECK(raw_exec(file, kInsertFinding + "'warning', 'R', 'f', 1, 0, '', 'm', NULL)") == SQLITE_OK);
  // And recording a finding builds no temporary b-tree (what the IN list did on every insert).
  const auto ops = opcodes(file, kInsertFinding + "?, 'R', 'f', 1, 0, '', 'm', NULL)");
  CHECK(std::find(ops.begin(), ops.end(), "OpenEphemeral") == ops.end());
  CHECK(std::find(ops.begin(), ops.end(), "IdxInsert") != ops.end());  // the index is kept

  auto ledger = Ledger::open(file);
  Diagnostic d;
  d.severity = Severity::kInfo;
  d.rule_id = "R-3";
  d.file = "c.csv";
  d.message = "x";
  const auto run = ledger->begin_run("2024-07-31", "");
  ledger->transaction([&] {
    CHECK(ledger->record_finding(run, d));
    CHECK_FALSE(ledger->record_finding(run, d));
  });
}
