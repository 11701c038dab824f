// A ledger written by cofin before the statement cache and the in-transaction audit head
// (commit 6acdf6c, the demo inbox without lars-r3-control.xml, as of 2024-12-31) is verified by
// this cofin, and a run of this cofin continues its audit chain. The payloads name absolute
// paths, so the fixture is placed at the path it was written in, under a lock: suites of several
// build trees run at once.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "ledger/ledger.h"
#include "support/process.h"

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
  ledger.reset();
  fs::remove_all(kPlace);
}
