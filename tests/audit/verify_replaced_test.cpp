// audit verify: two inputs kept at one place means the first original was replaced (the bug a
// commit group once had: two rejected files given the same quarantine name).
#include <catch2/catch.hpp>

#include <fstream>

#include "audit/sha256.h"
#include "audit/verify.h"
#include "ledger/ledger.h"
#include "support/process.h"

using namespace cofin;
using namespace cofin::testing;
namespace fs = std::filesystem;

namespace {

std::string rejected_payload(const std::string& sha256, const fs::path& stored) {
  return R"({"event":"document-rejected","sha256":")" + sha256 + R"(","stored_path":")" +
         stored.string() + R"("})";
}

}  // namespace

TEST_CASE("audit verify reports an input's original replaced by another input's bytes", "[audit]") {
  const fs::path dir = fresh_dir("verify-replaced");
  auto ledger = Ledger::open(dir / "l.sqlite");
  const std::int64_t run = ledger->begin_run("2025-01-31", "2025-01-31T00:00:00Z");
  const fs::path kept = dir / "bad-2.xml";
  std::ofstream(kept) << "second";
  ledger->transaction([&] {
    ledger->append_audit(run, "document-rejected", rejected_payload(sha256_hex("first"), kept));
    ledger->append_audit(run, "document-rejected", rejected_payload(sha256_hex("second"), kept));
  });
  const VerifyResult broken = verify_audit_trail(*ledger, {});
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.problems.front().seq == 1);  // the event whose original is gone
  CHECK(broken.problems.front().reason.find("bad-2.xml was replaced: event 2") !=
        std::string::npos);

  // Each at its own place: nothing to report.
  const fs::path other_dir = dir / "ok";
  fs::create_directories(other_dir);
  auto fine = Ledger::open(other_dir / "l.sqlite");
  const std::int64_t run2 = fine->begin_run("2025-01-31", "2025-01-31T00:00:00Z");
  std::ofstream(other_dir / "a.xml") << "first";
  std::ofstream(other_dir / "b.xml") << "second";
  fine->transaction([&] {
    fine->append_audit(run2, "document-rejected",
                       rejected_payload(sha256_hex("first"), other_dir / "a.xml"));
    fine->append_audit(run2, "document-rejected",
                       rejected_payload(sha256_hex("second"), other_dir / "b.xml"));
  });
  const VerifyResult ok = verify_audit_trail(*fine, {});
  INFO((ok.problems.empty() ? std::string() : ok.problems.front().reason));
  CHECK(ok.ok());
}
