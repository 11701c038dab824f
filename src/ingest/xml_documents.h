// Reads cofin's XML documents into the model: parse and validate (xml_parser.h), then map the
// element tree onto the model's structs with the value checks an XSD cannot make.
//
// Every reader returns nullopt when the document has an error (the diagnostics say which);
// `file` names the document in diagnostics and SourcePos; `bytes` is the whole file.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "ingest/xml_parser.h"
#include "model/control.h"
#include "model/diagnostic.h"
#include "model/events.h"
#include "model/job.h"
#include "model/programme.h"
#include "model/registry.h"
#include "model/report.h"

namespace cofin {

// A job file (schemas/job.xsd). Relative paths resolve against the job file's directory; a
// ledger "sqlite:REL" becomes "sqlite:" + the resolved path. Job::file is `file`.
std::optional<Job> read_job_xml(const XmlContext& xml, const std::filesystem::path& file,
                                std::string_view bytes, Diagnostics& diags);
// The same, with diagnostics naming the file `display_name` (paths still resolve against
// `file`'s directory).
std::optional<Job> read_job_xml(const XmlContext& xml, const std::filesystem::path& file,
                                const std::string& display_name, std::string_view bytes,
                                Diagnostics& diags);

// A programme rule set (schemas/programme.xsd).
std::optional<ProgrammeRules> read_programme_xml(const XmlContext& xml,
                                                 const std::filesystem::path& file,
                                                 std::string_view bytes, Diagnostics& diags);

// The registry of approved projects (schemas/registry.xsd).
std::optional<Registry> read_registry_xml(const XmlContext& xml, const std::filesystem::path& file,
                                          std::string_view bytes, Diagnostics& diags);

// A partner report (schemas/report.xsd). Each line's SourcePos is the line of its <line> tag.
std::optional<PartnerReport> read_report_xml(const XmlContext& xml,
                                             const std::filesystem::path& file,
                                             std::string_view bytes, Diagnostics& diags);

// A first-level control result (schemas/control.xsd).
std::optional<ControlResult> read_control_xml(const XmlContext& xml,
                                              const std::filesystem::path& file,
                                              std::string_view bytes, Diagnostics& diags);

// Approval and payment events (schemas/events.xsd).
std::optional<EventsDocument> read_events_xml(const XmlContext& xml,
                                              const std::filesystem::path& file,
                                              std::string_view bytes, Diagnostics& diags);

}  // namespace cofin
