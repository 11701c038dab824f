// A report's lines spilled as they are parsed (calc/line_spill.h: LineSpiller, given to
// ingest/document.h: load_document) against the lines a report holds when loaded without it:
// the same diagnostics, the same header, and every line back with every field, pos included,
// with the same invoice marks and records.
#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "calc/line_spill.h"
#include "ingest/document.h"
#include "model/line_codec.h"
#include "rules/invoice_key.h"
#include "support/process.h"

using namespace cofin;
using cofin::testing::slurp;

namespace {

namespace fs = std::filesystem;

// A spill in memory.
class MemorySpill final : public Spill {
 public:
  SpillExtent append(std::string_view bytes) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    blobs_.emplace_back(bytes);
    return SpillExtent{blobs_.size() - 1, bytes.size(), 0};
  }
  SpillBytes read(const SpillExtent& extent) const override {
    const std::lock_guard<std::mutex> lock(mutex_);
    return SpillBytes::copy_of(blobs_.at(extent.offset));
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> blobs_;
};

std::vector<std::string> formatted(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diags.items()) out.push_back(format_diagnostic(d));
  return out;
}

// The lines' encoding holds every field, pos included, exactly (model/line_codec.h): equal
// encodings are identical lines.
std::string encoded(const std::vector<ExpenseLine>& lines) {
  std::string out;
  encode_lines(lines, out);
  return out;
}

// Loads `bytes` as `name` twice, without and with a LineSpiller, and requires the same outcome.
// Returns the number of lines of the report (0 when it was rejected or is no report).
std::size_t require_same_with_spiller(const XmlContext& xml, const std::string& name,
                                      const std::string& bytes) {
  INFO(name);
  Diagnostics held_diags;
  const LoadedDocument held = load_document(xml, name, name, bytes, "utf-8", held_diags);
  Diagnostics spilled_diags;
  LineSpiller spiller;
  LoadedDocument spilled = load_document(xml, name, name, bytes, "utf-8", spilled_diags, &spiller);
  REQUIRE(formatted(spilled_diags) == formatted(held_diags));
  REQUIRE(spilled.kind == held.kind);
  REQUIRE(spilled.ok() == held.ok());
  const auto* report = std::get_if<PartnerReport>(&held.content);
  if (report == nullptr) return 0;
  const auto& header = std::get<PartnerReport>(spilled.content);
  CHECK(header.lines.empty());
  CHECK(same_content(header, header_of(*report)));
  CHECK(header.pos.file == report->pos.file);
  CHECK(header.pos.line == report->pos.line);
  REQUIRE(spiller.count() == report->lines.size());

  const auto spill = std::make_shared<MemorySpill>();
  const std::shared_ptr<const SpilledLines> lines = spiller.finish(spill);
  CHECK(spiller.count() == 0);
  REQUIRE(lines->count() == report->lines.size());
  CHECK(encoded(lines->read()) == encoded(report->lines));
  CHECK(lines->invoice_marks() == invoice_marks(report->lines));
  // And as spill_lines spills a report it was given whole.
  PartnerReport whole = *report;
  const std::shared_ptr<const SpilledLines> from_whole = spill_lines(spill, whole);
  CHECK(whole.lines.empty());
  CHECK(encoded(from_whole->read()) == encoded(report->lines));
  const auto every = [](InvoiceMark) { return true; };
  CHECK(encoded(lines->invoice_lines(every)) == encoded(from_whole->invoice_lines(every)));
  return report->lines.size();
}

}  // namespace

TEST_CASE("lines spilled as they are parsed are the lines a loaded report holds", "[spill]") {
  XercesRuntime runtime;
  XmlContext xml(runtime);
  const fs::path fixtures = fs::path(COFIN_SOURCE_DIR) / "fixtures";
  std::size_t lines = 0;
  std::size_t files = 0;
  // Good and bad CSV files (rejected ones must say the same), the XML report, the equivalence
  // pair (quoted newlines, quotes, negative amounts).
  for (const fs::path& dir : {fixtures / "csv/good", fixtures / "csv/bad", fixtures / "xml/good",
                              fixtures / "equivalence"}) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string ext = entry.path().extension().string();
      if (ext != ".csv" && ext != ".xml") continue;
      lines +=
          require_same_with_spiller(xml, entry.path().filename().string(), slurp(entry.path()));
      ++files;
    }
  }
  CHECK(files > 30);
  CHECK(lines > 10);  // the comparison is not vacuous
}

TEST_CASE("a row parsed into the line of the row before keeps nothing of it", "[spill]") {
  // Each row is parsed into one reused line. A field left unset because its text is wrong must
  // read as in a new line: here row 3's currency "sek" is not a currency, and a line that kept
  // row 2's "SEK" would also give "a unit-cost line is in EUR" (VALUE-INCONSISTENT); row 4's
  // unit-cost line after row 3's units checks the units of its own row.
  const std::string csv =
      "project,partner,report,period-start,period-end,submitted-on,line,category,unit-cost,units,"
      "internal-ref,invoice-no,invoice-date,payment-date,supplier,supplier-id,procurement-ref,"
      "description,invoice-total,vat,declared,currency,reincluded-from\n"
      "GEN0001,1,1,2024-01-01,2024-06-30,2024-07-10,1,external,,,IR-1,INV-1,2024-02-01,"
      "2024-02-10,Supplier AB,SE5560000001,,\"Workshop, day 1\",1200.00,240.00,1200.00,SEK,\n"
      "GEN0001,1,1,2024-01-01,2024-06-30,2024-07-10,2,staff,staff-hour,10.00,,,,,,,,Hours,,,"
      "406.80,sek,\n"
      "GEN0001,1,1,2024-01-01,2024-06-30,2024-07-10,3,staff,staff-hour,,,,,,,,,Hours,,,"
      "406.80,EUR,R1.1\n";
  XercesRuntime runtime;
  XmlContext xml(runtime);
  Diagnostics diags;
  LineSpiller spiller;
  const LoadedDocument doc = load_document(xml, "r.csv", "r.csv", csv, "utf-8", diags, &spiller);
  CHECK_FALSE(doc.ok());
  std::vector<std::string> ids;
  for (const Diagnostic& d : diags.items()) ids.push_back(d.rule_id + "@" + std::to_string(d.line));
  CHECK(ids == std::vector<std::string>{"VALUE-ENUM@3", "VALUE-INCONSISTENT@4"});
  require_same_with_spiller(xml, "r.csv", csv);
}
