// A run's finding fingerprints in bounded memory (ledger/run_fingerprints.h): sorted chunks in
// an anonymous scratch file, merged for the digest. Tiny buffers make small runs span many
// chunks; the expected digests come from fingerprint_set_digest, the in-memory definition.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "audit/sha256.h"
#include "ledger/finding_fingerprint.h"
#include "ledger/fingerprint_set.h"
#include "ledger/ledger.h"
#include "ledger/run_fingerprints.h"
#include "support/process.h"
#include "support/sqlite_query.h"

using namespace cofin;
using cofin::testing::fresh_dir;
using cofin::testing::query_integer;
namespace fs = std::filesystem;

namespace {

// The in-memory definition: count and digest of the distinct fingerprints.
std::pair<std::int64_t, std::string> expected(std::vector<Digest> fingerprints) {
  const std::string hex = to_hex(fingerprint_set_digest(fingerprints));
  return {static_cast<std::int64_t>(fingerprints.size()), hex};
}

std::pair<std::int64_t, std::string> actual(const RunFingerprints& run) {
  const auto [count, digest] = run.digest();
  return {count, to_hex(digest)};
}

Digest fingerprint_of(int n) {
  return sha256("finding " + std::to_string(n));
}

Diagnostic finding(int line) {
  Diagnostic d;
  d.severity = Severity::kWarning;
  d.rule_id = "ELIG-PERIOD";
  d.file = "cb-p1-r1.csv";
  d.line = line;
  d.column = 4;
  d.field = "invoice_date";
  d.message = "line " + std::to_string(line);
  d.amount = Money::from_cents(line);
  return d;
}

}  // namespace

TEST_CASE("a run larger than its buffer digests as the in-memory definition",
          "[ledger][findings][fingerprints]") {
  const fs::path dir = fresh_dir("fp-chunks");
  RunFingerprints run(dir, 4);
  std::vector<Digest> noted;
  std::mt19937 random(7);
  for (int k = 0; k < 1000; ++k) {
    // Repeats within a chunk, across chunks and between the chunks and the buffer.
    const Digest fingerprint = fingerprint_of(static_cast<int>(random() % 600));
    run.add(fingerprint);
    noted.push_back(fingerprint);
  }
  CHECK(run.chunk_count() == 250);
  CHECK(actual(run) == expected(noted));
  CHECK(actual(run).first < 600);  // the repeats counted once
  run.add(fingerprint_of(5000));   // one in the buffer only
  noted.push_back(fingerprint_of(5000));
  CHECK(actual(run) == expected(noted));
  // The file is anonymous: nothing is left with a name in the ledger's directory.
  CHECK(fs::is_empty(dir));
}

TEST_CASE("a roll back across chunk boundaries keeps exactly what came before the mark",
          "[ledger][findings][fingerprints]") {
  RunFingerprints run(fresh_dir("fp-rollback"), 4);
  std::vector<Digest> before;
  for (int k = 0; k < 6; ++k) {  // one chunk written, two in the buffer
    run.add(fingerprint_of(k));
    before.push_back(fingerprint_of(k));
  }
  REQUIRE(run.chunk_count() == 1);
  const RunFingerprints::Mark mark = run.mark();
  for (int k = 100; k < 111; ++k)
    run.add(fingerprint_of(k));  // the mark's buffer flushed, and more
  REQUIRE(run.chunk_count() > 2);
  CHECK(actual(run).first == 17);
  run.roll_back_to(mark);
  CHECK(actual(run) == expected(before));
  CHECK(run.chunk_count() == 2);  // the chunk before the mark and the buffer's part before it
  // Noting goes on after the roll back, and rolling back to the same mark again works.
  for (int k = 200; k < 205; ++k) run.add(fingerprint_of(k));
  std::vector<Digest> more = before;
  for (int k = 200; k < 205; ++k) more.push_back(fingerprint_of(k));
  CHECK(actual(run) == expected(more));
  run.roll_back_to(mark);
  CHECK(actual(run) == expected(before));

  // A mark taken with an empty buffer, right after a flush.
  RunFingerprints at_boundary(fresh_dir("fp-rollback-boundary"), 4);
  for (int k = 0; k < 4; ++k) at_boundary.add(fingerprint_of(k));
  const RunFingerprints::Mark clean = at_boundary.mark();
  for (int k = 10; k < 19; ++k) at_boundary.add(fingerprint_of(k));
  at_boundary.roll_back_to(clean);
  CHECK(actual(at_boundary) ==
        expected({fingerprint_of(0), fingerprint_of(1), fingerprint_of(2), fingerprint_of(3)}));
}

TEST_CASE("random notes, marks and roll backs digest as a plain list would",
          "[ledger][findings][fingerprints]") {
  std::mt19937 random(2024);
  for (std::size_t capacity : {1, 2, 3, 5, 8}) {
    RunFingerprints run(fresh_dir("fp-random"), capacity);
    std::vector<Digest> model;
    RunFingerprints::Mark mark = run.mark();
    std::size_t model_mark = 0;
    for (int step = 0; step < 400; ++step) {
      const unsigned what = random() % 10;
      if (what < 7) {
        const Digest fingerprint = fingerprint_of(static_cast<int>(random() % 150));
        run.add(fingerprint);
        model.push_back(fingerprint);
      } else if (what < 9) {
        mark = run.mark();
        model_mark = model.size();
      } else {
        run.roll_back_to(mark);
        model.resize(model_mark);
      }
      if (step % 37 == 0) REQUIRE(actual(run) == expected(model));
    }
    CHECK(actual(run) == expected(model));
  }
}

TEST_CASE("a damaged scratch file fails the digest instead of attesting other fingerprints",
          "[ledger][findings][fingerprints]") {
  const auto damaged_run = [] {
    auto run = std::make_unique<RunFingerprints>(fresh_dir("fp-damaged"), 4);
    for (int k = 0; k < 12; ++k) run->add(fingerprint_of(k));
    REQUIRE(run->chunk_count() == 3);
    REQUIRE(run->scratch_file() != nullptr);
    return run;
  };
  {
    // One byte flipped: the chunk's checksum no longer matches.
    const auto run = damaged_run();
    unsigned char byte = 0;
    REQUIRE(::pread(run->scratch_file()->native_handle(), &byte, 1, 40) == 1);
    byte ^= 0x01;
    REQUIRE(::pwrite(run->scratch_file()->native_handle(), &byte, 1, 40) == 1);
    CHECK_THROWS_WITH(run->digest(), Catch::Contains("damaged (checksum)"));
  }
  {
    // The file cut short (a chunk's tail lost): the read says so.
    const auto run = damaged_run();
    REQUIRE(::ftruncate(run->scratch_file()->native_handle(), 2 * 4 * 32 + 16) == 0);
    CHECK_THROWS_WITH(run->digest(), Catch::Contains("short read"));
  }
}

TEST_CASE("only the latest mark can be rolled back to", "[ledger][findings][fingerprints]") {
  RunFingerprints run(fresh_dir("fp-stale-mark"), 4);
  const RunFingerprints::Mark stale = run.mark();
  run.add(fingerprint_of(1));
  const RunFingerprints::Mark latest = run.mark();
  CHECK_THROWS_AS(run.roll_back_to(stale), std::logic_error);
  run.add(fingerprint_of(2));
  run.roll_back_to(latest);
  CHECK(actual(run) == expected({fingerprint_of(1)}));
}

TEST_CASE("a ledger night larger than the buffer: known findings once, in the run's set",
          "[ledger][findings][fingerprints]") {
  // More findings than RunFingerprints' default buffer, so the ledger's runs spill chunks.
  const int n = static_cast<int>(RunFingerprints::kDefaultBufferCapacity) + 2000;
  const fs::path dir = fresh_dir("fp-ledger-nights");
  const fs::path file = dir / "l.sqlite";
  std::vector<Digest> fingerprints;
  for (int k = 1; k <= n; ++k) fingerprints.push_back(finding_fingerprint(finding(k)));
  std::int64_t first_run = 0;
  {
    auto ledger = Ledger::open(file);
    first_run = ledger->begin_run("2024-12-31", "");
    int first = 0;
    // Committed in two transactions, the second with a repeat of the first's.
    ledger->transaction([&] {
      for (int k = 1; k <= n / 2; ++k) first += ledger->record_finding(first_run, finding(k));
    });
    ledger->transaction([&] {
      for (int k = n / 2 + 1; k <= n; ++k) first += ledger->record_finding(first_run, finding(k));
      first += ledger->record_finding(first_run, finding(1));
    });
    CHECK(first == n);
    ledger->finish_run(first_run, RunRecord{});
  }
  // The next night: every finding again (each known: none written twice) and one new.
  auto ledger = Ledger::open(file);
  const std::int64_t second_run = ledger->begin_run("2024-12-31", "");
  int first = 0;
  ledger->transaction([&] {
    for (int k = n; k >= 1; --k) first += ledger->record_finding(second_run, finding(k));
    first += ledger->record_finding(second_run, finding(n + 1));
  });
  // A transaction rolled back after spilling more than a buffer of new findings: none counts.
  CHECK_THROWS_AS(ledger->transaction([&] {
    for (int k = n + 2; k <= 2 * n; ++k) ledger->record_finding(second_run, finding(k));
    throw std::runtime_error("disk full");
  }),
                  std::runtime_error);
  CHECK(first == 1);
  ledger->finish_run(second_run, RunRecord{});
  CHECK(query_integer(file, "SELECT count(*) FROM findings") == n + 1);
  CHECK(query_integer(file, "SELECT count(*) FROM findings WHERE run_id = " +
                                std::to_string(second_run)) == 1);
  const auto set_of = [&](std::int64_t run) {
    const std::optional<RunFindingSet> set = ledger->run_finding_set(run);
    REQUIRE(set);
    return std::pair<std::int64_t, std::string>{set->size, set->sha256};
  };
  CHECK(set_of(first_run) == expected(fingerprints));
  fingerprints.push_back(finding_fingerprint(finding(n + 1)));
  CHECK(set_of(second_run) == expected(fingerprints));
  // The scratch files were anonymous: only SQLite's files are in the ledger's directory.
  for (const auto& entry : fs::directory_iterator(dir)) {
    CHECK(entry.path().filename().string().rfind("l.sqlite", 0) == 0);
  }
}
