// Reading a ledger file directly with SQLite, as an auditor's tool would: the tests' view from
// outside cofin's own ledger code.
#pragma once

#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

namespace cofin::testing {

// Returns the integer in the first column of the first row of `sql` on the SQLite file `file`,
// opened with `flags` (SQLITE_OPEN_READONLY leaves a fixture untouched).
inline std::int64_t query_integer(const std::filesystem::path& file, const std::string& sql,
                                  int flags = SQLITE_OPEN_READWRITE) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(file.c_str(), &db, flags, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  const std::int64_t value = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return value;
}

}  // namespace cofin::testing
