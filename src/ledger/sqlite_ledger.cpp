#include "ledger/ledger.h"

#include <sqlite3.h>

#include <utility>

namespace cofin {
namespace {

// Version 1: documents, duplicate receipts, runs. STRICT tables, sizes as integers.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  as_of TEXT NOT NULL,
  finished INTEGER NOT NULL DEFAULT 0 CHECK (finished IN (0, 1)),
  accepted INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  duplicates INTEGER NOT NULL DEFAULT 0,
  workbook TEXT NOT NULL DEFAULT '',
  workbook_sha256 TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TABLE documents (
  seq INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
  kind TEXT NOT NULL,
  business_key TEXT NOT NULL,
  original_name TEXT NOT NULL,
  stored_path TEXT NOT NULL,
  size INTEGER NOT NULL CHECK (size >= 0),
  status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected')),
  reason TEXT NOT NULL,
  run_id INTEGER NOT NULL REFERENCES runs(id)
) STRICT;
CREATE UNIQUE INDEX documents_accepted_key ON documents(kind, business_key)
  WHERE status = 'accepted';
CREATE TABLE duplicates (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  sha256 TEXT NOT NULL REFERENCES documents(sha256),
  name TEXT NOT NULL
) STRICT;
)sql";

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      throw LedgerError(std::string("ledger: cannot prepare statement: ") + sqlite3_errmsg(db));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, const std::string& text) {
    check(sqlite3_bind_text(stmt_, index, text.c_str(), static_cast<int>(text.size()),
                            SQLITE_TRANSIENT));
    return *this;
  }
  Statement& bind(int index, std::int64_t value) {
    check(sqlite3_bind_int64(stmt_, index, value));
    return *this;
  }
  // Returns true while a row is available.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw LedgerError(std::string("ledger: ") + sqlite3_errmsg(db_));
  }
  std::string text(int column) {
    const unsigned char* t = sqlite3_column_text(stmt_, column);
    return t ? std::string(reinterpret_cast<const char*>(t),
                           static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
             : std::string();
  }
  std::int64_t integer(int column) { return sqlite3_column_int64(stmt_, column); }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) throw LedgerError(std::string("ledger: bind: ") + sqlite3_errmsg(db_));
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

constexpr const char* kDocumentColumns =
    "sha256, kind, business_key, original_name, stored_path, size, status, reason, run_id";

DocumentRecord read_document(Statement& s) {
  DocumentRecord d;
  d.sha256 = s.text(0);
  d.kind = s.text(1);
  d.business_key = s.text(2);
  d.original_name = s.text(3);
  d.stored_path = s.text(4);
  d.size = static_cast<std::uint64_t>(s.integer(5));
  d.status = s.text(6);
  d.reason = s.text(7);
  d.run_id = s.integer(8);
  return d;
}

}  // namespace

struct Ledger::Impl {
  sqlite3* db = nullptr;
  ~Impl() { sqlite3_close(db); }
};

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ledger::~Ledger() = default;

void Ledger::exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(impl_->db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw LedgerError("ledger: " + message);
  }
}

std::unique_ptr<Ledger> Ledger::open(const std::filesystem::path& path) {
  auto impl = std::make_unique<Impl>();
  if (sqlite3_open_v2(path.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    throw LedgerError("ledger: cannot open " + path.string() + ": " +
                      (impl->db ? sqlite3_errmsg(impl->db) : "out of memory"));
  }
  sqlite3_busy_timeout(impl->db, 0);  // the job lock serialises runs; never wait here
  std::unique_ptr<Ledger> ledger(new Ledger(std::move(impl)));
  ledger->exec("PRAGMA journal_mode=WAL");
  ledger->exec("PRAGMA synchronous=FULL");
  ledger->exec("PRAGMA foreign_keys=ON");
  int version = 0;
  {
    Statement s(ledger->impl_->db, "PRAGMA user_version");
    if (s.step()) version = static_cast<int>(s.integer(0));
  }
  if (version > kSchemaVersion) {
    throw LedgerTooNew("ledger " + path.string() + " has schema version " +
                       std::to_string(version) + ", newer than this cofin (" +
                       std::to_string(kSchemaVersion) + "): upgrade cofin");
  }
  if (version < 1) {
    ledger->transaction([&] {
      ledger->exec(kSchemaV1);
      ledger->exec("PRAGMA user_version = 1");
    });
  }
  return ledger;
}

std::optional<DocumentRecord> Ledger::find_by_hash(const std::string& sha256) {
  Statement s(
      impl_->db,
      (std::string("SELECT ") + kDocumentColumns + " FROM documents WHERE sha256 = ?").c_str());
  s.bind(1, sha256);
  if (!s.step()) return std::nullopt;
  return read_document(s);
}

std::optional<DocumentRecord> Ledger::find_accepted_by_key(const std::string& kind,
                                                           const std::string& business_key) {
  Statement s(impl_->db, (std::string("SELECT ") + kDocumentColumns +
                          " FROM documents WHERE status = 'accepted' AND kind = ? AND "
                          "business_key = ?")
                             .c_str());
  s.bind(1, kind).bind(2, business_key);
  if (!s.step()) return std::nullopt;
  return read_document(s);
}

std::vector<DocumentRecord> Ledger::accepted_documents() {
  Statement s(impl_->db, (std::string("SELECT ") + kDocumentColumns +
                          " FROM documents WHERE status = 'accepted' ORDER BY seq")
                             .c_str());
  std::vector<DocumentRecord> out;
  while (s.step()) out.push_back(read_document(s));
  return out;
}

std::int64_t Ledger::begin_run(const std::string& as_of) {
  Statement s(impl_->db, "INSERT INTO runs(as_of) VALUES (?)");
  s.bind(1, as_of);
  s.step();
  return sqlite3_last_insert_rowid(impl_->db);
}

void Ledger::record_document(const DocumentRecord& d) {
  Statement s(impl_->db, (std::string("INSERT INTO documents(") + kDocumentColumns +
                          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                             .c_str());
  s.bind(1, d.sha256)
      .bind(2, d.kind)
      .bind(3, d.business_key)
      .bind(4, d.original_name)
      .bind(5, d.stored_path)
      .bind(6, static_cast<std::int64_t>(d.size))
      .bind(7, d.status)
      .bind(8, d.reason)
      .bind(9, d.run_id);
  s.step();
}

void Ledger::record_duplicate(std::int64_t run_id, const std::string& sha256,
                              const std::string& name) {
  Statement s(impl_->db, "INSERT INTO duplicates(run_id, sha256, name) VALUES (?, ?, ?)");
  s.bind(1, run_id).bind(2, sha256).bind(3, name);
  s.step();
}

void Ledger::finish_run(std::int64_t run_id, const RunRecord& run) {
  Statement s(impl_->db,
              "UPDATE runs SET finished = 1, accepted = ?, rejected = ?, duplicates = ?, "
              "workbook = ?, workbook_sha256 = ? WHERE id = ?");
  s.bind(1, std::int64_t{run.accepted})
      .bind(2, std::int64_t{run.rejected})
      .bind(3, std::int64_t{run.duplicates})
      .bind(4, run.workbook)
      .bind(5, run.workbook_sha256)
      .bind(6, run_id);
  s.step();
}

}  // namespace cofin
