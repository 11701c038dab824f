#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "ledger/ledger.h"

using namespace cofin;
namespace fs = std::filesystem;

namespace {
fs::path fresh_dir(const char* name) {
  fs::path dir = fs::temp_directory_path() / ("cofin-ledger-test-" + std::string(name));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}
}  // namespace

TEST_CASE("ledger keeps documents across reopen", "[ledger]") {
  const fs::path dir = fresh_dir("reopen");
  const std::string hash(64, 'a');
  {
    auto ledger = Ledger::open(dir / "l.sqlite");
    const auto run = ledger->begin_run("2024-07-31");
    ledger->record_document(
        {hash, "report", "report/P/1/1", "r.csv", "in/r.csv", 10, "accepted", "", run});
    ledger->finish_run(run, {"2024-07-31", 1, 0, 0, "", ""});
  }
  auto ledger = Ledger::open(dir / "l.sqlite");
  auto found = ledger->find_by_hash(hash);
  REQUIRE(found);
  CHECK(found->business_key == "report/P/1/1");
  CHECK(ledger->find_accepted_by_key("report", "report/P/1/1"));
  CHECK_FALSE(ledger->find_accepted_by_key("report", "report/P/1/2"));
  CHECK(ledger->accepted_documents().size() == 1);
}

TEST_CASE("ledger refuses a second accepted document with the same key", "[ledger]") {
  const fs::path dir = fresh_dir("key");
  auto ledger = Ledger::open(dir / "l.sqlite");
  const auto run = ledger->begin_run("2024-07-31");
  ledger->record_document({std::string(64, 'a'), "report", "k", "a", "a", 1, "accepted", "", run});
  CHECK_THROWS_AS(ledger->record_document(
                      {std::string(64, 'b'), "report", "k", "b", "b", 1, "accepted", "", run}),
                  LedgerError);
}

TEST_CASE("ledger refuses a schema newer than the binary", "[ledger]") {
  const fs::path dir = fresh_dir("newer");
  { Ledger::open(dir / "l.sqlite"); }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir / "l.sqlite").c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  CHECK_THROWS_AS(Ledger::open(dir / "l.sqlite"), LedgerTooNew);
}
