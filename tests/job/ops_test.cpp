// Nightly operations end to end (issue #5): reruns, the inbox protocol, frozen rates, progress,
// logs, and `audit verify` against a tampered ledger. The real binary, real SQLite files.
#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <map>

#include "audit/sha256.h"
#include "ledger/schema.h"
#include "support/process.h"

using namespace cofin::testing;
namespace fs = std::filesystem;

namespace {

const fs::path kRepo = COFIN_SOURCE_DIR;

// A scratch directory of this process: engineers run the suite side by side.
fs::path scratch(const std::string& name) {
  return fresh_dir("ops-" + name + "-" + std::to_string(::getpid()));
}

// Writes DIR/job.xml: inbox DIR/inbox in `mode`, everything else under DIR (archive and
// quarantine may be moved elsewhere), rates from `rates`.
fs::path write_job(const fs::path& dir, const std::string& mode = "move",
                   const fs::path& archive = "archive", const fs::path& rates = "",
                   int settle_seconds = 0) {
  const fs::path job = dir / "job.xml";
  std::ofstream(job) << R"(<?xml version="1.0" encoding="UTF-8"?>
<job xmlns="urn:cofin:job:1">
  <name>ops</name>
  <inbox dir="inbox" mode=")"
                     << mode << R"(" settle-seconds=")" << settle_seconds << R"("/>
  <archive dir=")" << archive.string()
                     << R"("/>
  <quarantine dir="quarantine"/>
  <programme file=")" << (kRepo / "jobs/programmes/central-baltic-2021-2027.xml").string()
                     << R"("/>
  <programme file=")" << (kRepo / "jobs/programmes/baltic-sea-region-2014-2020.xml").string()
                     << R"("/>
  <registry file=")" << (kRepo / "fixtures/demo/registry.xml").string()
                     << R"("/>
  <rates file=")" << (rates.empty() ? kRepo / "fixtures/demo/rates-sek-2024.csv" : rates).string()
                     << R"("/>
  <ledger>sqlite:var/ledger.sqlite</ledger>
  <output dir="reports"/>
  <encoding pattern="*-1257.csv" charset="windows-1257"/>
</job>
)";
  fs::create_directories(dir / "inbox");
  return job;
}

void copy_demo_inbox(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(kRepo / "fixtures/demo/inbox")) {
    fs::copy_file(e.path(), dir / "inbox" / e.path().filename());
  }
}

CommandResult run(const fs::path& dir, const std::string& extra = "--quiet",
                  const std::string& as_of = "2025-03-31") {
  return run_shell("cd '" + dir.string() + "' && '" + COFIN_BINARY + "' run job.xml --as-of " +
                       as_of + " " + extra,
                   dir);
}

CommandResult verify(const fs::path& dir) {
  return run_shell("cd '" + dir.string() + "' && '" + COFIN_BINARY + "' audit verify job.xml", dir);
}

// Runs `sql` on the ledger directly, as a tamperer with write access would (triggers dropped
// first where the SQL needs it). Returns the rows of the last statement, '|'-separated.
std::vector<std::string> sql(const fs::path& dir, const std::string& statement) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir / "var/ledger.sqlite").c_str(), &db) == SQLITE_OK);
  std::vector<std::string> rows;
  char* error = nullptr;
  const int rc = sqlite3_exec(
      db, statement.c_str(),
      [](void* out, int n, char** values, char**) {
        std::string row;
        for (int i = 0; i < n; ++i) row += (i ? "|" : "") + std::string(values[i] ? values[i] : "");
        static_cast<std::vector<std::string>*>(out)->push_back(row);
        return 0;
      },
      &rows, &error);
  INFO((error ? error : ""));
  sqlite3_free(error);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
  return rows;
}

std::int64_t number(const fs::path& dir, const std::string& query) {
  return std::stoll(sql(dir, query).at(0));
}

std::map<std::string, std::int64_t> row_counts(const fs::path& dir) {
  std::map<std::string, std::int64_t> counts;
  for (const std::string& table :
       sql(dir, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
    counts[table] = number(dir, "SELECT count(*) FROM \"" + table + "\"");
  }
  return counts;
}

// A finished move-mode job over the demo inbox with one re-send and one rejected file.
fs::path finished_job(const std::string& name) {
  const fs::path dir = scratch(name);
  write_job(dir);
  copy_demo_inbox(dir);
  fs::copy_file(dir / "inbox/lars-r2.csv", dir / "inbox/lars-r2-resent.csv");
  std::ofstream(dir / "inbox/broken.xml") << "<partner-report xmlns=\"urn:cofin:report:1\">";
  const auto r = run(dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 1);
  return dir;
}

const char* kDropTriggers =
    "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;";

}  // namespace

TEST_CASE("a rerun with nothing new adds only a run record and keeps the workbook", "[job][ops]") {
  const fs::path dir = finished_job("rerun-only-run");
  const fs::path workbook = dir / "reports/ops-2025-03-31.xlsx";
  REQUIRE(fs::exists(workbook));
  const std::string bytes = slurp(workbook);
  const auto written = fs::last_write_time(workbook);
  auto before = row_counts(dir);
  const auto r = run(dir, "");
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("nothing new") != std::string::npos);
  auto after = row_counts(dir);
  CHECK(after["runs"] == before["runs"] + 1);
  after.erase("runs");
  before.erase("runs");
  CHECK(after == before);  // no audit event, no amounts, no findings, no document
  CHECK(slurp(workbook) == bytes);
  CHECK(fs::last_write_time(workbook) == written);
  CHECK(fs::exists(dir / "var/logs/run-2.log"));
  CHECK(verify(dir).exit_code == 0);
}

TEST_CASE("the ledger holds every input, its lines, amounts per run and the audit trail",
          "[job][ops]") {
  const fs::path dir = finished_job("ledger-content");
  CHECK(number(dir, "SELECT count(*) FROM documents WHERE status = 'accepted'") == 13);
  CHECK(number(dir, "SELECT count(*) FROM documents WHERE status = 'rejected'") == 1);
  CHECK(number(dir, "SELECT count(*) FROM duplicates") == 1);
  CHECK(number(dir, "SELECT count(*) FROM reports") == 6);
  CHECK(number(dir, "SELECT count(*) FROM controls") == 5);
  // The controller's decisions, read back from the run's spill file by the ledger thread.
  CHECK(sql(dir,
            "SELECT line || ' ' || deducted_cents || ' ' || typology FROM control_decisions "
            "ORDER BY line") == std::vector<std::string>{"1 48000 ineligible-cost",
                                                         "5 60500 outside-period",
                                                         "6 9680 double-funding"});
  CHECK(number(dir, "SELECT count(*) FROM report_amounts") == 6);
  // Gotland's SEK lines carry their frozen July 2024 rate; EUR lines none.
  CHECK(sql(dir,
            "SELECT DISTINCT l.rate_month || ' ' || l.rate_units_per_eur FROM lines l JOIN "
            "reports r ON r.document_seq = l.report_seq WHERE l.currency = 'SEK'") ==
        std::vector<std::string>{"2024-07 11.338000"});
  // Every accepted original is in the content-addressed archive, the inbox is empty.
  for (const std::string& row :
       sql(dir, "SELECT sha256 || '|' || stored_path FROM documents WHERE status = 'accepted'")) {
    const std::string sha = row.substr(0, 64);
    CHECK(row.substr(65) == (dir / "archive" / sha.substr(0, 2) / sha).string());
    CHECK(fs::exists(row.substr(65)));
  }
  CHECK(fs::is_empty(dir / "inbox"));
  CHECK(fs::exists(dir / "quarantine/broken.xml.reason.txt"));
  const auto kinds = sql(dir, "SELECT DISTINCT kind FROM audit_events ORDER BY kind");
  for (const char* kind : {"amounts-computed", "approval", "control-decision", "document-accepted",
                           "document-rejected", "duplicate-received", "file-received", "finding",
                           "payment", "run-finished", "workbook-written"}) {
    CHECK(std::find(kinds.begin(), kinds.end(), kind) != kinds.end());
  }
  // The workbook's Audit sheet and the run log show the head before the workbook's event.
  const std::string shown = sql(dir,
                                "SELECT hash FROM audit_events WHERE seq = (SELECT seq - 1 FROM "
                                "audit_events WHERE kind = 'workbook-written')")
                                .at(0);
  const auto cells = run_shell(
      "/usr/bin/python3 -c \"import openpyxl,sys; ws=openpyxl.load_"
      "workbook(sys.argv[1])['Audit']; print([c for r in ws.iter_rows("
      "values_only=True) for c in r if c])\" '" +
          (dir / "reports/ops-2025-03-31.xlsx").string() + "'",
      dir);
  CHECK(cells.out.find(shown) != std::string::npos);
  CHECK(slurp(dir / "var/logs/run-1.log").find("shown in the workbook seq=") != std::string::npos);
  const auto ok = verify(dir);
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("cofin audit verify: OK") == 0);
}

TEST_CASE("audit verify names the first bad event of a tampered trail", "[job][ops][audit]") {
  const fs::path base = finished_job("tamper-base");
  const std::int64_t last = number(base, "SELECT max(seq) FROM audit_events");
  REQUIRE(last > 30);
  int detected = 0;
  auto tampered = [&](const std::string& name, const std::function<void(const fs::path&)>& edit,
                      std::int64_t expected) {
    const fs::path dir = scratch("tamper-" + name);
    fs::remove_all(dir);
    fs::copy(base, dir, fs::copy_options::recursive);
    // The job's paths are relative, but the trail names absolute ones: re-point the copy's
    // files at the original's by tampering the copy's ledger only, through `edit`.
    edit(dir);
    const auto r = verify(dir);
    INFO(name << ": " << r.out << r.err);
    CHECK(r.exit_code == 4);
    const std::string first = "cofin audit verify: BROKEN at event " + std::to_string(expected);
    CHECK(r.out.rfind(first, 0) == 0);
    CHECK((r.out.size() > first.size() &&
           (r.out[first.size()] == ' ' || r.out[first.size()] == ':')));
    detected += r.exit_code == 4 ? 1 : 0;
  };
  // Tampering is done on copies of the ledger; the originals and workbooks the trail names
  // stay those of `base`, untouched, except in the last two cases.
  tampered(
      "byte",
      [](const fs::path& d) {
        sql(d, std::string(kDropTriggers) +
                   "UPDATE audit_events SET payload = substr(payload, 1, 20) || CASE "
                   "substr(payload, 21, 1) WHEN 'a' THEN 'b' ELSE 'a' END || substr(payload, 22) "
                   "WHERE seq = 10");
      },
      10);
  tampered(
      "hash-byte",
      [](const fs::path& d) {
        sql(d, std::string(kDropTriggers) +
                   "UPDATE audit_events SET hash = CASE substr(hash, 1, 1) WHEN 'a' THEN 'b' "
                   "ELSE 'a' END || substr(hash, 2) WHERE seq = 12");
      },
      12);
  tampered(
      "delete-middle",
      [](const fs::path& d) {
        sql(d, std::string(kDropTriggers) + "DELETE FROM audit_events WHERE seq = 20");
      },
      20);
  tampered(
      "delete-tail",
      [&](const fs::path& d) {
        sql(d, std::string(kDropTriggers) + "DELETE FROM audit_events WHERE seq > " +
                   std::to_string(last - 3));
      },
      last - 2);
  tampered(
      "delete-tail-and-run-heads",
      [&](const fs::path& d) {
        // Also rewrites the runs table: the run logs still remember the head.
        sql(d, std::string(kDropTriggers) + "DELETE FROM audit_events WHERE seq > " +
                   std::to_string(last - 3) + "; UPDATE runs SET audit_seq = 0, audit_head = ''");
      },
      last - 2);
  tampered(
      "swap",
      [](const fs::path& d) {
        sql(d, std::string(kDropTriggers) +
                   "CREATE TEMP TABLE s AS SELECT * FROM audit_events WHERE seq IN (5, 6);"
                   "UPDATE audit_events SET kind = (SELECT kind FROM s WHERE s.seq = 11 - "
                   "audit_events.seq), payload = (SELECT payload FROM s WHERE s.seq = 11 - "
                   "audit_events.seq), hash = (SELECT hash FROM s WHERE s.seq = 11 - "
                   "audit_events.seq) WHERE seq IN (5, 6)");
      },
      5);
  const std::int64_t accepted_seq =
      number(base,
             "SELECT seq FROM audit_events WHERE kind = 'document-accepted' AND payload LIKE "
             "'%\"name\":\"lars-r3.xml\"%'");
  const std::string archived =
      sql(base, "SELECT stored_path FROM documents WHERE original_name = 'lars-r3.xml'").at(0);
  const std::string original = slurp(archived);
  tampered(
      "archived-original",
      [&](const fs::path&) {
        std::string changed = original;
        changed[changed.find("declared=\"") + 10] ^= 1;  // one digit of one amount
        std::ofstream(archived, std::ios::binary | std::ios::trunc) << changed;
      },
      accepted_seq);
  std::ofstream(archived, std::ios::binary | std::ios::trunc) << original;
  const std::int64_t workbook_seq =
      number(base, "SELECT seq FROM audit_events WHERE kind = 'workbook-written'");
  tampered(
      "workbook",
      [&](const fs::path&) {
        std::ofstream(base / "reports/ops-2025-03-31.xlsx", std::ios::app) << "x";
      },
      workbook_seq);
  CHECK(detected == 8);
}

TEST_CASE("only stable regular files are taken from the inbox", "[job][ops]") {
  const fs::path dir = scratch("stable");
  write_job(dir, "move", "archive", "", 3600);
  fs::copy_file(kRepo / "fixtures/demo/inbox/lars-r1.xml", dir / "inbox/lars-r1.xml");
  // Written just now: not settled for the job's hour.
  auto r = run(dir, "");
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("nothing new (0 unchanged, 1 waiting)") != std::string::npos);
  CHECK(fs::exists(dir / "inbox/lars-r1.xml"));

  write_job(dir);  // settle time 0
  fs::copy_file(kRepo / "fixtures/demo/inbox/lars-r2.csv", dir / "inbox/lars-r2.csv.part");
  fs::create_symlink(kRepo / "fixtures/demo/inbox/lars-r3.xml", dir / "inbox/lars-r3.xml");
  r = run(dir, "");
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("1 accepted, 0 rejected") != std::string::npos);
  CHECK(fs::exists(dir / "inbox/lars-r2.csv.part"));  // still being written
  CHECK(fs::is_symlink(dir / "inbox/lars-r3.xml"));   // never followed, never moved
  CHECK_FALSE(fs::exists(dir / "inbox/lars-r1.xml"));
}

TEST_CASE("inbox and archive on different filesystems is a configuration error", "[job][ops]") {
  const fs::path shm = "/dev/shm";
  if (!fs::is_directory(shm)) {
    WARN("no /dev/shm: cannot put the archive on another filesystem here");
    return;
  }
  const fs::path dir = scratch("filesystems");
  const fs::path archive = shm / ("cofin-ops-archive-" + std::to_string(::getpid()));
  fs::create_directories(archive);
  write_job(dir, "move", archive);
  fs::copy_file(kRepo / "fixtures/demo/inbox/lars-r1.xml", dir / "inbox/lars-r1.xml");
  const auto r = run(dir, "");
  fs::remove_all(archive);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("on another filesystem than the inbox") != std::string::npos);
  CHECK(fs::exists(dir / "inbox/lars-r1.xml"));
}

TEST_CASE("exchange rates are frozen at first submission", "[job][ops]") {
  const fs::path dir = scratch("frozen");
  const fs::path rates = dir / "rates.csv";
  fs::create_directories(dir);
  fs::copy_file(kRepo / "fixtures/demo/rates-sek-2024.csv", rates);
  write_job(dir, "move", "archive", rates);
  fs::copy_file(kRepo / "fixtures/demo/inbox/cb-p3-r1.csv", dir / "inbox/cb-p3-r1.csv");
  REQUIRE(run(dir).exit_code == 0);
  const std::string first_eur = sql(dir, "SELECT group_concat(eur_cents) FROM lines").at(0);
  const std::string first_declared =
      sql(dir, "SELECT declared_cents FROM report_amounts WHERE run_id = 1").at(0);

  // The rate table is corrected afterwards; the report keeps the rate it was computed with.
  std::string table = slurp(rates);
  table.replace(table.find("SEK,2024,7,11.3380"), 18, "SEK,2024,7,10.0000");
  std::ofstream(rates, std::ios::trunc) << table;
  fs::copy_file(kRepo / "fixtures/demo/inbox/lars-r1.xml", dir / "inbox/lars-r1.xml");
  REQUIRE(run(dir, "--quiet", "2025-04-01").exit_code == 0);
  const std::int64_t second_run = number(dir, "SELECT max(run_id) FROM report_amounts");
  CHECK(second_run > 1);
  CHECK(sql(dir,
            "SELECT declared_cents FROM report_amounts WHERE project = 'CB0100123' AND "
            "run_id = " +
                std::to_string(second_run))
            .at(0) == first_declared);
  CHECK(sql(dir,
            "SELECT group_concat(eur_cents) FROM lines l JOIN reports r ON "
            "r.document_seq = l.report_seq WHERE r.project = 'CB0100123'")
            .at(0) == first_eur);
  // The change is on record: the first run recorded the inputs, the second what changed.
  CHECK(number(dir, "SELECT count(*) FROM audit_events WHERE kind = 'inputs-changed'") == 2);
  const std::string change =
      sql(dir,
          "SELECT payload FROM audit_events WHERE kind = 'inputs-changed' ORDER BY seq DESC "
          "LIMIT 1")
          .at(0);
  CHECK(change.find("rates.csv\"") != std::string::npos);
  CHECK(change.find("\"previous_sha256\":\"\"") == std::string::npos);  // a change, not new

  // The same report first submitted under the new table gets the new rate: the test can see
  // a change.
  const fs::path fresh = scratch("frozen-fresh");
  write_job(fresh, "move", "archive", rates);
  fs::copy_file(kRepo / "fixtures/demo/inbox/cb-p3-r1.csv", fresh / "inbox/cb-p3-r1.csv");
  REQUIRE(run(fresh).exit_code == 0);
  CHECK(sql(fresh, "SELECT declared_cents FROM report_amounts").at(0) != first_declared);
}

TEST_CASE("progress on request, silence with --quiet, a summary line and a log per run",
          "[job][ops]") {
  const fs::path dir = scratch("progress");
  write_job(dir, "keep");
  copy_demo_inbox(dir);
  const auto loud = run(dir, "--progress");
  CHECK(loud.exit_code == 0);
  CHECK(loud.err.find("files 13/13, lines ") != std::string::npos);
  CHECK(loud.err.find("ETA done") != std::string::npos);
  CHECK(loud.err.find("cofin: 13 accepted, 0 rejected, 0 duplicates, 0 unchanged;") !=
        std::string::npos);
  CHECK(loud.err.find("due ERDF 132228.38 EUR, state 253.67 EUR") != std::string::npos);
  const std::string log = slurp(dir / "var/logs/run-1.log");
  CHECK(log.find("13 accepted, 0 rejected") != std::string::npos);
  CHECK(log.find("audit head at end of run seq=") != std::string::npos);

  const fs::path quiet_dir = scratch("quiet");
  write_job(quiet_dir, "keep");
  copy_demo_inbox(quiet_dir);
  const auto quiet = run(quiet_dir, "--quiet");
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.err.empty());
  CHECK(slurp(quiet_dir / "var/logs/run-1.log").find("13 accepted") != std::string::npos);
}

TEST_CASE("audit verify on a job that never ran, and usage", "[job][ops][audit]") {
  const fs::path dir = scratch("verify-usage");
  write_job(dir);
  auto r = verify(dir);
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("does not exist") != std::string::npos);
  r = run_shell(std::string("'") + COFIN_BINARY + "' audit verify", dir);
  CHECK(r.exit_code == 2);
  r = run_shell(std::string("'") + COFIN_BINARY + "' audit --help", dir);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("hash_n = SHA-256") != std::string::npos);
}

TEST_CASE("a ledger of schema 1 is migrated and its documents' content backfilled", "[job][ops]") {
  const fs::path dir = scratch("migrate-v1");
  write_job(dir, "keep");
  copy_demo_inbox(dir);
  fs::create_directories(dir / "var");
  // What the foundation's cofin left: schema 1, documents only.
  std::string inserts = std::string(cofin::schema::kV1) +
                        "PRAGMA user_version = 1; INSERT INTO runs(as_of, finished) VALUES "
                        "('2025-03-30', 1);";
  for (const auto& e : fs::directory_iterator(dir / "inbox")) {
    const std::string bytes = slurp(e.path());
    const std::string name = e.path().filename().string();
    const std::string kind = name.find("control") != std::string::npos  ? "control-result"
                             : name.find("events") != std::string::npos ? "events"
                                                                        : "report";
    inserts +=
        "INSERT INTO documents(sha256, kind, business_key, original_name, stored_path, "
        "size, status, reason, run_id) VALUES ('" +
        cofin::sha256_hex(bytes) + "', '" + kind + "', '" + kind + "/" + name + "', '" + name +
        "', '" + e.path().string() + "', " + std::to_string(bytes.size()) + ", 'accepted', '', 1);";
  }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir / "var/ledger.sqlite").c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, inserts.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);

  const auto r = run(dir, "");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(number(dir, "SELECT count(*) FROM reports") == 6);
  CHECK(number(dir, "SELECT count(*) FROM report_amounts") == 6);
  CHECK(number(dir, "SELECT count(*) FROM audit_events WHERE kind = 'content-backfilled'") == 13);
  CHECK(fs::exists(dir / "reports/ops-2025-03-31.xlsx"));
  CHECK(verify(dir).exit_code == 0);
}
