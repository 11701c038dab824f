// Any input document: tells its kind from its content (XML root namespace, CSV header) and reads
// it into the model. The one entry point `check` and `run` use.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ingest/xml_parser.h"
#include "model/control.h"
#include "model/diagnostic.h"
#include "model/events.h"
#include "model/job.h"
#include "model/programme.h"
#include "model/rates.h"
#include "model/registry.h"
#include "model/report.h"

namespace cofin {

enum class DocumentKind {
  kUnknown,
  kJob,
  kProgramme,
  kRegistry,
  kReport,
  kControlResult,
  kEvents,
  kRates,
};

// Returns "job", "programme", "registry", "report", "control-result", "events", "rates" or
// "unknown".
std::string_view document_kind_name(DocumentKind kind);

using DocumentContent = std::variant<std::monostate, Job, ProgrammeRules, Registry, PartnerReport,
                                     ControlResult, EventsDocument, std::vector<ExchangeRate>>;

struct LoadedDocument {
  DocumentKind kind = DocumentKind::kUnknown;
  DocumentContent content;  // std::monostate when the document was rejected
  bool ok() const { return content.index() != 0; }
};

// Returns the kind of document `bytes` hold, without validating it: XML by its root element's
// namespace, CSV by its header. `charset` is the declared encoding for CSV ("utf-8" default).
DocumentKind detect_kind(std::string_view bytes);

// Reads `bytes` (the content of `path`; `display_name` is how diagnostics name it) as whatever
// document it is. CSV is decoded from `charset` first. Errors go to `diags`; on any error the
// content is std::monostate.
// With `lines`, a partner report's lines go to it one by one, in reading order, and the report
// loaded has none (a CSV report's as each row is parsed, an XML report's once it is read); when
// the document is rejected, what `lines` got means nothing.
LoadedDocument load_document(const XmlContext& xml, const std::filesystem::path& path,
                             const std::string& display_name, std::string_view bytes,
                             std::string_view charset, Diagnostics& diags,
                             LineSink* lines = nullptr);

// Returns the document's business key (spec "Identity"): "report/PROJECT/PARTNER/REPORT",
// "control/PROJECT/PARTNER/REPORT/REPLACES", "events/ID[,ID...]", "rates/SHA"...
std::string business_key(const LoadedDocument& doc, const std::string& sha256);

}  // namespace cofin
