// The thin `cofin` executable: parses the command line, runs one command, maps failures to the
// spec's exit codes. All the work is in cofin_core.
#include <boost/program_options.hpp>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "audit/verify.h"
#include "ingest/xml_parser.h"
#include "job/check.h"
#include "job/errors.h"
#include "job/job_context.h"
#include "job/run.h"
#include "ledger/ledger.h"
#include "money/money.h"
#include "workbook/workbook.h"

namespace po = boost::program_options;
using namespace cofin;

namespace {

constexpr const char* kUsage =
    R"(cofin — Interreg financial control: partner reports in, reconciliation workbooks out.

Usage:
  cofin run JOB.xml [--as-of YYYY-MM-DD] [--progress|--quiet]
  cofin check [--job JOB.xml] FILE...
  cofin audit verify JOB.xml
  cofin --help | --version
  cofin COMMAND --help

Commands:
  run      The nightly job: takes what is new in the job's inbox (partner reports in XML or CSV,
           control results, events, exchange rates), checks every line against the programme's
           rule set, computes ERDF, Latvian state co-financing and the partner's own share
           (due only after approval), records everything in the ledger and writes the
           reconciliation workbook REPORTS/JOB-YYYY-MM-DD.xlsx.
  check    Validates files without changing anything: kind, schema or CSV layout, values;
           with --job also references to the registry, rule sets, rates and declared encodings.
  audit    `audit verify JOB.xml`: recomputes the job's hash-chained audit trail, checks it
           against the heads recorded in the run logs and re-hashes every archived original
           and workbook it names; prints OK with the head hash or the first broken event.

Exit codes: 0 done, nothing rejected; 1 some input rejected; 2 usage or configuration error;
3 fatal I/O or database error (rerun is safe); 4 audit trail broken; 75 another run holds the lock.

Example:
  cofin run jobs/demo.xml --as-of 2024-12-31
  cofin check --job jobs/demo.xml fixtures/demo/inbox/*.csv
)";

constexpr const char* kRunHelp = R"(cofin run JOB.xml [--as-of YYYY-MM-DD] [--progress|--quiet]

Runs the job described by JOB.xml (see schemas/job.xsd and jobs/demo.xml):
  1. loads the programme rule sets, the registry and exchange rates the job names;
  2. takes every settled file in the inbox (not *.part, not hidden, not modified for the job's
     settle time), identifies it by SHA-256; a known file is a duplicate re-send and is never
     processed twice;
  3. rejects unreadable or inconsistent documents whole (quarantine with NAME.reason.txt) and
     accepts the rest, in the order rates, reports, control results, events;
  4. computes every report: EUR conversion at the submitted-on month's rate (HALF_UP), line
     rules, flat rates (DOWN), ERDF and state shares (FLOOR), own contribution (remainder);
  5. writes OUTPUT/JOB-AS_OF.xlsx when anything was new.

Options:
  --as-of DATE   the run's "today" (default: the system date, UTC); fixes the workbook name
  --progress     print progress even when stderr is not a terminal
  --quiet        print only errors
)";

constexpr const char* kCheckHelp = R"(cofin check [--job JOB.xml] FILE...

Validates each FILE and prints one line per finding:
  FILE:LINE[:COL]: SEVERITY RULE-ID: message
The kind is detected from the content (XML root namespace, CSV header). Without --job only the
schema / CSV layout and values are checked; with --job also the references to the job's
registry, rule sets and exchange rates, and the job's declared encodings (e.g. windows-1257).
Rule ids are listed in docs/rule-ids.md. Exit code 1 when any file has an error.
)";

constexpr const char* kAuditHelp = R"(cofin audit verify JOB.xml

Verifies the job's audit trail (kept in the job's ledger), changing nothing:
  1. recomputes every event's hash: hash_n = SHA-256(hash_n-1 || be64(n) || payload_n),
     hash_0 = 32 zero bytes, payload_n the event's canonical JSON;
  2. checks the chain against every head recorded outside it: each run's head in the ledger's
     runs table and in its log file logs/run-N.log (so removing the last events is caught);
  3. re-hashes every archived original, quarantined file and written workbook the trail names.
Prints "OK" with the head hash, or "BROKEN at event N (kind): why" naming the first broken
event, then any further problems.

Exit codes: 0 the trail verifies; 4 it is broken; 2 usage or configuration error (or a ledger
newer than this cofin); 3 the ledger cannot be read.
)";

std::optional<Date> parse_as_of(const std::string& text) {
  auto parsed = parse_date(text, DateFormat::kIso);
  if (!parsed) throw po::error("--as-of must be a date YYYY-MM-DD, got '" + text + "'");
  return parsed->first;
}

int run_command(const XmlContext& xml, const std::vector<std::string>& args) {
  po::options_description options("run");
  options.add_options()("help,h", "")("as-of", po::value<std::string>(), "")("progress", "")(
      "quiet,q", "")("job", po::value<std::string>(), "");
  po::positional_options_description positional;
  positional.add("job", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
  if (vm.count("help")) {
    std::fputs(kRunHelp, stdout);
    return kExitOk;
  }
  if (!vm.count("job")) throw po::error("run needs a job file: cofin run JOB.xml");
  if (vm.count("progress") && vm.count("quiet")) {
    throw po::error("--progress and --quiet exclude each other");
  }
  RunOptions run;
  if (vm.count("as-of")) run.as_of = parse_as_of(vm["as-of"].as<std::string>());
  run.quiet = vm.count("quiet") > 0;
  run.progress = vm.count("progress") > 0;
  return run_job(xml, vm["job"].as<std::string>(), run).exit_code;
}

int check_command(const XmlContext& xml, const std::vector<std::string>& args) {
  po::options_description options("check");
  options.add_options()("help,h", "")("job", po::value<std::string>(), "")(
      "files", po::value<std::vector<std::string>>(), "");
  po::positional_options_description positional;
  positional.add("files", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
  if (vm.count("help")) {
    std::fputs(kCheckHelp, stdout);
    return kExitOk;
  }
  if (!vm.count("files")) throw po::error("check needs at least one FILE");
  std::vector<std::filesystem::path> files;
  for (const auto& f : vm["files"].as<std::vector<std::string>>()) files.emplace_back(f);
  std::optional<std::filesystem::path> job;
  if (vm.count("job")) job = vm["job"].as<std::string>();
  const CheckSummary s = check_files(xml, job, files, std::cout);
  std::cout.flush();
  std::fprintf(stderr, "cofin check: %d file(s), %d rejected, %d error(s), %d warning(s)\n",
               s.files, s.rejected, s.errors, s.warnings);
  return s.exit_code;
}

int audit_command(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kAuditHelp, args.empty() ? stderr : stdout);
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] != "verify") throw po::error("unknown audit command '" + args[0] + "' (verify)");
  if (args.size() != 2 || args[1].starts_with("-")) {
    if (args.size() == 2 && (args[1] == "--help" || args[1] == "-h")) {
      std::fputs(kAuditHelp, stdout);
      return kExitOk;
    }
    throw po::error("audit verify needs exactly one job file: cofin audit verify JOB.xml");
  }
  XercesRuntime runtime;
  XmlContext xml(runtime);
  Diagnostics diags;
  JobContext ctx;
  try {
    ctx = load_job(xml, args[1], diags);
  } catch (const ConfigError&) {
    for (const Diagnostic& d : diags.items())
      std::fprintf(stderr, "%s\n", format_diagnostic(d).c_str());
    throw;
  }
  // The logs are read before the ledger: every head a log names was committed before the
  // ledger snapshot verify reads, even while a run is going on.
  const std::vector<RecordedHead> log_heads = read_log_heads(run_log_dir(ctx.job));
  auto ledger = Ledger::open_read_only(ledger_path(ctx.job));
  const VerifyResult r = verify_audit_trail(*ledger, log_heads);
  if (r.ok()) {
    std::printf(
        "cofin audit verify: OK: %lld events, head seq=%lld hash=%s; %d files re-hashed, "
        "%d recorded heads match\n",
        static_cast<long long>(r.events), static_cast<long long>(r.head ? r.head->seq : 0),
        r.head ? r.head->hash.c_str() : "(empty trail)", r.files_checked, r.heads_checked);
    return kExitOk;
  }
  const VerifyProblem& first = r.problems.front();
  std::printf("cofin audit verify: BROKEN at event %lld%s: %s\n", static_cast<long long>(first.seq),
              first.kind.empty() ? "" : (" (" + first.kind + ")").c_str(), first.reason.c_str());
  for (std::size_t i = 1; i < r.problems.size(); ++i) {
    std::printf("  also at event %lld%s: %s\n", static_cast<long long>(r.problems[i].seq),
                r.problems[i].kind.empty() ? "" : (" (" + r.problems[i].kind + ")").c_str(),
                r.problems[i].reason.c_str());
  }
  return kExitAuditBroken;
}

int dispatch(const std::vector<std::string>& argv) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h" || argv[0] == "help") {
    std::fputs(kUsage, argv.empty() ? stderr : stdout);
    return argv.empty() ? kExitUsage : kExitOk;
  }
  if (argv[0] == "--version") {
    std::printf("cofin %s\n", COFIN_VERSION);
    return kExitOk;
  }
  const std::string command = argv[0];
  const std::vector<std::string> rest(argv.begin() + 1, argv.end());
  if (command == "audit") return audit_command(rest);
  if (command != "run" && command != "check") {
    throw po::error("unknown command '" + command + "' (run, check, audit)");
  }
  XercesRuntime runtime;
  XmlContext xml(runtime);
  return command == "run" ? run_command(xml, rest) : check_command(xml, rest);
}

}  // namespace

int main(int argc, char** argv) {
#if defined(__GLIBC__)
  // glibc raises its mmap threshold up to 32 MB as large blocks are freed; from then on the
  // run's phase-sized buffers come from the heap and their freed pages stay resident. A fixed
  // threshold keeps blocks above 128 KiB in their own mappings, returned when freed; a 32 MiB
  // trim threshold keeps the heap's top from being given back and faulted in again for every
  // report-sized buffer. 5M-line first night: 213 -> 188 MiB; the 1M incremental night's time
  // before the workbook about as with glibc's defaults (bench/RESULTS.md, session 5).
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  mallopt(M_TRIM_THRESHOLD, 32 * 1024 * 1024);
#endif
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return dispatch(args);
  } catch (const po::error& e) {
    std::fprintf(stderr, "cofin: %s\nTry 'cofin --help'.\n", e.what());
    return kExitUsage;
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "cofin: configuration error: %s\n", e.what());
    return kExitUsage;
  } catch (const LedgerTooNew& e) {
    std::fprintf(stderr, "cofin: %s\n", e.what());
    return kExitUsage;
  } catch (const LockHeld& e) {
    std::fprintf(stderr, "cofin: %s\n", e.what());
    return kExitLocked;
  } catch (const std::exception& e) {
    // I/O, database, workbook, overflow: fatal, and nothing half-written (temp + rename).
    std::fprintf(stderr, "cofin: fatal: %s\n", e.what());
    return kExitFatal;
  }
}
