#include "job/run.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "audit/sha256.h"
#include "ingest/document.h"
#include "job/errors.h"
#include "job/files.h"
#include "job/job_context.h"
#include "job/lock.h"
#include "job/state.h"
#include "ledger/ledger.h"
#include "workbook/workbook.h"

namespace cofin {
namespace fs = std::filesystem;

Date today_utc() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day ymd{now};
  return *Date::from_ymd(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                         static_cast<unsigned>(ymd.day()));
}

namespace {

// Spec "Order within a run": rate tables, then reports, then control results, then events.
int kind_rank(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::kRates:
      return 0;
    case DocumentKind::kReport:
      return 1;
    case DocumentKind::kControlResult:
      return 2;
    case DocumentKind::kEvents:
      return 3;
    default:
      return 4;
  }
}

struct Candidate {
  fs::path path;
  std::string name;     // file name in the inbox
  std::string display;  // how messages name it
  std::string sha256;
  std::uint64_t size = 0;
  LoadedDocument doc;
  Diagnostics diags;
  std::string key;
};

fs::path ledger_path(const Job& job) {
  const std::string prefix = "sqlite:";
  if (!job.ledger.starts_with(prefix)) {
    throw ConfigError("ledger " + job.ledger + ": only sqlite:PATH is supported");
  }
  return fs::path(job.ledger.substr(prefix.size()));
}

void make_dir(const fs::path& dir, const char* what) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw IoError(std::string("cannot create the ") + what + " " + dir.string() + ": " +
                  ec.message());
}

std::shared_ptr<spdlog::logger> make_logger(const fs::path& log_file, bool quiet) {
  std::vector<spdlog::sink_ptr> sinks;
  auto stderr_sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  stderr_sink->set_pattern("%v");
  stderr_sink->set_level(quiet ? spdlog::level::err : spdlog::level::info);
  sinks.push_back(stderr_sink);
  auto file_sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(log_file.string(), false);
  file_sink->set_pattern("%Y-%m-%dT%H:%M:%S%z %l %v");
  sinks.push_back(file_sink);
  auto logger = std::make_shared<spdlog::logger>("run", sinks.begin(), sinks.end());
  logger->set_level(spdlog::level::info);
  logger->flush_on(spdlog::level::info);
  return logger;
}

// Returns the inbox files a run may take: regular, not symlinks, not `.part`, not hidden, not
// modified within the settle time. Sorted by name.
std::vector<fs::path> stable_inbox_files(const Job& job, int& waiting) {
  std::vector<fs::path> files;
  std::error_code ec;
  fs::directory_iterator it(job.inbox, ec);
  if (ec) throw IoError("cannot list the inbox " + job.inbox.string() + ": " + ec.message());
  const auto now = fs::file_time_type::clock::now();
  for (const fs::directory_entry& entry : it) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(".")) continue;
    const fs::file_status status = entry.symlink_status();
    if (!fs::is_regular_file(status)) continue;  // symlinks, directories, devices
    if (name.ends_with(".part")) {
      ++waiting;
      continue;
    }
    const auto age = now - entry.last_write_time();
    if (age < std::chrono::seconds(job.settle_seconds)) {
      ++waiting;
      continue;
    }
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string first_error(const Diagnostics& diags) {
  for (const Diagnostic& d : diags.items()) {
    if (d.severity == Severity::kError) return format_diagnostic(d);
  }
  return "rejected";
}

}  // namespace

RunSummary run_job(const XmlContext& xml, const fs::path& job_file, const RunOptions& options) {
  Diagnostics config_diags;
  JobContext ctx;
  try {
    ctx = load_job(xml, job_file, config_diags);
  } catch (const ConfigError&) {
    for (const Diagnostic& d : config_diags.items())
      fmt::print(stderr, "{}\n", format_diagnostic(d));
    throw;
  }
  for (const Diagnostic& d : config_diags.items()) fmt::print(stderr, "{}\n", format_diagnostic(d));
  const Job& job = ctx.job;
  const Date as_of = options.as_of.value_or(today_utc());
  const fs::path ledger_file = ledger_path(job);
  make_dir(ledger_file.parent_path(), "ledger directory");
  make_dir(job.output_dir, "output directory");
  make_dir(job.quarantine, "quarantine");
  if (job.inbox_mode == InboxMode::kMove) make_dir(job.archive, "archive");

  JobLock lock(fs::path(ledger_file.string() + ".lock"));
  auto ledger = Ledger::open(ledger_file);
  const std::int64_t run_id = ledger->begin_run(as_of.to_string());
  make_dir(ledger_file.parent_path() / "logs", "log directory");
  auto log =
      make_logger(ledger_file.parent_path() / "logs" / ("run-" + std::to_string(run_id) + ".log"),
                  options.quiet);
  log->info("cofin {} run {} of job {} as of {}", COFIN_VERSION, run_id, job.name,
            as_of.to_string());
  const bool show_progress = !options.quiet && (options.progress || ::isatty(STDERR_FILENO));

  // Everything accepted before, re-read from where it is kept and checked against its hash.
  AcceptedState state(ctx, as_of);
  std::vector<InputOutcome> inputs = ctx.inputs;
  {
    std::vector<std::pair<DocumentRecord, LoadedDocument>> known;
    for (const DocumentRecord& record : ledger->accepted_documents()) {
      const std::string bytes = read_file(record.stored_path);
      if (sha256_hex(bytes) != record.sha256) {
        throw IoError(record.stored_path + " no longer matches its SHA-256 in the ledger (" +
                      record.sha256 + "): an accepted original was changed");
      }
      Diagnostics diags;
      LoadedDocument doc = load_document(xml, record.stored_path, record.original_name, bytes,
                                         job.charset_for(record.original_name), diags);
      if (!doc.ok()) {
        throw IoError(record.stored_path +
                      " was accepted but no longer reads: " + first_error(diags));
      }
      inputs.push_back({record.original_name, std::string(document_kind_name(doc.kind)),
                        record.sha256, record.size, "accepted", ""});
      known.emplace_back(record, std::move(doc));
    }
    std::stable_sort(known.begin(), known.end(), [](const auto& a, const auto& b) {
      return kind_rank(a.second.kind) < kind_rank(b.second.kind);
    });
    for (auto& [record, doc] : known)
      state.absorb(std::move(doc), record.original_name, record.sha256);
  }

  RunSummary summary;
  std::vector<Candidate> candidates;
  const std::vector<fs::path> files = stable_inbox_files(job, summary.waiting);
  for (std::size_t k = 0; k < files.size(); ++k) {
    const fs::path& path = files[k];
    Candidate c;
    c.path = path;
    c.name = path.filename().string();
    c.display = c.name;
    std::string bytes = read_file(path);
    c.sha256 = sha256_hex(bytes);
    c.size = bytes.size();
    if (auto known = ledger->find_by_hash(c.sha256)) {
      if (job.inbox_mode == InboxMode::kKeep && known->stored_path == path.string()) {
        ++summary.unchanged;  // keep mode: the original stays and is known
        continue;
      }
      ++summary.duplicates;
      log->info(
          "{}: info DOC-DUPLICATE: same bytes as {} received before ({}); not processed "
          "again",
          c.display, known->original_name, c.sha256.substr(0, 12));
      ledger->record_duplicate(run_id, c.sha256, c.name);
      inputs.push_back({c.display, known->kind, c.sha256, c.size, "duplicate", ""});
      if (job.inbox_mode == InboxMode::kMove) {
        make_dir(job.archive / "duplicates", "archive");
        move_durably(path, unique_path(job.archive / "duplicates", c.sha256 + "-" + c.name));
      }
      continue;
    }
    c.doc = load_document(xml, path, c.display, bytes, job.charset_for(c.name), c.diags);
    c.key = c.doc.ok() ? business_key(c.doc, c.sha256) : "";
    if (show_progress) {
      fmt::print(stderr, "[{}/{}] read {}\n", k + 1, files.size(), c.display);
    }
    candidates.push_back(std::move(c));
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return std::tuple(kind_rank(a.doc.kind), a.key, a.sha256) <
           std::tuple(kind_rank(b.doc.kind), b.key, b.sha256);
  });

  std::vector<Diagnostic> rejections;
  for (Candidate& c : candidates) {
    if (c.doc.ok()) {
      state.validate(c.doc, c.diags);
      if (auto same_key =
              ledger->find_accepted_by_key(std::string(document_kind_name(c.doc.kind)), c.key)) {
        c.diags.error("DOC-KEY-CONFLICT", c.display, 0, 0, "",
                      c.key + " was accepted before from " + same_key->original_name +
                          " with other content; send a declared replacement instead");
      }
    }
    const bool accepted = c.doc.ok() && !c.diags.has_errors();
    DocumentRecord record;
    record.sha256 = c.sha256;
    record.kind = std::string(document_kind_name(c.doc.kind));
    record.business_key = accepted ? c.key : "";
    record.original_name = c.name;
    record.size = c.size;
    record.status = accepted ? "accepted" : "rejected";
    record.reason = accepted ? "" : first_error(c.diags);
    record.run_id = run_id;
    fs::path destination;
    if (accepted) {
      destination = job.inbox_mode == InboxMode::kMove
                        ? job.archive / c.sha256.substr(0, 2) / c.sha256
                        : c.path;
    } else {
      destination = unique_path(job.quarantine, c.name);
    }
    record.stored_path = destination.string();
    for (const Diagnostic& d : c.diags.items()) {
      log->info("{}", format_diagnostic(d));
      if (!accepted) rejections.push_back(d);
    }
    ledger->transaction([&] { ledger->record_document(record); });
    // The original moves only after its decision is committed (spec "Crash recovery").
    if (!accepted) {
      ++summary.rejected;
      if (job.inbox_mode == InboxMode::kMove) {
        move_durably(c.path, destination);
      } else {
        fs::copy_file(c.path, destination, fs::copy_options::overwrite_existing);
      }
      std::string reason;
      for (const Diagnostic& d : c.diags.items()) reason += format_diagnostic(d) + "\n";
      write_file_durably(destination.string() + ".reason.txt", reason);
      inputs.push_back({c.display, record.kind, c.sha256, c.size, "rejected", record.reason});
      log->error("{}: rejected, kept in {} with its reason", c.display, destination.string());
      continue;
    }
    ++summary.accepted;
    if (job.inbox_mode == InboxMode::kMove) {
      make_dir(destination.parent_path(), "archive");
      move_durably(c.path, destination);
    }
    inputs.push_back({c.display, record.kind, c.sha256, c.size, "accepted", ""});
    state.absorb(std::move(c.doc), c.name, c.sha256);
  }

  RunRecord run_record;
  run_record.as_of = as_of.to_string();
  run_record.accepted = summary.accepted;
  run_record.rejected = summary.rejected;
  run_record.duplicates = summary.duplicates;
  summary.exit_code = summary.rejected > 0 ? kExitRejected : kExitOk;

  if (summary.accepted + summary.rejected + summary.duplicates == 0) {
    ledger->finish_run(run_id, run_record);
    log->info("cofin: nothing new ({} unchanged, {} waiting); no workbook written",
              summary.unchanged, summary.waiting);
    return summary;
  }

  RunOutcome outcome = compute_portfolio(state.portfolio());
  outcome.rule_sets = ctx.rule_sets;
  outcome.job_name = job.name;
  outcome.run_id = job.name + "-" + std::to_string(run_id);
  outcome.version = COFIN_VERSION;
  outcome.as_of = as_of;
  outcome.inputs = std::move(inputs);
  for (Diagnostic& d : rejections) outcome.findings.push_back(std::move(d));
  summary.findings = static_cast<int>(outcome.findings.size());
  for (const ReportOutcome& r : outcome.reports) {
    summary.erdf_due += r.erdf_due;
    summary.state_due += r.state_due;
  }
  const fs::path workbook = job.output_dir / workbook_file_name(job.name, as_of);
  write_workbook(outcome, workbook);
  run_record.workbook = workbook.string();
  run_record.workbook_sha256 = sha256_hex(read_file(workbook));
  ledger->finish_run(run_id, run_record);
  summary.workbook = workbook.string();
  log->info(
      "cofin: {} accepted, {} rejected, {} duplicates, {} unchanged; {} findings; due "
      "ERDF {} EUR, state {} EUR; workbook {}",
      summary.accepted, summary.rejected, summary.duplicates, summary.unchanged, summary.findings,
      summary.erdf_due.to_string(), summary.state_due.to_string(), summary.workbook);
  return summary;
}

}  // namespace cofin
