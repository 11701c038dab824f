#include "ledger/statement.h"

#include "ledger/ledger.h"

namespace cofin {

Statement::Statement(sqlite3* db, const std::string& sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
    throw LedgerError(std::string("ledger: cannot prepare statement: ") + sqlite3_errmsg(db));
  }
}

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use)
    : db_(db), stmt_(stmt), in_use_(in_use) {
  *in_use_ = true;
}

Statement::~Statement() {
  if (in_use_ == nullptr) {
    sqlite3_finalize(stmt_);
    return;
  }
  // Reset releases the statement's read lock and any row it stopped on; its return value repeats
  // the error of the last step, which step() has already thrown.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  *in_use_ = false;
}

Statement& Statement::bind(int index, std::string_view text) {
  // A null pointer would bind SQL NULL: an empty view (whose data() may be null) binds ''.
  const char* data = text.data() != nullptr ? text.data() : "";
  check(sqlite3_bind_text(stmt_, index, data, static_cast<int>(text.size()), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::bind_borrowed(int index, std::string_view text) {
  const char* data = text.data() != nullptr ? text.data() : "";
  check(sqlite3_bind_text(stmt_, index, data, static_cast<int>(text.size()), SQLITE_STATIC));
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  check(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::bind_null(int index) {
  check(sqlite3_bind_null(stmt_, index));
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw LedgerError(std::string("ledger: ") + sqlite3_errmsg(db_));
}

void Statement::run() {
  while (step()) {
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::text(int column) {
  const unsigned char* t = sqlite3_column_text(stmt_, column);
  return t ? std::string(reinterpret_cast<const char*>(t),
                         static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
           : std::string();
}

std::string_view Statement::text_view(int column) {
  const unsigned char* t = sqlite3_column_text(stmt_, column);
  return t ? std::string_view(reinterpret_cast<const char*>(t),
                              static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
           : std::string_view();
}

std::int64_t Statement::integer(int column) {
  return sqlite3_column_int64(stmt_, column);
}

bool Statement::is_null(int column) {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

void Statement::check(int rc) {
  if (rc != SQLITE_OK) throw LedgerError(std::string("ledger: bind: ") + sqlite3_errmsg(db_));
}

}  // namespace cofin
