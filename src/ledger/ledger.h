// The ledger: what every run has received and decided, kept in an embedded SQLite file.
// Foundation scope: documents (by SHA-256 and business key) and runs. The full ledger (lines,
// amounts, findings, audit chain) follows; callers use only this interface, small enough for a
// PostgreSQL implementation to follow.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cofin {

// An environment failure of the ledger (I/O, corruption, locking): exit code 3.
class LedgerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The ledger was written by a newer cofin: exit code 2.
class LedgerTooNew : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DocumentRecord {
  std::string sha256;
  std::string kind;          // "report", "control-result", "events", "rates"
  std::string business_key;  // e.g. "report/CB0100123/1/2"; empty for rejected documents
  std::string original_name;
  std::string stored_path;  // where the original lives now (inbox in keep mode, else archive)
  std::uint64_t size = 0;
  std::string status;  // "accepted" or "rejected"
  std::string reason;  // first error, for rejected documents
  std::int64_t run_id = 0;
};

struct RunRecord {
  std::string as_of;
  int accepted = 0;
  int rejected = 0;
  int duplicates = 0;
  std::string workbook;         // path written, or empty
  std::string workbook_sha256;  // hex, or empty
};

class Ledger {
 public:
  // The schema version this binary writes; an older ledger is migrated at open.
  static constexpr int kSchemaVersion = 1;

  // Opens (creating when absent) the SQLite ledger at `path`: WAL, synchronous=FULL,
  // foreign keys on. Throws LedgerTooNew or LedgerError.
  static std::unique_ptr<Ledger> open(const std::filesystem::path& path);
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // Returns the document with this hash, or nullopt.
  std::optional<DocumentRecord> find_by_hash(const std::string& sha256);
  // Returns the accepted document with this business key, or nullopt.
  std::optional<DocumentRecord> find_accepted_by_key(const std::string& kind,
                                                     const std::string& business_key);
  // Returns every accepted document, in the order they were accepted.
  std::vector<DocumentRecord> accepted_documents();

  // Starts a run; returns its id.
  std::int64_t begin_run(const std::string& as_of);
  // Records a document decided in run `record.run_id`.
  void record_document(const DocumentRecord& record);
  // Records a duplicate re-send of an already known document.
  void record_duplicate(std::int64_t run_id, const std::string& sha256, const std::string& name);
  void finish_run(std::int64_t run_id, const RunRecord& run);

  // Runs `work` inside one transaction: all of it commits, or none.
  template <typename F>
  void transaction(F&& work) {
    exec("BEGIN IMMEDIATE");
    try {
      work();
    } catch (...) {
      exec("ROLLBACK");
      throw;  // rethrown: the caller maps it to an exit code
    }
    exec("COMMIT");
  }

 private:
  struct Impl;
  explicit Ledger(std::unique_ptr<Impl> impl);
  void exec(const char* sql);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cofin
