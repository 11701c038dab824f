// One SQLite prepared statement: binding, stepping, reading columns. Either owned (finalized when
// it goes out of scope) or leased from a StatementCache (reset, bindings cleared and handed back
// when it goes out of scope). Internal to the SQLite ledger.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "money/money.h"

namespace cofin {

class Statement {
 public:
  // Prepares `sql` on `db`, owned by the returned statement. Throws LedgerError.
  Statement(sqlite3* db, const std::string& sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Text is copied by SQLite (SQLITE_TRANSIENT); an empty text binds '' (never NULL).
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const std::string& text) {
    return bind(index, std::string_view(text));
  }
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  // Binds `text` without copying it (SQLITE_STATIC): for the fields of a row written in a loop.
  // REQUIRES: `text` stays valid and unchanged until the statement is run (run()) or handed back.
  Statement& bind_borrowed(int index, std::string_view text);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, std::int64_t{value}); }
  Statement& bind(int index, Money value) { return bind(index, value.cents()); }
  Statement& bind_null(int index);
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Returns true while a row is available. Throws LedgerError on any other outcome.
  bool step();
  // Runs the statement to completion and resets it for new bindings.
  void run();

  // Returns column `column` of the current row as text ("" for NULL).
  std::string text(int column);
  // The same without a copy. The view is valid until the next step(), run() or reset.
  std::string_view text_view(int column);
  std::int64_t integer(int column);
  bool is_null(int column);

 private:
  friend class StatementCache;
  // A statement leased from a cache: `in_use` is the cache entry's flag, cleared on destruction.
  Statement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use);

  void check(int rc);

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool* in_use_ = nullptr;  // null for an owned statement
};

}  // namespace cofin
