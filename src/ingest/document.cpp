#include "ingest/document.h"

#include <algorithm>

#include "ingest/csv_rates.h"
#include "ingest/csv_reader.h"
#include "ingest/csv_report.h"
#include "ingest/encoding.h"
#include "ingest/xml_documents.h"

namespace cofin {

std::string_view document_kind_name(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::kJob:
      return "job";
    case DocumentKind::kProgramme:
      return "programme";
    case DocumentKind::kRegistry:
      return "registry";
    case DocumentKind::kReport:
      return "report";
    case DocumentKind::kControlResult:
      return "control-result";
    case DocumentKind::kEvents:
      return "events";
    case DocumentKind::kRates:
      return "rates";
    case DocumentKind::kUnknown:
      break;
  }
  return "unknown";
}

namespace {

bool looks_like_xml(std::string_view bytes) {
  std::size_t i = 0;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < bytes.size() &&
         (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n')) {
    ++i;
  }
  return i < bytes.size() && bytes[i] == '<';
}

DocumentKind kind_of_namespace(std::string_view ns) {
  if (ns == kJobNamespace) return DocumentKind::kJob;
  if (ns == kProgrammeNamespace) return DocumentKind::kProgramme;
  if (ns == kRegistryNamespace) return DocumentKind::kRegistry;
  if (ns == kReportNamespace) return DocumentKind::kReport;
  if (ns == kControlNamespace) return DocumentKind::kControlResult;
  if (ns == kEventsNamespace) return DocumentKind::kEvents;
  return DocumentKind::kUnknown;
}

template <typename T>
DocumentContent wrap(std::optional<T>&& value) {
  if (!value) return std::monostate{};
  return DocumentContent(std::move(*value));
}

}  // namespace

DocumentKind detect_kind(std::string_view bytes) {
  if (looks_like_xml(bytes)) {
    const auto ns = xml_root_namespace(bytes);
    return ns ? kind_of_namespace(*ns) : DocumentKind::kUnknown;
  }
  switch (detect_csv_kind(bytes)) {
    case CsvKind::kReport:
      return DocumentKind::kReport;
    case CsvKind::kRates:
      return DocumentKind::kRates;
    case CsvKind::kUnknown:
      break;
  }
  return DocumentKind::kUnknown;
}

LoadedDocument load_document(const XmlContext& xml, const std::filesystem::path& path,
                             const std::string& display_name, std::string_view bytes,
                             std::string_view charset, Diagnostics& diags, LineSink* lines) {
  LoadedDocument doc;
  if (bytes.empty()) {
    diags.error("READ-EMPTY", display_name, 0, 0, "", "the file is empty");
    return doc;
  }
  if (looks_like_xml(bytes)) {
    const auto ns = xml_root_namespace(bytes);
    doc.kind = ns ? kind_of_namespace(*ns) : DocumentKind::kUnknown;
    switch (doc.kind) {
      case DocumentKind::kJob:
        doc.content = wrap(read_job_xml(xml, path, display_name, bytes, diags));
        break;
      case DocumentKind::kProgramme:
        doc.content = wrap(read_programme_xml(xml, display_name, bytes, diags));
        break;
      case DocumentKind::kRegistry:
        doc.content = wrap(read_registry_xml(xml, display_name, bytes, diags));
        break;
      case DocumentKind::kReport:
        doc.content = wrap(read_report_xml(xml, display_name, bytes, diags));
        if (auto* report = std::get_if<PartnerReport>(&doc.content); report && lines) {
          for (const ExpenseLine& line : report->lines) lines->add(line);
          std::vector<ExpenseLine>().swap(report->lines);
        }
        break;
      case DocumentKind::kControlResult:
        doc.content = wrap(read_control_xml(xml, display_name, bytes, diags));
        break;
      case DocumentKind::kEvents:
        doc.content = wrap(read_events_xml(xml, display_name, bytes, diags));
        break;
      default:
        // Let the parser say what is wrong (malformed, DOCTYPE, namespace) in its own words.
        xml.parse(display_name, bytes, diags);
        if (!diags.has_errors()) {
          diags.error("XML-NAMESPACE", display_name, 1, 0, "",
                      "root element is in no cofin namespace; expected one of "
                      "urn:cofin:{job,programme,registry,report,control,events}:1");
        }
        break;
    }
    return doc;
  }
  // Valid UTF-8 is read in place, not copied: the view points into `bytes`.
  std::string decoded;
  const std::optional<std::string_view> utf8 =
      decode_to_utf8_view(display_name, bytes, charset, diags, decoded);
  if (!utf8) return doc;
  switch (detect_csv_kind(*utf8)) {
    case CsvKind::kReport:
      doc.kind = DocumentKind::kReport;
      doc.content = wrap(read_report_csv(display_name, *utf8, diags, lines));
      break;
    case CsvKind::kRates:
      doc.kind = DocumentKind::kRates;
      doc.content = wrap(read_rates_csv(display_name, *utf8, diags));
      break;
    case CsvKind::kUnknown: {
      const std::string_view text = *utf8;
      const std::string_view first_line = text.substr(0, text.find_first_of("\r\n"));
      diags.error("READ-KIND", display_name, 1, 0, "",
                  "not a cofin document: neither XML nor a known CSV header (first line " +
                      quote(first_line) +
                      "; a report CSV starts with project,partner,report,...; rates with "
                      "currency,year,month,units_per_eur)");
      break;
    }
  }
  return doc;
}

std::string business_key(const LoadedDocument& doc, const std::string& sha256) {
  if (const auto* r = std::get_if<PartnerReport>(&doc.content)) {
    return "report/" + r->project + "/" + std::to_string(r->partner) + "/" +
           std::to_string(r->report);
  }
  if (const auto* c = std::get_if<ControlResult>(&doc.content)) {
    return "control/" + c->project + "/" + std::to_string(c->partner) + "/" +
           std::to_string(c->report) + "/" + c->replaces;
  }
  if (const auto* e = std::get_if<EventsDocument>(&doc.content)) {
    std::vector<std::string> ids;
    for (const Event& event : e->events) {
      ids.push_back(std::visit([](const auto& ev) { return ev.id; }, event));
    }
    std::sort(ids.begin(), ids.end());
    std::string key = "events/";
    for (std::size_t k = 0; k < ids.size(); ++k) key += (k ? "," : "") + ids[k];
    return key;
  }
  return std::string(document_kind_name(doc.kind)) + "/" + sha256;
}

}  // namespace cofin
