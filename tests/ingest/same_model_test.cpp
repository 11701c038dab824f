// XML and CSV are two spellings of one partner report: both must load into the same model.
#include <catch2/catch.hpp>

#include "ingest/document.h"
#include "support/process.h"

using namespace cofin;
using cofin::testing::slurp;

TEST_CASE("an xml and a csv of the same report give identical models", "[ingest]") {
  XercesRuntime runtime;
  XmlContext xml(runtime);
  const std::filesystem::path dir =
      std::filesystem::path(COFIN_SOURCE_DIR) / "fixtures/equivalence";
  Diagnostics diags;
  const std::string csv_bytes = slurp(dir / "same-report.csv");
  const std::string xml_bytes = slurp(dir / "same-report.xml");
  const LoadedDocument from_csv =
      load_document(xml, dir / "same-report.csv", "same-report.csv", csv_bytes, "utf-8", diags);
  const LoadedDocument from_xml =
      load_document(xml, dir / "same-report.xml", "same-report.xml", xml_bytes, "utf-8", diags);
  for (const auto& d : diags.items()) UNSCOPED_INFO(format_diagnostic(d));
  REQUIRE_FALSE(diags.has_errors());
  REQUIRE(from_csv.kind == DocumentKind::kReport);
  REQUIRE(from_xml.kind == DocumentKind::kReport);
  const auto& a = std::get<PartnerReport>(from_csv.content);
  const auto& b = std::get<PartnerReport>(from_xml.content);
  REQUIRE(a.lines.size() == 4);
  CHECK(a.lines[1].description == "Workshop\ntvå dagar");
  CHECK(a.lines[1].supplier == "Visby \"Konsult\" AB");
  CHECK(a.lines[2].declared == Money::from_cents(-125000));
  CHECK(a.lines[0].units == parse_decimal("162.5", 2));
  for (std::size_t k = 0; k < a.lines.size(); ++k) {
    INFO("line " << a.lines[k].line);
    CHECK(same_content(a.lines[k], b.lines[k]));
  }
  CHECK(same_content(a, b));
  // A changed field is seen: the comparison is not vacuous.
  PartnerReport changed = b;
  changed.lines[3].reincluded_from = "R1.8";
  CHECK_FALSE(same_content(a, changed));
}
