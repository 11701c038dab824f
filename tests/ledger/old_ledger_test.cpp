// A ledger written by cofin before the statement cache and the in-transaction audit head
// (commit 6acdf6c, the demo inbox without lars-r3-control.xml, as of 2024-12-31) is verified by
// this cofin, and a run of this cofin continues its audit chain. The payloads name absolute
// paths, so the fixture is placed at the path it was written in, under a lock: suites of several
// build trees run at once.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "ledger/ledger.h"
#include "support/process.h"
#include "support/sqlite_query.h"

using namespace cofin;
using namespace cofin::testing;
namespace fs = std::filesystem;

namespace {

const fs::path kFixture = fs::path(COFIN_SOURCE_DIR) / "tests/ledger/old-ledger";
const fs::path kPlace = "/tmp/cofin-old-ledger-fixture";

// Holds an exclusive lock on kPlace's lock file while it lives.
class PlaceLock {
 public:
  PlaceLock() : fd_(::open("/tmp/cofin-old-ledger-fixture.lock", O_CREAT | O_RDWR, 0644)) {
    REQUIRE(fd_ >= 0);
    REQUIRE(::flock(fd_, LOCK_EX) == 0);
  }
  ~PlaceLock() { ::close(fd_); }
  PlaceLock(const PlaceLock&) = delete;
  PlaceLock& operator=(const PlaceLock&) = delete;

 private:
  int fd_;
};

}  // namespace

TEST_CASE("a ledger written by the old code verifies and its chain continues", "[ledger][audit]") {
  const fs::path scratch = fresh_dir("old-ledger");
  PlaceLock lock;
  const fs::path job = kPlace / "job";
  fs::remove_all(kPlace);
  fs::create_directories(job);
  fs::copy(kFixture, job, fs::copy_options::recursive);
  fs::create_directories(job / "var/quarantine");
  const std::string in_job = "cd '" + job.string() + "' && '" + COFIN_BINARY + "' ";

  auto r = run_shell(in_job + "audit verify job.xml", scratch);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("cofin audit verify: OK: 51 events, head seq=51 "
                    "hash=11c3811eb57104c0794a8ce8ddd2ff81d6c380f7d11cf22718ce6c6013cce287;",
                    0) == 0);

  // One more document: this cofin appends its events onto the old head.
  fs::rename(job / "lars-r3-control.xml", job / "inbox/lars-r3-control.xml");
  r = run_shell(in_job + "run job.xml --as-of 2024-12-31 --quiet", scratch);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  r = run_shell(in_job + "audit verify job.xml", scratch);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("cofin audit verify: OK: ", 0) == 0);

  auto ledger = Ledger::open_read_only(job / "var/ledger.sqlite");
  std::vector<std::string> kinds;
  ledger->for_each_audit_event([&](const AuditEvent& e) {
    if (e.seq > 51) kinds.push_back(e.kind);
    return true;
  });
  REQUIRE(kinds.size() >= 3);
  CHECK(kinds[0] == "file-received");
  CHECK(std::find(kinds.begin(), kinds.end(), "control-decision") != kinds.end());
  CHECK(kinds.back() == "run-finished");
  // Migrated to schema 4: the old run's 11 findings are its set. The new run recomputed the
  // whole portfolio; with the new control, 10 of the 11 remain, none is new.
  REQUIRE(ledger->run_finding_set(1));
  CHECK(ledger->run_finding_set(1)->size == 11);
  const auto new_run = ledger->run_finding_set(2);
  REQUIRE(new_run);
  CHECK(new_run->size == 10);
  CHECK(new_run->sha256 != ledger->run_finding_set(1)->sha256);
  ledger.reset();
  // Each finding once, and each with exactly one `finding` event (its first sighting).
  const fs::path file = job / "var/ledger.sqlite";
  const std::int64_t rows =
      query_integer(file, "SELECT count(*) FROM findings", SQLITE_OPEN_READONLY);
  CHECK(query_integer(file, "SELECT count(DISTINCT fingerprint) FROM findings",
                      SQLITE_OPEN_READONLY) == rows);
  CHECK(query_integer(file, "SELECT count(*) FROM audit_events WHERE kind = 'finding'",
                      SQLITE_OPEN_READONLY) == rows);
  CHECK(rows == 11);  // nothing new: no row was added

  fs::remove_all(kPlace);
}
