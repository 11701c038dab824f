#include "ledger/statement_cache.h"

#include "ledger/ledger.h"

namespace cofin {

StatementCache::~StatementCache() {
  clear();
}

Statement StatementCache::acquire(const std::string& sql) {
  auto it = entries_.find(sql);
  if (it == entries_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()) + 1,
                           SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      sqlite3_finalize(stmt);
      throw LedgerError(std::string("ledger: cannot prepare statement: ") + sqlite3_errmsg(db_));
    }
    Entry entry;
    entry.stmt = stmt;
    it = entries_.emplace(sql, entry).first;
  }
  if (it->second.in_use) return Statement(db_, sql);
  return Statement(db_, it->second.stmt, &it->second.in_use);
}

void StatementCache::clear() {
  for (auto& [sql, entry] : entries_) sqlite3_finalize(entry.stmt);
  entries_.clear();
}

}  // namespace cofin
