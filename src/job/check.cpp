#include "job/check.h"

#include "ingest/document.h"
#include "job/errors.h"
#include "job/files.h"
#include "job/job_context.h"
#include "rules/references.h"

namespace cofin {
namespace fs = std::filesystem;

CheckSummary check_files(const XmlContext& xml, const std::optional<fs::path>& job_file,
                         const std::vector<fs::path>& files, std::ostream& out) {
  std::optional<JobContext> ctx;
  if (job_file) {
    Diagnostics job_diags;
    try {
      ctx = load_job(xml, *job_file, job_diags);
    } catch (const ConfigError&) {
      for (const Diagnostic& d : job_diags.items()) out << format_diagnostic(d) << '\n';
      throw;
    }
    for (const Diagnostic& d : job_diags.items()) out << format_diagnostic(d) << '\n';
  }
  CheckSummary summary;
  for (const fs::path& path : files) {
    ++summary.files;
    const std::string name = path.string();
    Diagnostics diags;
    std::string bytes;
    bool readable = true;
    try {
      bytes = read_file(path);
    } catch (const IoError& e) {
      diags.error("READ-IO", name, 0, 0, "", e.what());
      readable = false;
    }
    if (readable) {
      const std::string charset = ctx ? ctx->job.charset_for(path.filename().string()) : "utf-8";
      const LoadedDocument doc = load_document(xml, path, name, bytes, charset, diags);
      if (ctx && doc.ok()) {
        if (const auto* report = std::get_if<PartnerReport>(&doc.content)) {
          check_report_references(*report, ctx->registry, ctx->programmes, ctx->rates, diags);
        } else if (const auto* control = std::get_if<ControlResult>(&doc.content)) {
          check_control_references(*control, nullptr, ctx->registry, ctx->programmes, diags);
        }
      }
    }
    for (const Diagnostic& d : diags.items()) {
      out << format_diagnostic(d) << '\n';
      if (d.severity == Severity::kError) ++summary.errors;
      if (d.severity == Severity::kWarning) ++summary.warnings;
    }
    if (diags.has_errors()) ++summary.rejected;
  }
  summary.exit_code = summary.rejected > 0 ? kExitRejected : kExitOk;
  return summary;
}

}  // namespace cofin
