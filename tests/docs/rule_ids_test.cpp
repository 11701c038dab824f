// Every rule id the code can emit is documented in docs/rule-ids.md: controllers and scripts
// filter on them, so an undocumented id is a broken contract.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <set>

#include "support/process.h"

namespace fs = std::filesystem;
using cofin::testing::slurp;

TEST_CASE("every rule id in the code is documented", "[docs]") {
  const fs::path repo = COFIN_SOURCE_DIR;
  const std::regex id_literal(
      "\"((READ|XML|CSV|VALUE|REF|RATE|DOC|CAT|STAFF|ELIG|AMOUNT|UNIT|VAT|PROCUREMENT|DUP|"
      "REINCLUDED|BUDGET|DEADLINE|ERDF|STATE|PAYMENT)-[A-Z][A-Z-]*)\"");
  std::set<std::string> in_code;
  for (const auto& entry : fs::recursive_directory_iterator(repo / "src")) {
    if (!entry.is_regular_file()) continue;
    const std::string text = slurp(entry.path());
    for (std::sregex_iterator it(text.begin(), text.end(), id_literal), end; it != end; ++it) {
      in_code.insert((*it)[1]);
    }
  }
  REQUIRE(in_code.size() > 50);
  const std::string doc = slurp(repo / "docs/rule-ids.md");
  for (const std::string& id : in_code) {
    INFO(id);
    CHECK(doc.find("| `" + id + "` |") != std::string::npos);
  }
}
