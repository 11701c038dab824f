#include "job/run.h"

#include <malloc.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <set>
#include <thread>

#include "audit/sha256.h"
#include "calc/control_spill.h"
#include "calc/line_spill.h"
#include "calc/report_calc.h"
#include "ingest/document.h"
#include "job/audit_payloads.h"
#include "job/crash_point.h"
#include "job/errors.h"
#include "job/files.h"
#include "job/job_context.h"
#include "job/lock.h"
#include "job/moves.h"
#include "job/parallel.h"
#include "job/progress.h"
#include "job/serial_worker.h"
#include "job/spill_file.h"
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

fs::path ledger_path(const Job& job) {
  const std::string prefix = "sqlite:";
  if (!job.ledger.starts_with(prefix)) {
    throw ConfigError("ledger " + job.ledger + ": only sqlite:PATH is supported");
  }
  return fs::path(job.ledger.substr(prefix.size()));
}

fs::path run_log_dir(const Job& job) {
  return ledger_path(job).parent_path() / "logs";
}

namespace {

// New inbox files are committed together up to this many documents or report lines: a
// group costs one ledger fsync, and a crash loses at most a group's work (redone next run).
constexpr std::size_t kCommitGroupDocuments = 64;
constexpr std::uint64_t kCommitGroupLines = 200000;

// Commit groups that may wait for the ledger thread before deciding the next document waits.
// Deciding, the computation and the workbook do not wait for the commits (only the Audit sheet
// does, for the head after the amounts): at 1M lines (58 groups) the ledger thread's 3-4 s of
// line rows then run beside the workbook instead of before it. A group waiting holds its
// documents' records and headers, about 64 KB.
constexpr std::size_t kLedgerQueueGroups = 64;

// New inbox files are parsed together up to this many bytes or files (memory stays bounded).
constexpr std::size_t kParseBatchBytes = 64u << 20;
constexpr std::size_t kParseBatchFiles = 256;

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

// One XML reader per worker thread: a reader is not shared between threads, so parsing in
// parallel needs a context (reader + grammar pool) each. Worker 0 uses the caller's.
class XmlContexts {
 public:
  XmlContexts(const XmlContext& first, std::size_t items) : first_(first) {
    const unsigned workers = worker_count(items, kMaxWorkers);
    if (workers > 1) runtime_.emplace();
    for (unsigned w = 1; w < workers; ++w)
      extra_.push_back(std::make_unique<XmlContext>(*runtime_));
  }
  unsigned count() const { return static_cast<unsigned>(extra_.size()) + 1; }
  const XmlContext& at(unsigned worker) const { return worker == 0 ? first_ : *extra_[worker - 1]; }

 private:
  static constexpr unsigned kMaxWorkers = 4;
  const XmlContext& first_;
  std::optional<XercesRuntime> runtime_;  // Xerces counts Initialize/Terminate pairs
  std::vector<std::unique_ptr<XmlContext>> extra_;
};

struct Candidate {
  fs::path path;
  std::string name;  // file name in the inbox
  std::string sha256;
  std::uint64_t size = 0;
  std::string received_at;
  LoadedDocument doc;
  Diagnostics diags;
  std::string key;
  // A report's lines or a control result's decisions, kept in the run's spill file from
  // parsing until the document is decided.
  std::shared_ptr<const SpilledLines> spilled;
  std::shared_ptr<const SpilledDecisions> spilled_decisions;
};

std::string now_utc_iso() {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto days = std::chrono::floor<std::chrono::days>(now);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss hms{now - days};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

void make_dir(const fs::path& dir, const char* what) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw IoError(std::string("cannot create the ") + what + " " + dir.string() + ": " +
                  ec.message());
}

// Inbox, archive and quarantine must share a filesystem: rename(2) is atomic only within one,
// across two it fails (EXDEV) and copy + unlink could lose or double a file.
void check_one_filesystem(const Job& job) {
  const std::uint64_t inbox = filesystem_id(job.inbox);
  for (const auto& [dir, what] :
       {std::pair{job.archive, "archive"}, std::pair{job.quarantine, "quarantine"}}) {
    if (filesystem_id(dir) != inbox) {
      throw ConfigError(std::string("the ") + what + " " + dir.string() +
                        " is on another filesystem than the inbox " + job.inbox.string() +
                        ": moves would not be atomic; keep inbox, archive and quarantine on one "
                        "filesystem");
    }
  }
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
  // Synchronous and flushed on every line: an async logger loses lines on a hard exit.
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

std::vector<ConfigInput> config_inputs(const JobContext& ctx) {
  std::vector<ConfigInput> out;
  for (const InputOutcome& in : ctx.inputs) out.push_back({in.kind, in.file, in.sha256});
  std::sort(out.begin(), out.end(), [](const ConfigInput& a, const ConfigInput& b) {
    return std::tie(a.kind, a.file) < std::tie(b.kind, b.file);
  });
  return out;
}

bool same_inputs(const std::vector<ConfigInput>& a, const std::vector<ConfigInput>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].kind != b[i].kind || a[i].file != b[i].file || a[i].sha256 != b[i].sha256) {
      return false;
    }
  }
  return true;
}

// Returns the EUR amount of each line at first submission, with the rate it used.
// REQUIRES: validate() accepted the report (every foreign line has its month's rate).
std::vector<FrozenLine> freeze_lines(const PartnerReport& report, const RateTable& rates) {
  std::vector<FrozenLine> out;
  out.reserve(report.lines.size());
  for (const ExpenseLine& line : report.lines) {
    const ExchangeRate* used = nullptr;
    const std::optional<Money> eur = line_eur(line, report.submitted_on, rates, &used);
    if (!eur) {
      throw std::logic_error("an accepted report has a line without its exchange rate");
    }
    FrozenLine f;
    f.eur = *eur;
    if (used != nullptr) f.rate = *used;
    out.push_back(std::move(f));
  }
  return out;
}

// Records an accepted report's lines with `frozen` (their EUR amounts at first submission).
// Returns its line count and declared EUR.
std::pair<std::size_t, Money> record_report_rows(Ledger& ledger, std::int64_t seq,
                                                 const PartnerReport& report,
                                                 const std::vector<FrozenLine>& frozen) {
  ledger.record_report(seq, report, frozen);
  Money declared;
  for (const FrozenLine& f : frozen) declared += f.eur;
  return {frozen.size(), declared};
}

// Records an accepted document's content and its audit events, reports with `frozen` (their
// lines' EUR amounts at first submission). Returns its line count and declared EUR (reports).
std::pair<std::size_t, Money> record_content_rows(Ledger& ledger, std::int64_t run_id,
                                                  std::int64_t seq, const std::string& sha256,
                                                  const DocumentContent& content,
                                                  const std::vector<FrozenLine>& frozen) {
  if (const auto* report = std::get_if<PartnerReport>(&content)) {
    return record_report_rows(ledger, seq, *report, frozen);
  }
  if (const auto* control = std::get_if<ControlResult>(&content)) {
    ledger.record_control(seq, *control);
    ledger.append_audit(run_id, audit_event::kControl,
                        audit_event::control(run_id, sha256, *control));
  } else if (const auto* events = std::get_if<EventsDocument>(&content)) {
    ledger.record_events(seq, *events);
    for (const Event& e : events->events) {
      if (const auto* a = std::get_if<ApprovalEvent>(&e)) {
        ledger.append_audit(run_id, audit_event::kApproval,
                            audit_event::approval(run_id, sha256, *a));
      } else if (const auto* p = std::get_if<PaymentEvent>(&e)) {
        ledger.append_audit(run_id, audit_event::kPayment,
                            audit_event::payment(run_id, sha256, *p));
      }
    }
  } else if (const auto* table = std::get_if<std::vector<ExchangeRate>>(&content)) {
    ledger.record_rates(seq, *table);
    ledger.append_audit(run_id, audit_event::kRates, audit_event::rates(run_id, sha256, *table));
  }
  return {0, Money()};
}

// The same, freezing a report's lines with `rates` first.
std::pair<std::size_t, Money> record_content(Ledger& ledger, std::int64_t run_id, std::int64_t seq,
                                             const std::string& sha256, const LoadedDocument& doc,
                                             const RateTable& rates) {
  std::vector<FrozenLine> frozen;
  if (const auto* report = std::get_if<PartnerReport>(&doc.content)) {
    frozen = freeze_lines(*report, rates);
  }
  return record_content_rows(ledger, run_id, seq, sha256, doc.content, frozen);
}

// One document's rows, as decided: what the ledger thread writes.
struct DocumentWrite {
  std::optional<DuplicateRecord> duplicate;        // a re-send; else a document
  DocumentRecord record;                           // the document, or the first of a re-send
  std::shared_ptr<const PartnerReport> report;     // accepted reports: the portfolio's own
  std::shared_ptr<const DocumentContent> content;  // other accepted documents (small)
  std::vector<FrozenLine> frozen_lines;            // accepted reports with their lines held
  // Accepted reports whose lines are in the spill file: `report` is the header; the ledger
  // thread reads the lines back and freezes them with `rates` (the rates at decision time), so
  // the groups waiting for it hold headers, not lines.
  std::shared_ptr<const SpilledLines> spilled;
  std::shared_ptr<const RateTable> rates;
  // Accepted control results whose decisions are in the spill file: `content` holds the
  // result without them, read back by the ledger thread (at 1M lines the queued groups held
  // 13 MB of decisions otherwise).
  std::shared_ptr<const SpilledDecisions> spilled_decisions;
  std::vector<Diagnostic> findings;  // accepted documents
  std::optional<PendingMove> move;
};

// Records `w` and its audit events. REQUIRES: a transaction is open.
void write_document(Ledger& ledger, std::int64_t run_id, const DocumentWrite& w) {
  if (w.duplicate) {
    ledger.record_duplicate(*w.duplicate);
    ledger.append_audit(run_id, audit_event::kDuplicate,
                        audit_event::duplicate(run_id, *w.duplicate, w.record));
  } else {
    const std::int64_t seq = ledger.record_document(w.record);
    ledger.append_audit(run_id, audit_event::kReceived, audit_event::received(run_id, w.record));
    if (w.report || w.content) {
      std::pair<std::size_t, Money> recorded;
      if (w.report && w.spilled) {
        PartnerReport report = header_of(*w.report);
        report.lines = w.spilled->read();
        recorded = record_report_rows(ledger, seq, report, freeze_lines(report, *w.rates));
      } else if (w.spilled_decisions) {
        ControlResult control = std::get<ControlResult>(*w.content);
        control.decisions = w.spilled_decisions->read();
        recorded = record_content_rows(ledger, run_id, seq, w.record.sha256,
                                       DocumentContent(std::move(control)), {});
      } else if (w.report) {
        recorded = record_report_rows(ledger, seq, *w.report, w.frozen_lines);
      } else {
        recorded = record_content_rows(ledger, run_id, seq, w.record.sha256, *w.content, {});
      }
      const auto [lines, declared] = recorded;
      ledger.append_audit(run_id, audit_event::kAccepted,
                          audit_event::accepted(run_id, w.record, lines, declared));
      for (const Diagnostic& d : w.findings) {
        if (ledger.record_finding(run_id, d)) {
          ledger.append_audit(run_id, audit_event::kFinding, audit_event::finding(run_id, d));
        }
      }
    } else {
      ledger.append_audit(run_id, audit_event::kRejected, audit_event::rejected(run_id, w.record));
    }
  }
  if (w.move) ledger.add_pending_move(run_id, *w.move);
}

std::uint64_t report_lines(const Candidate& c) {
  if (c.spilled) return c.spilled->count();
  if (const auto* report = std::get_if<PartnerReport>(&c.doc.content)) return report->lines.size();
  return 0;
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
  if (job.inbox_mode == InboxMode::kMove) {
    make_dir(job.archive, "archive");
    check_one_filesystem(job);
  }

  JobLock lock(fs::path(ledger_file.string() + ".lock"));
  auto ledger = Ledger::open(ledger_file);
  // Reports' lines (from parsing on) and the computed findings wait here, not in memory: the
  // run's memory then follows the largest partner, not the portfolio. Anonymous: gone with the
  // run, also after a crash.
  const auto spill = std::make_shared<SpillFile>(job.output_dir);
  const std::int64_t run_id = ledger->begin_run(as_of.to_string(), now_utc_iso());
  durable_step("commit run start");
  make_dir(run_log_dir(job), "log directory");
  auto log =
      make_logger(run_log_dir(job) / ("run-" + std::to_string(run_id) + ".log"), options.quiet);
  log->info("cofin {} run {} of job {} as of {}", COFIN_VERSION, run_id, job.name,
            as_of.to_string());

  // Recovery first (spec "Crash recovery"): the moves an interrupted run committed but did not
  // finish, then the run itself is marked recovered, with an audit event saying so.
  bool redo_workbook = false;
  {
    const std::vector<std::int64_t> interrupted = ledger->interrupted_runs(run_id);
    const std::vector<PendingMove> moves = ledger->pending_moves();
    for (const PendingMove& m : moves) complete_move(m);
    if (!interrupted.empty() || !moves.empty()) {
      // An interrupted run that committed documents may have died before its workbook.
      redo_workbook = ledger->runs_recorded_documents(interrupted);
      ledger->transaction([&] {
        ledger->mark_moves_done(run_id);
        ledger->mark_recovered(interrupted, run_id);
        ledger->append_audit(run_id, audit_event::kRecovery,
                             audit_event::recovery(run_id, interrupted, moves));
      });
      durable_step("commit recovery");
      log->warn("cofin: recovered from an interrupted run ({} run(s), {} pending move(s) done)",
                interrupted.size(), moves.size());
    }
  }

  // What configures the computation: a change is recorded and recomputes the workbook.
  bool inputs_changed = false;
  {
    const std::vector<ConfigInput> now = config_inputs(ctx);
    const std::vector<ConfigInput> before = ledger->last_config_inputs();
    if (!same_inputs(before, now)) {
      inputs_changed = !before.empty();
      ledger->transaction([&] {
        ledger->record_config_inputs(run_id, now);
        ledger->append_audit(run_id, audit_event::kInputsChanged,
                             audit_event::inputs_changed(run_id, before, now));
      });
      durable_step("commit configuration inputs");
    }
  }

  // Everything accepted before, re-read from where it is kept and checked against its hash.
  // Where a run's time goes, in the run log (not in the audit trail: wall-clock time is not
  // reproducible).
  using Clock = std::chrono::steady_clock;
  auto seconds_since = [](Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  const Clock::time_point run_start = Clock::now();
  AcceptedState state(ctx, as_of, spill);
  std::size_t inputs_known = 0;
  std::vector<InputOutcome> inputs = ctx.inputs;
  {
    std::vector<DocumentRecord> records = ledger->accepted_documents();
    inputs_known = records.size();
    std::vector<LoadedDocument> loaded(records.size());
    std::vector<std::shared_ptr<const SpilledLines>> spilled(records.size());
    // Control results' decisions too: held until absorbed, 18,500 results' decisions were the
    // incremental night's peak at 5M lines.
    std::vector<std::shared_ptr<const SpilledDecisions>> spilled_decisions(records.size());
    // Documents of ledger schema 1 have their content recorded below, lines included.
    std::vector<char> recorded(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
      recorded[i] = ledger->content_recorded(records[i].seq) ? 1 : 0;
    }
    {
      // Re-read and re-parsed on every core; each result lands in its own slot.
      const XmlContexts contexts(xml, records.size());
      parallel_for(records.size(), contexts.count(), [&](unsigned worker, std::size_t i) {
        const DocumentRecord& record = records[i];
        const FileBytes file = read_file_bytes(record.stored_path);
        const std::string_view bytes = file.view();
        if (sha256_hex(bytes) != record.sha256) {
          throw IoError(record.stored_path + " no longer matches its SHA-256 in the ledger (" +
                        record.sha256 + "): an accepted original was changed");
        }
        Diagnostics diags;
        // A report's lines go to the spill file as they are parsed, unless the document is
        // recorded below from its whole content (lines included).
        LineSpiller lines;
        loaded[i] = load_document(contexts.at(worker), record.stored_path, record.original_name,
                                  bytes, job.charset_for(record.original_name), diags,
                                  recorded[i] != 0 ? &lines : nullptr);
        if (!loaded[i].ok()) {
          throw IoError(record.stored_path +
                        " was accepted but no longer reads: " + first_error(diags));
        }
        if (recorded[i] == 0) return;  // recorded below from the whole document
        if (std::holds_alternative<PartnerReport>(loaded[i].content)) {
          spilled[i] = lines.finish(spill);
        } else if (auto* control = std::get_if<ControlResult>(&loaded[i].content)) {
          spilled_decisions[i] = spill_decisions(spill, *control);
        }
      });
    }
    struct Known {
      DocumentRecord record;
      LoadedDocument doc;
      std::shared_ptr<const SpilledLines> spilled;
      std::shared_ptr<const SpilledDecisions> spilled_decisions;
    };
    std::vector<Known> known;
    known.reserve(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
      inputs.push_back({records[i].original_name, std::string(document_kind_name(loaded[i].kind)),
                        records[i].sha256, records[i].size, "accepted", ""});
      known.push_back({std::move(records[i]), std::move(loaded[i]), std::move(spilled[i]),
                       std::move(spilled_decisions[i])});
    }
    loaded.clear();
    std::stable_sort(known.begin(), known.end(), [](const Known& a, const Known& b) {
      return kind_rank(a.doc.kind) < kind_rank(b.doc.kind);
    });
    for (Known& entry : known) {
      const DocumentRecord& record = entry.record;
      LoadedDocument& doc = entry.doc;
      if (entry.spilled) {
        auto& report = std::get<PartnerReport>(doc.content);
        state.absorb_report(std::make_shared<const PartnerReport>(std::move(report)),
                            record.original_name, record.sha256, std::move(entry.spilled));
        continue;
      }
      if (entry.spilled_decisions) {
        state.absorb_control(std::move(std::get<ControlResult>(doc.content)), record.original_name,
                             std::move(entry.spilled_decisions));
        continue;
      }
      if (!ledger->content_recorded(record.seq)) {
        // Accepted under ledger schema 1, which kept documents only: their content is recorded
        // now, in acceptance order, with the rates of today (schema 1 froze none).
        ledger->transaction([&] {
          const auto [lines, declared] = record_content(*ledger, run_id, record.seq, record.sha256,
                                                        doc, state.portfolio().rates);
          ledger->append_audit(
              run_id, audit_event::kBackfilled,
              audit_event::accepted(run_id, record, lines, declared, audit_event::kBackfilled));
        });
        durable_step("commit backfill");
        redo_workbook = true;
      }
      state.absorb(std::move(doc), record.original_name, record.sha256);
    }
  }

  const double archived_s = seconds_since(run_start);
  const Clock::time_point inbox_start = Clock::now();
  RunSummary summary;
  RunRecord run_record;
  run_record.as_of = as_of.to_string();
  std::vector<Candidate> candidates;
  std::vector<fs::path> files = stable_inbox_files(job, summary.waiting);
  const std::size_t inbox_files = files.size();
  std::uint64_t total_bytes = 0;
  for (const fs::path& f : files) {
    std::error_code ec;
    total_bytes += fs::file_size(f, ec);
  }
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  Progress progress(!options.quiet && (options.progress || terminal), terminal, files.size(),
                    total_bytes);

  // Where this run moves files to: a name is taken when a file has it or a decision of this run
  // claimed it. Moves are done after their group commits, so the disk alone does not tell.
  std::set<fs::path> claimed;
  auto claim_path = [&claimed](const fs::path& dir, const std::string& name) {
    return *claimed.insert(unique_path(dir, name, claimed)).first;
  };

  // A duplicate re-send: its record, audit event and pending move, to be committed; archived as
  // such, never processed again.
  auto duplicate_write = [&](const Candidate& c, const DocumentRecord& first) {
    ++summary.duplicates;
    log->info("{}: info DOC-DUPLICATE: same bytes as {} received before ({}); not processed again",
              c.name, first.original_name, c.sha256.substr(0, 12));
    DuplicateRecord d{run_id,          c.sha256, c.name,       c.path.string(),
                      c.path.string(), c.size,   c.received_at};
    DocumentWrite w;
    if (job.inbox_mode == InboxMode::kMove) {
      d.stored_path = claim_path(job.archive / "duplicates", c.sha256 + "-" + c.name).string();
      w.move = PendingMove{0, c.sha256, c.path.string(), d.stored_path, false, "", ""};
    }
    inputs.push_back({c.name, first.kind, c.sha256, c.size, "duplicate", ""});
    w.duplicate = std::move(d);
    w.record = first;
    return w;
  };
  // The same, committed at once: a re-send of an earlier run's document, found before parsing.
  auto record_duplicate = [&](const Candidate& c, const DocumentRecord& first) {
    const DocumentWrite w = duplicate_write(c, first);
    ledger->transaction([&] { write_document(*ledger, run_id, w); });
    durable_step("commit duplicate");
    if (w.move) complete_move(*w.move);
  };

  {
    // New files are parsed in batches on every core, holding at most a batch's bytes; the
    // checks against the ledger stay in file order on this thread.
    const XmlContexts contexts(xml, files.size());
    std::vector<FileBytes> batch;  // bytes of candidates[batch_start...]
    std::size_t batch_start = 0;
    std::size_t batch_bytes = 0;
    auto parse_batch = [&] {
      parallel_for(batch.size(), contexts.count(), [&](unsigned worker, std::size_t k) {
        Candidate& c = candidates[batch_start + k];
        // A report's lines go to the spill file as they are parsed.
        LineSpiller lines;
        c.doc = load_document(contexts.at(worker), c.path, c.name, batch[k].view(),
                              job.charset_for(c.name), c.diags, &lines);
        c.key = c.doc.ok() ? business_key(c.doc, c.sha256) : "";
        batch[k] = FileBytes();
        if (std::holds_alternative<PartnerReport>(c.doc.content)) {
          c.spilled = lines.finish(spill);
        } else if (auto* control = std::get_if<ControlResult>(&c.doc.content)) {
          c.spilled_decisions = spill_decisions(spill, *control);
        }
      });
      batch.clear();
      batch_start = candidates.size();
      batch_bytes = 0;
    };
    candidates.reserve(files.size());
    for (fs::path& path : files) {
      Candidate c;
      c.path = std::move(path);  // a path with its components: 300 bytes, 18,500 at 5M lines
      c.name = c.path.filename().string();
      c.received_at = now_utc_iso();
      FileBytes bytes = read_file_bytes(c.path);
      c.sha256 = sha256_hex(bytes.view());
      c.size = bytes.size();
      if (job.inbox_mode == InboxMode::kKeep &&
          ledger->received_before(c.sha256, c.path.string())) {
        ++summary.unchanged;  // keep mode: the original stays where it is and is known
        progress.file_done(c.size, 0);
        continue;
      }
      if (auto known = ledger->find_by_hash(c.sha256)) {
        record_duplicate(c, *known);
        progress.file_done(c.size, 0);
        continue;
      }
      batch_bytes += bytes.size();
      batch.push_back(std::move(bytes));
      candidates.push_back(std::move(c));
      if (batch_bytes >= kParseBatchBytes || batch.size() >= kParseBatchFiles) parse_batch();
    }
    parse_batch();
    std::vector<fs::path>().swap(files);
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return std::tuple(kind_rank(a.doc.kind), a.key, a.sha256, a.name) <
           std::tuple(kind_rank(b.doc.kind), b.key, b.sha256, b.name);
  });

  std::vector<Diagnostic> rejections;
  // After `ledger`: joined before the ledger closes. The groups waiting hold little of their own
  // (reports are shared with the portfolio, findings moved).
  SerialWorker writer(kLedgerQueueGroups);
  // Decisions are made here, in order, from the state in memory; their ledger rows are written
  // on the ledger thread (SerialWorker), in the same order, in commit groups (spec "Crash
  // recovery" asks only that a document's rows and pending move share a transaction): one
  // ledger fsync per group, then the group's moves with one fsync per directory they touched.
  // A crash before a group's commit leaves its files in the inbox, taken again by the next run;
  // after it, the pending moves are completed at the next start. From here until finish(), only
  // the ledger thread uses the ledger; what it needs of earlier runs is read first.
  std::vector<std::optional<DocumentRecord>> earlier_same_key(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    if (c.doc.ok()) {
      earlier_same_key[i] =
          ledger->find_accepted_by_key(std::string(document_kind_name(c.doc.kind)), c.key);
    }
  }
  std::map<ReportKey, RateTable> frozen;
  for (const FrozenRate& f : ledger->frozen_rates()) {
    frozen[ReportKey{f.project, f.partner, f.report}].add(f.rate);
  }
  std::map<std::string, DocumentRecord> decided_by_hash;  // this run's documents
  // The rates accepted so far, shared with the ledger thread; copied again after a rate table
  // is accepted (the inbox's tables come first: kind order).
  std::shared_ptr<const RateTable> rates_now;
  std::map<std::pair<std::string, std::string>, std::string> accepted_by_key;  // -> file name

  auto post_group = [&](std::vector<DocumentWrite> group) {
    if (group.empty()) return;
    writer.post([&ledger, run_id, group = std::move(group)] {
      std::vector<PendingMove> moves;
      ledger->transaction([&] {
        moves.clear();
        for (const DocumentWrite& w : group) {
          write_document(*ledger, run_id, w);
          if (w.move) moves.push_back(*w.move);
        }
      });
      durable_step("commit documents");
      // The originals move only after their decision is committed (spec "Crash recovery").
      complete_moves(moves);
    });
  };

  // Returns candidate `c` decided: duplicate, accepted (absorbed into the state, so that the
  // next documents are validated on top of it) or rejected.
  auto decide = [&](Candidate& c) {
    // The same bytes twice in one inbox: the second is a duplicate of the first.
    if (auto first = decided_by_hash.find(c.sha256); first != decided_by_hash.end()) {
      return duplicate_write(c, first->second);
    }
    const std::size_t index = static_cast<std::size_t>(&c - candidates.data());
    auto* report_doc = std::get_if<PartnerReport>(&c.doc.content);
    if (report_doc != nullptr && c.spilled) report_doc->lines = c.spilled->read();
    if (auto* control = std::get_if<ControlResult>(&c.doc.content);
        control != nullptr && c.spilled_decisions) {
      control->decisions = c.spilled_decisions->read();
    }
    if (c.doc.ok()) {
      state.validate(c.doc, c.diags);
      const std::string kind(document_kind_name(c.doc.kind));
      std::string same_key_file;
      if (earlier_same_key[index]) {
        same_key_file = earlier_same_key[index]->original_name;
      } else if (auto it = accepted_by_key.find({kind, c.key}); it != accepted_by_key.end()) {
        same_key_file = it->second;
      }
      if (!same_key_file.empty()) {
        c.diags.error("DOC-KEY-CONFLICT", c.name, 0, 0, "",
                      c.key + " was accepted before from " + same_key_file +
                          " with other content; send a declared replacement instead");
      }
    }
    const bool accepted = c.doc.ok() && !c.diags.has_errors();
    DocumentWrite w;
    DocumentRecord& record = w.record;
    record.sha256 = c.sha256;
    record.kind = std::string(document_kind_name(c.doc.kind));
    record.business_key = accepted ? c.key : "";
    record.original_name = c.name;
    record.size = c.size;
    record.status = accepted ? "accepted" : "rejected";
    record.reason = accepted ? "" : first_error(c.diags);
    record.run_id = run_id;
    record.received_path = c.path.string();
    record.received_at = c.received_at;
    if (accepted) {
      if (job.inbox_mode == InboxMode::kMove) {
        // Content-addressed: the archive name is the hash, so nothing can overwrite it.
        record.stored_path = (job.archive / c.sha256.substr(0, 2) / c.sha256).string();
        w.move = PendingMove{0, c.sha256, c.path.string(), record.stored_path, false, "", ""};
      } else {
        record.stored_path = c.path.string();
      }
    } else {
      record.stored_path = claim_path(job.quarantine, c.name).string();
      std::string reason;
      for (const Diagnostic& d : c.diags.items()) reason += format_diagnostic(d) + "\n";
      w.move = PendingMove{0,
                           c.sha256,
                           c.path.string(),
                           record.stored_path,
                           job.inbox_mode == InboxMode::kKeep,
                           record.stored_path + ".reason.txt",
                           reason};
    }
    for (const Diagnostic& d : c.diags.items()) {
      log->info("{}", format_diagnostic(d));
      if (!accepted) rejections.push_back(d);
    }
    decided_by_hash.emplace(c.sha256, record);
    if (accepted) {
      ++summary.accepted;
      accepted_by_key.emplace(std::pair{record.kind, c.key}, c.name);
      if (const auto* report = std::get_if<PartnerReport>(&c.doc.content)) {
        // Frozen now, with the rates accepted so far (domain §5: at first submission).
        w.frozen_lines = freeze_lines(*report, state.portfolio().rates);
        RateTable& table = frozen[ReportKey{report->project, report->partner, report->report}];
        for (const FrozenLine& f : w.frozen_lines) {
          if (f.rate) table.add(*f.rate);
        }
      }
      const auto* report = std::get_if<PartnerReport>(&c.doc.content);
      const std::optional<ReportKey> report_key =
          report ? std::optional<ReportKey>(
                       ReportKey{report->project, report->partner, report->report})
                 : std::nullopt;
      if (auto* control = std::get_if<ControlResult>(&c.doc.content);
          control != nullptr && c.spilled_decisions) {
        std::vector<LineDecision> decisions;
        decisions.swap(control->decisions);  // the copy for the ledger thread: the header only
        w.content = std::make_shared<const DocumentContent>(c.doc.content);
        control->decisions.swap(decisions);
        w.spilled_decisions = c.spilled_decisions;
      } else if (!report) {
        w.content = std::make_shared<const DocumentContent>(c.doc.content);
      }
      w.findings = std::move(c.diags.mutable_items());  // logged above; not needed here again
      inputs.push_back({c.name, record.kind, c.sha256, c.size, "accepted", ""});
      if (report_key && c.spilled) {
        // The portfolio and the ledger thread keep the header and where the lines are.
        if (!rates_now) rates_now = std::make_shared<const RateTable>(state.portfolio().rates);
        auto header = std::make_shared<const PartnerReport>(header_of(*report_doc));
        w.report = header;
        w.spilled = c.spilled;
        w.rates = rates_now;
        std::vector<FrozenLine>().swap(w.frozen_lines);
        state.absorb_report(std::move(header), c.name, c.sha256, std::move(c.spilled));
      } else {
        if (std::holds_alternative<std::vector<ExchangeRate>>(c.doc.content)) rates_now.reset();
        if (auto* control = std::get_if<ControlResult>(&c.doc.content);
            control != nullptr && c.spilled_decisions) {
          // Its decisions are in the spill already, from its parse worker.
          state.absorb_control(std::move(*control), c.name, std::move(c.spilled_decisions));
        } else {
          state.absorb(std::move(c.doc), c.name, c.sha256);
        }
        // The ledger thread records the portfolio's own copy: shared, not copied.
        if (report_key) w.report = state.portfolio().reports.at(*report_key).report;
      }
    } else {
      ++summary.rejected;
      log->error("{}: rejected, kept in {} with its reason", c.name, record.stored_path);
      inputs.push_back({c.name, record.kind, c.sha256, c.size, "rejected", record.reason});
    }
    c.doc = LoadedDocument();  // decided: what is kept of it is in `w` and the state
    c.spilled.reset();
    c.spilled_decisions.reset();
    return w;
  };

  {
    std::vector<DocumentWrite> group;
    std::uint64_t group_lines = 0;
    for (Candidate& c : candidates) {
      const std::uint64_t lines = report_lines(c);
      DocumentWrite w = decide(c);
      progress.file_done(c.size, w.report || w.content ? lines : 0);
      group_lines += lines;
      group.push_back(std::move(w));
      if (group.size() >= kCommitGroupDocuments || group_lines >= kCommitGroupLines) {
        post_group(std::move(group));
        group.clear();
        group_lines = 0;
      }
    }
    post_group(std::move(group));
  }
  progress.finish();
  // The ledger thread goes on committing the groups; a failure there stops the run at the
  // amounts' commit, queued behind them (or at the latest at the workbook's Audit sheet).
  // What deciding needed is let go before the computation and the workbook, which set the
  // run's peak: at 5M lines (18,500 documents) these hold tens of megabytes.
  std::vector<Candidate>().swap(candidates);
  std::vector<std::optional<DocumentRecord>>().swap(earlier_same_key);
  std::map<std::string, DocumentRecord>().swap(decided_by_hash);
  std::map<std::pair<std::string, std::string>, std::string>().swap(accepted_by_key);
  std::set<fs::path>().swap(claimed);
  std::vector<fs::path>().swap(files);

  run_record.accepted = summary.accepted;
  run_record.rejected = summary.rejected;
  run_record.duplicates = summary.duplicates;
  summary.exit_code = summary.rejected > 0 ? kExitRejected : kExitOk;

  auto log_head = [&](const char* when) {
    if (auto head = ledger->audit_head()) {
      log->info("cofin: audit head {} seq={} hash={}", when, head->seq, head->hash);
    }
  };

  if (summary.accepted + summary.rejected + summary.duplicates == 0 && !redo_workbook &&
      !inputs_changed) {
    // Nothing new: only the run record; the last workbook stands (spec "Reruns").
    writer.finish();  // nothing was posted; the ledger is this thread's again
    if (auto head = ledger->audit_head()) {
      run_record.audit_seq = head->seq;
      run_record.audit_head = head->hash;
    }
    ledger->finish_run(run_id, run_record);
    durable_step("commit run finished");
    log->info("cofin: nothing new ({} unchanged, {} waiting); no workbook written",
              summary.unchanged, summary.waiting);
    log_head("at end of run");
    return summary;
  }

  // Exchange rates frozen at first submission (domain §5): a report is always computed with
  // the rates its lines were first converted with, whatever the rate tables say today.
  const double inbox_s = seconds_since(inbox_start);
  const Clock::time_point compute_start = Clock::now();
  state.set_frozen_rates(std::move(frozen));

  // The inbox's parsing threads leave freed blocks in their malloc arenas, which the
  // computation's threads do not reuse, and the computation leaves its own before the workbook:
  // glibc gives free pages back only when asked. At 5M lines each trim lowers the run's peak
  // (170 MB without them, 152 MB with them; bench/RESULTS.md, session 7).
  malloc_trim(0);
  RunOutcome outcome = compute_portfolio_streamed(state.take_portfolio(), 0, spill);
  malloc_trim(0);
  outcome.rule_sets = ctx.rule_sets;
  outcome.job_name = job.name;
  outcome.run_id = job.name + "-" + std::to_string(run_id);
  outcome.version = COFIN_VERSION;
  outcome.as_of = as_of;
  outcome.inputs = std::move(inputs);
  for (const ReportOutcome& r : outcome.reports) {
    summary.erdf_due += r.erdf_due;
    summary.state_due += r.state_due;
  }
  const double compute_s = seconds_since(compute_start);
  const Clock::time_point workbook_start = Clock::now();
  double amounts_s = 0;
  // The computed findings (the rejections, recorded with their documents, follow them): the
  // outcome's finding source when set, else its held findings.
  const std::size_t computed_findings = finding_count(outcome);
  outcome.findings.reserve(outcome.findings.size() + rejections.size());  // one move, no doubling
  for (Diagnostic& d : rejections) outcome.findings.push_back(std::move(d));
  summary.findings = static_cast<int>(finding_count(outcome));
  run_record.findings = summary.findings;

  // The amounts and findings are committed on the ledger thread while this one writes the
  // workbook sheets; the Audit sheet, written last, waits for the head as it is after that
  // commit, i.e. before the workbook's own "written" event (spec "Audit chain"). Nothing else
  // uses the ledger until the thread is joined; both only read `outcome`.
  // Owned by the task: dropped unrun (a document group before it failed), it breaks the
  // promise, and the Audit sheet's wait ends with an error instead of never.
  auto head_promise = std::make_shared<std::promise<std::optional<AuditEvent>>>();
  std::shared_future<std::optional<AuditEvent>> head_after_amounts =
      head_promise->get_future().share();
  // The task refers to locals declared since `writer`: it must be done before they go.
  const DrainOnExit drain_before_unwinding(writer);
  const bool amounts_posted = writer.post([&, head_promise = std::move(head_promise)] {
    try {
      ledger->transaction([&] {
        ledger->record_amounts(run_id, outcome.reports);
        findings_of(outcome)->visit(0, computed_findings, [&](std::size_t, const Diagnostic& d) {
          if (ledger->record_finding(run_id, d)) {
            ledger->append_audit(run_id, audit_event::kFinding, audit_event::finding(run_id, d));
          }
        });
        ledger->append_audit(run_id, audit_event::kAmounts,
                             audit_event::amounts(run_id, as_of.to_string(), outcome.reports));
      });
      durable_step("commit amounts");
      amounts_s = seconds_since(workbook_start);
      head_promise->set_value(ledger->audit_head());
    } catch (const std::exception&) {
      head_promise->set_exception(std::current_exception());
      throw;
    }
  });
  if (!amounts_posted) writer.finish();  // rethrows the failure that dropped it
  WorkbookOptions workbook_options;
  workbook_options.audit_head = [&head_after_amounts] {
    const std::optional<AuditEvent>& head = head_after_amounts.get();
    return head ? head->hash : std::string();
  };
  std::vector<fs::path> workbooks;
  try {
    // The programme-wide workbook first, then one per project when the job asks for them.
    workbooks =
        write_run_workbooks(outcome, job.output_dir, workbook_options, job.per_project_workbooks);
  } catch (const std::exception&) {
    // A failed commit explains a failed workbook (its Audit sheet waited for it): report that.
    writer.finish();
    head_after_amounts.get();
    throw;
  }
  writer.finish();
  const std::optional<AuditEvent> head_before = head_after_amounts.get();
  outcome.audit_head = head_before ? head_before->hash : std::string();
  durable_step("workbook written");
  const double workbook_s = seconds_since(workbook_start);
  log_head("shown in the workbook");
  const fs::path& workbook = workbooks.front();
  std::vector<std::string> workbook_hashes;
  for (const fs::path& written : workbooks) workbook_hashes.push_back(sha256_file_hex(written));
  run_record.workbook = workbook.string();
  run_record.workbook_sha256 = workbook_hashes.front();
  ledger->transaction([&] {
    // One "written" event per file, so audit verify re-hashes every workbook.
    for (std::size_t k = 0; k < workbooks.size(); ++k) {
      ledger->append_audit(
          run_id, audit_event::kWorkbook,
          audit_event::workbook(run_id, workbooks[k].string(), workbook_hashes[k],
                                head_before ? head_before->seq : 0, outcome.audit_head));
    }
    ledger->mark_moves_done(run_id);
    const AuditEvent last = ledger->append_audit(
        run_id, audit_event::kRunFinished,
        audit_event::run_finished(run_id, run_record, summary.erdf_due, summary.state_due));
    run_record.audit_seq = last.seq;
    run_record.audit_head = last.hash;
    ledger->finish_run(run_id, run_record);
  });
  durable_step("commit run finished");
  summary.workbook = workbook.string();
  log_head("at end of run");
  log->info(
      "cofin: time: {:.2f} s re-reading {} archived documents, {:.2f} s on {} inbox files, {:.2f} "
      "s "
      "computing {} lines, {:.2f} s writing {} workbook(s) (amounts committed alongside in "
      "{:.2f} s); {:.2f} s in all",
      archived_s, inputs_known, inbox_s, inbox_files, compute_s, line_count(outcome), workbook_s,
      workbooks.size(), amounts_s, seconds_since(run_start));
  log->info(
      "cofin: {} accepted, {} rejected, {} duplicates, {} unchanged; {} findings; due "
      "ERDF {} EUR, state {} EUR; workbook {}",
      summary.accepted, summary.rejected, summary.duplicates, summary.unchanged, summary.findings,
      summary.erdf_due.to_string(), summary.state_due.to_string(), summary.workbook);
  return summary;
}

}  // namespace cofin
