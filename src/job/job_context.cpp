#include "job/job_context.h"

#include "audit/sha256.h"
#include "ingest/document.h"
#include "job/errors.h"
#include "job/files.h"

namespace cofin {
namespace fs = std::filesystem;

std::string JobContext::display(const fs::path& path) const {
  const fs::path base = fs::current_path();
  std::error_code ec;
  const fs::path relative = fs::relative(path, base, ec);
  if (ec || relative.empty() || relative.native().starts_with("..")) return path.string();
  return relative.string();
}

namespace {

// Reads one configuration document of the expected kind; returns its content or throws.
template <typename T>
T load_config(const XmlContext& xml, JobContext& ctx, const fs::path& path, DocumentKind expected,
              Diagnostics& diags) {
  const std::string name = ctx.display(path);
  std::string bytes;
  try {
    bytes = read_file(path);
  } catch (const IoError& e) {
    diags.error("READ-IO", name, 0, 0, "", e.what());
    throw ConfigError(name + ": cannot read the job's " +
                      std::string(document_kind_name(expected)));
  }
  const std::string sha = sha256_hex(bytes);
  LoadedDocument doc = load_document(xml, path, name, bytes, "utf-8", diags);
  if (doc.ok() && doc.kind != expected) {
    diags.error("READ-KIND", name, 0, 0, "",
                "expected a " + std::string(document_kind_name(expected)) + " document, found " +
                    std::string(document_kind_name(doc.kind)));
  }
  if (!doc.ok() || doc.kind != expected) {
    throw ConfigError(name + (expected == DocumentKind::kJob
                                  ? std::string(": the job file is not valid")
                                  : ": the job's " + std::string(document_kind_name(expected)) +
                                        " is not valid"));
  }
  ctx.inputs.push_back(
      {name, std::string(document_kind_name(expected)), sha, bytes.size(), "input", ""});
  if constexpr (std::is_same_v<T, ProgrammeRules>) {
    ctx.rule_sets.push_back({std::get<ProgrammeRules>(doc.content).id, name, sha});
  }
  return std::get<T>(std::move(doc.content));
}

}  // namespace

JobContext load_job(const XmlContext& xml, const fs::path& job_file, Diagnostics& diags) {
  JobContext ctx;
  const fs::path absolute = fs::absolute(job_file).lexically_normal();
  ctx.job = load_config<Job>(xml, ctx, absolute, DocumentKind::kJob, diags);
  ctx.job.file = absolute;
  for (const fs::path& p : ctx.job.programmes) {
    ctx.programmes.push_back(
        load_config<ProgrammeRules>(xml, ctx, p, DocumentKind::kProgramme, diags));
  }
  ctx.registry = load_config<Registry>(xml, ctx, ctx.job.registry, DocumentKind::kRegistry, diags);
  for (const fs::path& p : ctx.job.rates) {
    for (const ExchangeRate& rate :
         load_config<std::vector<ExchangeRate>>(xml, ctx, p, DocumentKind::kRates, diags)) {
      if (!ctx.rates.add(rate)) {
        diags.error("VALUE-INCONSISTENT", rate.pos.file, rate.pos.line, 0, "units_per_eur",
                    rate.currency + " " + std::to_string(rate.year) + "-" +
                        std::to_string(rate.month) + " has two different rates in the job");
        throw ConfigError(ctx.display(p) + ": conflicting exchange rates");
      }
    }
  }
  for (const Project& project : ctx.registry.projects) {
    bool known = false;
    for (const ProgrammeRules& r : ctx.programmes) known = known || r.id == project.programme_id;
    if (!known) {
      diags.warning("REF-PROGRAMME", ctx.display(ctx.job.registry), 0, 0, "programme",
                    "project " + project.id + " belongs to programme " + project.programme_id +
                        ", which has no rule set in the job: its reports will be rejected");
    }
  }
  return ctx;
}

}  // namespace cofin
