// The run's workbooks: the programme-wide one and, on request, one per project, written in
// parallel (each workbook is independent; libxlsxwriter keeps no state between workbooks).
#include <time.h>
#include <algorithm>

#include <atomic>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>

#include "workbook/project_outcome.h"
#include "workbook/workbook.h"

namespace cofin {

namespace {

// Writes are zlib- and printf-bound: one per core, and the machine's cores are shared.
constexpr unsigned kMaxWriters = 2;

struct Task {
  std::filesystem::path path;
  std::string project;  // empty: the programme-wide workbook
};

}  // namespace

std::string project_workbook_file_name(const std::string& job_name, const Date& as_of,
                                       const std::string& project) {
  std::string safe;
  for (char c : project) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
    safe += keep ? c : '_';
  }
  if (safe.empty()) safe = "_";
  return job_name + "-" + as_of.to_string() + "-" + safe + ".xlsx";
}

std::vector<std::filesystem::path> write_run_workbooks(const RunOutcome& outcome,
                                                       const std::filesystem::path& output_dir,
                                                       const WorkbookOptions& options,
                                                       bool per_project, bool programme_wide) {
  std::vector<Task> tasks;
  if (programme_wide) {
    tasks.push_back({output_dir / workbook_file_name(outcome.job_name, outcome.as_of), ""});
  }
  if (per_project) {
    std::set<std::string> names;
    for (const std::string& project : outcome_projects(outcome)) {
      const std::string base = project_workbook_file_name(outcome.job_name, outcome.as_of, project);
      std::string name = base;
      for (int n = 2; !names.insert(name).second; ++n) {
        name = base.substr(0, base.size() - 5) + "-" + std::to_string(n) + ".xlsx";
      }
      tasks.push_back({output_dir / name, project});
    }
  }

  // A run large enough for constant-memory mode writes its per-project workbooks that way too,
  // however small each one is: no cell table in memory per writer, and fewer instructions
  // (callgrind, bench/xlsx_floor with the cells of a 10k-line workbook: 2.45 G against 2.66 G).
  WorkbookOptions project_options = options;
  if (uses_constant_memory(outcome, options)) project_options.constant_memory = true;

  // Which findings are each project's: one pass over the run's findings (420k at 1M lines, read
  // back from where the run keeps them), made by the first writer to need it, while the other
  // may be writing the programme-wide workbook.
  std::once_flag findings_found;
  std::map<std::string, std::vector<FindingRange>> findings_by_project;
  const auto project_findings_of =
      [&](const std::string& project) -> const std::vector<FindingRange>& {
    std::call_once(findings_found, [&] { findings_by_project = project_findings(outcome); });
    return findings_by_project.at(project);
  };

  std::vector<std::exception_ptr> errors(tasks.size());
  std::vector<char> written(tasks.size(), 0);
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next++; i < tasks.size(); i = next++) {
      try {
        if (tasks[i].project.empty()) {
          write_workbook(outcome, tasks[i].path, options);
        } else {
          write_workbook(
              project_outcome(outcome, tasks[i].project, project_findings_of(tasks[i].project)),
              tasks[i].path, project_options);
        }
        written[i] = 1;
      } catch (...) {
        // Carried to the calling thread and rethrown there, never swallowed.
        errors[i] = std::current_exception();
      }
    }
  };
  const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t helpers =
      std::min<std::size_t>(std::min(hardware, kMaxWriters), tasks.size()) - 1;
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < helpers; ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();

  for (std::size_t i = 0; i < tasks.size(); ++i) {
    if (!errors[i]) continue;
    // A partial set of workbooks would disagree with the ledger's run record: remove them all.
    for (std::size_t j = 0; j < tasks.size(); ++j) {
      if (written[j] == 0) continue;
      std::error_code ec;
      std::filesystem::remove(tasks[j].path, ec);
    }
    std::rethrow_exception(errors[i]);
  }
  std::vector<std::filesystem::path> paths;
  for (const Task& t : tasks) paths.push_back(t.path);
  return paths;
}

}  // namespace cofin

// libxlsxwriter 1.1.4 stamps docProps/core.xml through gmtime(), whose result lives in one
// static buffer per process, so two workbooks closed on two threads race on it
// (ThreadSanitizer found it in a per-project run). Defined here, in the executable, gmtime is
// what the library's call resolves to (ELF symbol interposition): each thread gets its own
// buffer; the result is the C library's own gmtime_r.
extern "C" struct tm* gmtime(const time_t* timer) noexcept {
  thread_local struct tm result {};
  return ::gmtime_r(timer, &result);
}
