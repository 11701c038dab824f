// `cofin check`: validates input files, changes nothing.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <vector>

#include "ingest/xml_parser.h"

namespace cofin {

struct CheckSummary {
  int files = 0;
  int rejected = 0;  // files with an error-severity finding, or unreadable
  int errors = 0;
  int warnings = 0;
  int exit_code = 0;
};

// Checks each file: its kind, its schema or CSV layout and values; with `job_file` also its
// references to the job's rule sets, registry and exchange rates, and the job's declared
// encodings. Prints one `FILE:LINE[:COL]: SEVERITY RULE-ID: message` line per finding to `out`.
// Throws ConfigError when the job itself is unusable.
CheckSummary check_files(const XmlContext& xml,
                         const std::optional<std::filesystem::path>& job_file,
                         const std::vector<std::filesystem::path>& files, std::ostream& out);

}  // namespace cofin
