// The SQLite ledger's statement cache: a statement prepared once per SQL text and reused must
// behave exactly like a freshly prepared one (no leftover bindings, no row, no lock held), and
// every cached statement is finalized so the connection closes. A real SQLite file.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "ledger/ledger.h"
#include "ledger/statement_cache.h"
#include "support/process.h"

using namespace cofin;
namespace fs = std::filesystem;

namespace {

// A connection to a new database file holding table t(x) with rows 1, 2, 3.
struct Database {
  explicit Database(const std::string& name) {
    const fs::path dir = cofin::testing::fresh_dir("statement-cache-" + name);
    REQUIRE(sqlite3_open((dir / "t.sqlite").c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         "PRAGMA journal_mode=WAL; CREATE TABLE t(x INTEGER, s TEXT NOT NULL);"
                         "INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three');",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
  }
  ~Database() { sqlite3_close(db); }
  // Returns how many of the connection's statements are stepped and not reset.
  int busy_statements() const {
    int busy = 0;
    for (sqlite3_stmt* s = sqlite3_next_stmt(db, nullptr); s; s = sqlite3_next_stmt(db, s)) {
      if (sqlite3_stmt_busy(s)) ++busy;
    }
    return busy;
  }
  int statements() const {
    int n = 0;
    for (sqlite3_stmt* s = sqlite3_next_stmt(db, nullptr); s; s = sqlite3_next_stmt(db, s)) ++n;
    return n;
  }
  sqlite3* db = nullptr;
};

const std::string kByValue = "SELECT s FROM t WHERE x = ?";

}  // namespace

TEST_CASE("a reused statement comes back reset with its bindings cleared", "[ledger][cache]") {
  Database d("reuse");
  StatementCache cache(d.db);
  {
    Statement s = cache.acquire(kByValue);
    s.bind(1, 2);
    REQUIRE(s.step());
    CHECK(s.text(0) == "two");
    // Handed back while still on its row.
  }
  CHECK(d.busy_statements() == 0);  // reset: no row held, so no read lock either
  {
    Statement s = cache.acquire(kByValue);
    CHECK_FALSE(s.step());  // the old binding (2) is gone: `x = NULL` matches nothing
  }
  {
    Statement s = cache.acquire(kByValue);
    s.bind(1, 3);
    REQUIRE(s.step());
    CHECK(s.text(0) == "three");  // rebinds and runs from the start
    CHECK_FALSE(s.step());
  }
  CHECK(cache.size() == 1);
  CHECK(d.statements() == 1);  // prepared once
}

TEST_CASE("a statement run to completion can be rebound inside one lease", "[ledger][cache]") {
  Database d("rerun");
  StatementCache cache(d.db);
  Statement insert = cache.acquire("INSERT INTO t VALUES (?, ?)");
  insert.bind(1, 4).bind(2, std::string("four"));
  insert.run();
  insert.bind(1, 5).bind(2, std::string());  // an empty text is '' (NOT NULL holds), not NULL
  insert.run();
  Statement count = cache.acquire("SELECT count(*) FROM t WHERE x >= 4 AND s IN ('four', '')");
  REQUIRE(count.step());
  CHECK(count.integer(0) == 2);
}

TEST_CASE("a borrowed text is stored as it was when the statement ran", "[ledger][cache]") {
  Database d("borrowed");
  StatementCache cache(d.db);
  std::string text = "borrowed";
  {
    Statement insert = cache.acquire("INSERT INTO t VALUES (?, ?)");
    insert.bind(1, 6).bind_borrowed(2, text);
    insert.run();
    text = "changed after the run";                          // the row already holds its own copy
    insert.bind(1, 7).bind_borrowed(2, std::string_view());  // '' (NOT NULL holds), not NULL
    insert.run();
  }
  Statement read = cache.acquire("SELECT s FROM t WHERE x >= 6 ORDER BY x");
  REQUIRE(read.step());
  CHECK(read.text(0) == "borrowed");
  REQUIRE(read.step());
  CHECK(read.text(0).empty());
  CHECK_FALSE(read.is_null(0));
}

TEST_CASE("the same SQL leased twice at once gives two independent statements", "[ledger][cache]") {
  Database d("nested");
  StatementCache cache(d.db);
  const std::string all = "SELECT x FROM t ORDER BY x";
  {
    Statement outer = cache.acquire(all);
    REQUIRE(outer.step());
    CHECK(outer.integer(0) == 1);
    {
      Statement inner = cache.acquire(all);  // nested: a one-off statement
      REQUIRE(inner.step());
      CHECK(inner.integer(0) == 1);
      CHECK(d.statements() == 2);
    }
    CHECK(d.statements() == 1);  // the one-off is finalized
    REQUIRE(outer.step());
    CHECK(outer.integer(0) == 2);  // the outer iteration was not disturbed
  }
  CHECK(cache.size() == 1);
  Statement again = cache.acquire(all);
  REQUIRE(again.step());
  CHECK(again.integer(0) == 1);
}

TEST_CASE("a statement that does not prepare throws and is not cached", "[ledger][cache]") {
  Database d("bad-sql");
  StatementCache cache(d.db);
  CHECK_THROWS_AS(cache.acquire("SELEC x FROM t"), LedgerError);
  CHECK_THROWS_AS(cache.acquire("SELECT x FROM no_such_table"), LedgerError);
  CHECK(cache.size() == 0);
  CHECK(d.statements() == 0);
}

TEST_CASE("the cache finalizes its statements, so the connection closes", "[ledger][cache]") {
  const fs::path dir = cofin::testing::fresh_dir("statement-cache-close");
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir / "t.sqlite").c_str(), &db) == SQLITE_OK);
  {
    StatementCache cache(db);
    Statement s = cache.acquire("SELECT 1");
    REQUIRE(s.step());
  }
  CHECK(sqlite3_next_stmt(db, nullptr) == nullptr);
  CHECK(sqlite3_close(db) == SQLITE_OK);  // SQLITE_BUSY while a statement is unfinalized

  REQUIRE(sqlite3_open((dir / "t.sqlite").c_str(), &db) == SQLITE_OK);
  StatementCache cache(db);
  { cache.acquire("SELECT 1"); }
  cache.clear();
  CHECK(cache.size() == 0);
  CHECK(sqlite3_next_stmt(db, nullptr) == nullptr);
  CHECK(sqlite3_close(db) == SQLITE_OK);
}
