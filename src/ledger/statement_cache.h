// The prepared statements of one SQLite connection, kept per SQL text so that a statement run
// once per row (a line, a finding, an audit event) is compiled once per connection, not once per
// row. Internal to the SQLite ledger. Like the connection it serves, used by one thread at a time
// (handing it to another thread needs the usual happens-before, e.g. a task queue's lock).
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <string>
#include <unordered_map>

#include "ledger/statement.h"

namespace cofin {

class StatementCache {
 public:
  explicit StatementCache(sqlite3* db) : db_(db) {}
  // Finalizes every cached statement. REQUIRES: no lease outstanding; destroyed before the
  // connection is closed (sqlite3_close refuses a connection with unfinalized statements).
  ~StatementCache();
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // Returns the statement for `sql`, with no bindings and not stepped, leased until it goes out
  // of scope; it is then reset and its bindings cleared. The first call for a text prepares it.
  // When the cached statement for `sql` is already leased (a call nested inside another's
  // iteration), returns a one-off statement prepared for this call and finalized after it.
  // Throws LedgerError when `sql` does not prepare.
  Statement acquire(const std::string& sql);

  // Finalizes every cached statement, e.g. after a schema change. REQUIRES: no lease outstanding.
  void clear();

  // Returns the number of cached statements.
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  sqlite3* db_;
  // Node-based: an entry's address (its in_use flag, held by a lease) survives rehashing.
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace cofin
