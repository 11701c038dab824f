// The fuzz targets' properties (tests/fuzz/properties/*.h) replayed in the default suite over
// every seed, committed corpus input and regression input (tests/fuzz/inputs.sh): the crashes
// the campaigns found stay fixed in the ordinary g++ build and under COFIN_SANITIZE=ON, not only
// in the clang fuzz build.
#include <catch2/catch.hpp>
#include <sstream>

#include "fuzz/targets.h"
#include "support/process.h"

using namespace cofin;
namespace fs = std::filesystem;

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define COFIN_LSAN 1
#endif

namespace {

const fs::path kRepo = COFIN_SOURCE_DIR;

// Under COFIN_SANITIZE, LeakSanitizer ignores what the XML targets allocate. Debian's Xerces-C
// leaks inside itself on some rejected documents (tests/fuzz/lsan.supp) and, built without frame
// pointers, gives stacks too short to tell its leak from one of cofin's here; the fuzz build's
// replay (ctest -L fuzz) checks these inputs for leaks with full stacks instead.
struct IgnoreLeaksOfXerces {
  explicit IgnoreLeaksOfXerces(bool xml) : active(xml) {
#ifdef COFIN_LSAN
    if (active) __lsan_disable();
#endif
  }
  ~IgnoreLeaksOfXerces() {
#ifdef COFIN_LSAN
    if (active) __lsan_enable();
#endif
  }
  bool active;
};

std::vector<std::string> inputs_of(std::string_view target, const fs::path& scratch) {
  const auto r = testing::run_shell(
      "'" + (kRepo / "tests/fuzz/inputs.sh").string() + "' " + std::string(target), scratch);
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> files;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) files.push_back(line);
  return files;
}

}  // namespace

TEST_CASE("fuzz properties hold on every seed, corpus and regression input", "[fuzz][hostile]") {
  XercesRuntime runtime;
  XmlContext xml(runtime);
  const fs::path scratch = testing::fresh_dir("fuzz-replay");
  std::size_t replayed = 0;
  for (const fuzz::Target& target : fuzz::targets()) {
    const auto files = inputs_of(target.name, scratch);
    INFO("target " << target.name);
    CHECK(!files.empty());
    for (const std::string& file : files) {
      INFO(file);
      const std::string input = testing::slurp(kRepo / file);
      IgnoreLeaksOfXerces ignore(target.name.starts_with("xml_"));
      CHECK(target.run(xml, input) == "");
      ++replayed;
    }
  }
  CHECK(replayed > 200);
}

TEST_CASE("fuzz properties catch what they claim to", "[fuzz][hostile]") {
  // Each property must be able to fail: a reader that broke its contract would be noticed.
  Diagnostics accepted_with_error;
  accepted_with_error.error("READ-IO", "f", 1, 0, "", "message");
  CHECK(fuzz::check_diagnostics(accepted_with_error, true) != "");
  CHECK(fuzz::check_diagnostics(Diagnostics{}, false) != "");
  Diagnostics undocumented;
  undocumented.error("NO-SUCH-RULE", "f", 1, 0, "", "message");
  CHECK(fuzz::check_diagnostics(undocumented, false).find("undocumented rule id") !=
        std::string::npos);
  CHECK(fuzz::documented_rule_ids().contains("XML-DOCTYPE"));
  CHECK(fuzz::detail::first_bad_utf8("ok \xC0\xAF") == 3);
  CHECK(fuzz::detail::first_bad_utf8("ok \xE2\x82\xAC") == std::string_view::npos);
  std::int64_t cents = 0;
  REQUIRE(fuzz::detail::reference_cents("-1 234,5", cents));
  CHECK(cents == -123450);
  PartnerReport empty;
  CHECK(fuzz::check_report(empty, true) == "accepted a report without lines");
}
