// Findings in the ledger (schema 4): each distinct finding is written once, by the run that
// first saw it; what every run had is attested by a count and a digest in `runs`. Real SQLite
// files, reopened as the nights of a job would.
#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "audit/canonical_json.h"
#include "audit/sha256.h"
#include "ledger/finding_fingerprint.h"
#include "ledger/fingerprint_set.h"
#include "ledger/ledger.h"
#include "ledger/run_fingerprints.h"
#include "ledger/schema.h"
#include "support/process.h"
#include "support/sqlite_query.h"

using namespace cofin;
using cofin::testing::fresh_dir;
using cofin::testing::query_integer;
namespace fs = std::filesystem;

namespace {

int raw_exec(const fs::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return rc;
}

Diagnostic finding(int line, const std::string& message) {
  Diagnostic d;
  d.severity = Severity::kError;
  d.rule_id = "ELIG-PERIOD";
  d.file = "cb-p1-r1.csv";
  d.line = line;
  d.column = 4;
  d.field = "invoice_date";
  d.message = message;
  d.amount = Money::from_cents(1000 * static_cast<std::int64_t>(line));
  return d;
}

// The old way of writing the identity, through JsonObject: what every ledger since schema 2
// holds in findings.fingerprint.
std::string identity_by_json_object(const Diagnostic& d) {
  JsonObject identity;
  identity.set("severity", severity_name(d.severity))
      .set("rule", d.rule_id)
      .set("file", d.file)
      .set("line", d.line)
      .set("column", d.column)
      .set("field", d.field)
      .set("message", d.message);
  return identity.str();
}

// One night: a run that records `findings` (in one transaction, as the amounts commit does),
// appends one event per first sighting and finishes. Returns the run id and the first sightings.
std::pair<std::int64_t, int> night(Ledger& ledger, const std::vector<Diagnostic>& findings) {
  const std::int64_t run = ledger.begin_run("2024-12-31", "");
  int first = 0;
  ledger.transaction([&] {
    for (const Diagnostic& d : findings) {
      if (ledger.record_finding(run, d)) {
        ++first;
        ledger.append_audit(run, "finding", "{\"event\":\"finding\"}");
      }
    }
  });
  RunRecord record;
  record.as_of = "2024-12-31";
  record.findings = static_cast<int>(findings.size());
  ledger.finish_run(run, record);
  return {run, first};
}

std::string set_sha256(std::vector<Digest> fingerprints) {
  return to_hex(fingerprint_set_digest(fingerprints));
}

}  // namespace

TEST_CASE("a finding's identity is the JsonObject serialisation, byte for byte",
          "[ledger][findings]") {
  std::vector<Diagnostic> cases;
  cases.push_back(finding(7, "invoice date '2020-01-01' is before the programme window"));
  Diagnostic awkward = finding(0, "quote \" backslash \\ tab \t newline \n bell \x07 del \x7f");
  awkward.field = "";
  awkward.file = "Zīle/ātrums ģērbs.csv";  // UTF-8 as given
  awkward.column = -3;
  awkward.severity = Severity::kInfo;
  awkward.amount.reset();
  cases.push_back(awkward);
  Diagnostic big = finding(2147483647, std::string(300, 'x'));
  big.column = -2147483647 - 1;
  big.severity = Severity::kWarning;
  big.rule_id = "";
  cases.push_back(big);
  for (const Diagnostic& d : cases) {
    CHECK(finding_identity(d) == identity_by_json_object(d));
    CHECK(to_hex(finding_fingerprint(d)) == sha256_hex(identity_by_json_object(d)));
  }
  // The amount is not part of the identity.
  Diagnostic other_amount = cases[0];
  other_amount.amount = Money::from_cents(1);
  CHECK(finding_fingerprint(other_amount) == finding_fingerprint(cases[0]));
}

TEST_CASE("a set's digest is over its distinct fingerprints in byte order", "[ledger][findings]") {
  std::vector<Digest> none;
  CHECK(to_hex(fingerprint_set_digest(none)) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");  // SHA-256 of ""
  const Digest a = sha256("a");
  const Digest b = sha256("b");
  const Digest low = a < b ? a : b;
  const Digest high = a < b ? b : a;
  const std::string expected =
      sha256_hex(std::string(low.begin(), low.end()) + std::string(high.begin(), high.end()));
  CHECK(set_sha256({high, low}) == expected);
  CHECK(set_sha256({low, high, low, high, high}) == expected);  // repeats count once
  CHECK(set_sha256({low}) != expected);
}

TEST_CASE("three nights over the same findings leave each finding once", "[ledger][findings]") {
  const fs::path file = fresh_dir("nights") / "l.sqlite";
  const std::vector<Diagnostic> portfolio{finding(2, "a"), finding(3, "b"), finding(2, "a"),
                                          finding(4, "c")};
  std::vector<std::int64_t> runs;
  for (int n = 1; n <= 2; ++n) {
    auto ledger = Ledger::open(file);  // every night its own connection, as `cofin run`
    const auto [run, first] = night(*ledger, portfolio);
    runs.push_back(run);
    CHECK(first == (n == 1 ? 3 : 0));  // the repeat within night 1 counts once
  }
  // Night 3: the same portfolio and one new finding.
  std::vector<Diagnostic> with_new = portfolio;
  with_new.push_back(finding(9, "new on night 3"));
  {
    auto ledger = Ledger::open(file);
    const auto [run, first] = night(*ledger, with_new);
    runs.push_back(run);
    CHECK(first == 1);
  }
  CHECK(query_integer(file, "SELECT count(*) FROM findings") == 4);
  CHECK(query_integer(file, "SELECT count(*) FROM audit_events WHERE kind = 'finding'") == 4);
  // Each row names the run that first saw it.
  CHECK(query_integer(
            file, "SELECT count(*) FROM findings WHERE run_id = " + std::to_string(runs[0])) == 3);
  CHECK(query_integer(file, "SELECT run_id FROM findings WHERE message = 'new on night 3'") ==
        runs[2]);
  CHECK(query_integer(file, "SELECT amount_cents FROM findings WHERE message = 'new on night 3'") ==
        9000);

  // What each night had: 3, 3, 4 distinct findings, the first two the same set.
  auto ledger = Ledger::open_read_only(file);
  std::vector<Digest> fingerprints;
  for (const Diagnostic& d : portfolio) fingerprints.push_back(finding_fingerprint(d));
  const std::string three = set_sha256(fingerprints);
  fingerprints.push_back(finding_fingerprint(with_new.back()));
  const std::string four = set_sha256(fingerprints);
  REQUIRE(ledger->run_finding_set(runs[0]));
  CHECK(ledger->run_finding_set(runs[0])->size == 3);
  CHECK(ledger->run_finding_set(runs[0])->sha256 == three);
  CHECK(ledger->run_finding_set(runs[1])->size == 3);
  CHECK(ledger->run_finding_set(runs[1])->sha256 == three);
  CHECK(ledger->run_finding_set(runs[2])->size == 4);
  CHECK(ledger->run_finding_set(runs[2])->sha256 == four);
}

TEST_CASE("a run that did not finish has no finding set, one without findings the empty set",
          "[ledger][findings]") {
  const fs::path file = fresh_dir("unfinished") / "l.sqlite";
  auto ledger = Ledger::open(file);
  const auto crashed = ledger->begin_run("2024-12-31", "");
  ledger->transaction([&] { CHECK(ledger->record_finding(crashed, finding(2, "a"))); });
  CHECK_FALSE(ledger->run_finding_set(crashed));
  const auto quiet = ledger->begin_run("2024-12-31", "");
  ledger->finish_run(quiet, RunRecord{});
  REQUIRE(ledger->run_finding_set(quiet));
  CHECK(ledger->run_finding_set(quiet)->size == 0);
  CHECK(ledger->run_finding_set(quiet)->sha256 == set_sha256({}));
}

TEST_CASE("a rolled-back finding is new again and out of the run's set", "[ledger][findings]") {
  const fs::path file = fresh_dir("rollback") / "l.sqlite";
  auto ledger = Ledger::open(file);
  const auto run = ledger->begin_run("2024-12-31", "");
  ledger->transaction([&] { CHECK(ledger->record_finding(run, finding(2, "kept"))); });
  CHECK_THROWS_AS(ledger->transaction([&] {
    CHECK(ledger->record_finding(run, finding(3, "rolled back")));
    CHECK_FALSE(ledger->record_finding(run, finding(2, "kept")));
    throw std::runtime_error("disk full");
  }),
                  std::runtime_error);
  CHECK(query_integer(file, "SELECT count(*) FROM findings") == 1);
  ledger->finish_run(run, RunRecord{});
  CHECK(ledger->run_finding_set(run)->size == 1);  // only the committed one
  CHECK(ledger->run_finding_set(run)->sha256 ==
        set_sha256({finding_fingerprint(finding(2, "kept"))}));
  const auto next = ledger->begin_run("2024-12-31", "");
  ledger->transaction([&] { CHECK(ledger->record_finding(next, finding(3, "rolled back"))); });
  CHECK(query_integer(file, "SELECT count(*) FROM findings") == 2);
}

TEST_CASE("a finding another connection recorded meanwhile is not new", "[ledger][findings]") {
  const fs::path file = fresh_dir("two-connections") / "l.sqlite";
  auto first = Ledger::open(file);
  const auto run = first->begin_run("2024-12-31", "");
  first->transaction([&] { CHECK(first->record_finding(run, finding(2, "a"))); });  // reads all
  {
    auto second = Ledger::open(file);
    second->transaction([&] { CHECK(second->record_finding(run, finding(3, "b"))); });
  }
  first->transaction([&] { CHECK_FALSE(first->record_finding(run, finding(3, "b"))); });
  CHECK(query_integer(file, "SELECT count(*) FROM findings") == 2);
}

TEST_CASE("findings are append-only", "[ledger][findings]") {
  const fs::path file = fresh_dir("append-only") / "l.sqlite";
  {
    auto ledger = Ledger::open(file);
    const auto run = ledger->begin_run("2024-12-31", "");
    ledger->transaction([&] { ledger->record_finding(run, finding(2, "a")); });
  }
  CHECK(raw_exec(file, "DELETE FROM findings") == SQLITE_CONSTRAINT);
  CHECK(raw_exec(file, "UPDATE findings SET message = 'b'") == SQLITE_CONSTRAINT);
  // And a second row with the same fingerprint is refused by the table itself.
  CHECK(raw_exec(file,
                 "INSERT INTO findings(run_id, fingerprint, severity, rule_id, file, line, "
                 "column, field, message) SELECT run_id, fingerprint, severity, rule_id, file, "
                 "line, column, field, message FROM findings") == SQLITE_CONSTRAINT);
}

TEST_CASE("a version 3 ledger migrates to 4: each finding once, each finished run's set kept",
          "[ledger][findings][migration]") {
  const fs::path file = fresh_dir("migrate-v3") / "l.sqlite";
  const Diagnostic a = finding(2, "a");
  const Diagnostic b = finding(3, "b");
  const Diagnostic c = finding(4, "c");
  const auto row = [](int rowid, int run, const Diagnostic& d, int cents) {
    return "(" + std::to_string(rowid) + ", " + std::to_string(run) + ", '" +
           to_hex(finding_fingerprint(d)) + "', 'error', 'ELIG-PERIOD', 'cb-p1-r1.csv', " +
           std::to_string(d.line) + ", 4, 'invoice_date', '" + d.message + "', " +
           std::to_string(cents) + ")";
  };
  // Runs 1 and 2 finished with {a, b} and {a, b, c}; run 3 crashed after recording a; run 4
  // finished with nothing new to compute.
  REQUIRE(raw_exec(file, std::string(schema::kV1) + schema::kV2 + schema::kV3 +
                             "PRAGMA user_version = 3;"
                             "INSERT INTO runs(as_of, finished) VALUES ('2024-01-01', 1), "
                             "('2024-01-02', 1), ('2024-01-03', 0), ('2024-01-04', 1);"
                             "INSERT INTO findings(rowid, run_id, fingerprint, severity, "
                             "rule_id, file, line, column, field, message, amount_cents) "
                             "VALUES " +
                             row(1, 1, a, 100) + ", " + row(2, 1, b, 200) + ", " +
                             row(3, 2, a, 111) + ", " + row(4, 2, b, 200) + ", " +
                             row(5, 2, c, 300) + ", " + row(6, 3, a, 100) + ";") == SQLITE_OK);
  // Reading does not migrate, and a ledger older than 4 has no finding sets to show.
  CHECK_FALSE(Ledger::open_read_only(file)->run_finding_set(1));
  CHECK(query_integer(file, "PRAGMA user_version") == 3);

  auto ledger = Ledger::open(file);
  CHECK(query_integer(file, "PRAGMA user_version") == 4);
  CHECK(query_integer(file, "SELECT count(*) FROM findings") == 3);
  // The first sighting's row, rowid, run and amount.
  CHECK(query_integer(file, "SELECT sum(rowid) FROM findings") == 1 + 2 + 5);
  CHECK(query_integer(file, "SELECT run_id FROM findings WHERE message = 'a'") == 1);
  CHECK(query_integer(file, "SELECT amount_cents FROM findings WHERE message = 'a'") == 100);
  CHECK(query_integer(file, "SELECT run_id FROM findings WHERE message = 'c'") == 2);

  const std::string ab = set_sha256({finding_fingerprint(a), finding_fingerprint(b)});
  const std::string abc =
      set_sha256({finding_fingerprint(a), finding_fingerprint(b), finding_fingerprint(c)});
  REQUIRE(ledger->run_finding_set(1));
  CHECK(ledger->run_finding_set(1)->size == 2);
  CHECK(ledger->run_finding_set(1)->sha256 == ab);
  CHECK(ledger->run_finding_set(2)->size == 3);
  CHECK(ledger->run_finding_set(2)->sha256 == abc);
  CHECK_FALSE(ledger->run_finding_set(3));  // did not finish
  CHECK(ledger->run_finding_set(4)->size == 0);
  CHECK(ledger->run_finding_set(4)->sha256 == set_sha256({}));

  // The migrated ledger continues: its findings are known, a new one is new.
  const auto [run, first] = night(*ledger, {a, b, c, finding(5, "d")});
  CHECK(first == 1);
  CHECK(ledger->run_finding_set(run)->size == 4);
  CHECK(query_integer(file, "SELECT count(*) FROM findings") == 4);
}

TEST_CASE("a run's fingerprints digest as the set of all it noted, and roll back",
          "[ledger][findings]") {
  RunFingerprints run(fresh_dir("run-fingerprints"));
  CHECK(run.digest().first == 0);
  CHECK(to_hex(run.digest().second) == set_sha256({}));
  run.add(sha256("4"));
  run.add(sha256("2"));
  run.add(sha256("4"));  // a repeat
  run.add(sha256("x"));
  run.add(sha256("y"));
  run.add(sha256("x"));  // a repeat
  const RunFingerprints::Mark mark = run.mark();
  run.add(sha256("1"));
  run.add(sha256("z"));
  const std::vector<Digest> before{sha256("4"), sha256("2"), sha256("x"), sha256("y")};
  std::vector<Digest> after = before;
  after.push_back(sha256("1"));
  after.push_back(sha256("z"));
  CHECK(run.digest().first == 6);
  CHECK(to_hex(run.digest().second) == set_sha256(after));
  run.roll_back_to(mark);
  CHECK(run.digest().first == 4);
  CHECK(to_hex(run.digest().second) == set_sha256(before));
  run.add(sha256("1"));  // noted again after the roll back
  CHECK(run.digest().first == 5);
  CHECK(run.chunk_count() == 0);  // a small run writes no file
}

TEST_CASE("a rolled-back night forgets the known findings it noted", "[ledger][findings]") {
  const fs::path file = fresh_dir("rollback-known") / "l.sqlite";
  { night(*Ledger::open(file), {finding(2, "a"), finding(3, "b")}); }
  auto ledger = Ledger::open(file);
  const auto run = ledger->begin_run("2024-12-31", "");
  ledger->transaction([&] { CHECK_FALSE(ledger->record_finding(run, finding(2, "a"))); });
  CHECK_THROWS_AS(ledger->transaction([&] {
    CHECK_FALSE(ledger->record_finding(run, finding(3, "b")));
    throw std::runtime_error("disk full");
  }),
                  std::runtime_error);
  ledger->finish_run(run, RunRecord{});
  CHECK(ledger->run_finding_set(run)->size == 1);
  CHECK(ledger->run_finding_set(run)->sha256 == set_sha256({finding_fingerprint(finding(2, "a"))}));
}
