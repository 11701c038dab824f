// The fuzz targets by name: one libFuzzer executable per entry (tests/fuzz/CMakeLists.txt), and
// the same properties replayed over the committed corpora in the default test suite.
#pragma once

#include <span>
#include <string_view>

#include "fuzz/properties/csv.h"
#include "fuzz/properties/encoding.h"
#include "fuzz/properties/values.h"
#include "fuzz/properties/xml.h"
#include "ingest/xml_parser.h"

namespace cofin::fuzz {

struct Target {
  std::string_view name;  // also the directory name under tests/fuzz/{corpus,regressions}
  Violation (*run)(const XmlContext& xml, std::string_view input);
};

// Returns every target. Keep in step with tests/fuzz/seeds.txt and tests/fuzz/CMakeLists.txt.
inline std::span<const Target> targets() {
  static constexpr Target kTargets[] = {
      {"csv_reader", [](const XmlContext&, std::string_view in) { return csv_reader(in); }},
      {"csv_report", [](const XmlContext&, std::string_view in) { return csv_report(in); }},
      {"csv_rates", [](const XmlContext&, std::string_view in) { return csv_rates(in); }},
      {"amount", [](const XmlContext&, std::string_view in) { return amount(in); }},
      {"date", [](const XmlContext&, std::string_view in) { return date(in); }},
      {"encoding", [](const XmlContext&, std::string_view in) { return encoding(in); }},
      {"money_roundtrip",
       [](const XmlContext&, std::string_view in) { return money_roundtrip(in); }},
      {"xml_document", xml_document},
      {"xml_programme", xml_programme},
      {"xml_job", xml_job},
  };
  return kTargets;
}

// Returns the target called `name`, or nullptr.
inline const Target* find_target(std::string_view name) {
  for (const Target& t : targets()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

}  // namespace cofin::fuzz
