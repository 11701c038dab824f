// cofin_bench_compute: the "ingest + checks + computation" stage of the benchmark (issue #6),
// without ledger and workbook: reads every file of a directory with cofin::load_document (the
// entry point `run` and `check` use), fills a Portfolio and calls
// cofin::compute_portfolio_streamed.
//
//   cofin_bench_compute DATA_DIR INBOX_SUBDIR [THREADS] [REPEAT] [WORKBOOK_DIR]
//
// DATA_DIR holds registry.xml and rates-sek.csv (cofin_bench_generate); the rule set is the
// repository's jobs/programmes/central-baltic-2021-2027.xml. THREADS (default 1) load files in
// parallel, each with its own XmlContext over the one XercesRuntime. REPEAT (default 1) repeats
// the whole stage in one process (for callgrind, which needs no repeat, leave it 1).
// With WORKBOOK_DIR, the outcome is then written with cofin::write_run_workbooks three times: the
// programme-wide workbook alone (wb_s), then with the per-project workbooks as `cofin run`
// writes them, all on two writer threads (wb_pp_total_s), then the per-project workbooks alone,
// on two threads (wb_pp_only_s: the "same cells split into per-project workbooks").
// Prints one line: files, lines, findings, seconds for load / compute / total, lines/s, peak
// RSS (getrusage). Exit 1 when any document is rejected (the figures would be meaningless).
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "calc/line_spill.h"
#include "calc/portfolio.h"
#include "ingest/document.h"
#include "ingest/xml_parser.h"
#include "job/files.h"
#include "job/spill_file.h"
#include "workbook/workbook.h"

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Loads one document or throws with its first diagnostic: the benchmark's data must be clean.
// With `lines`, a report's lines go there as they are parsed (as `cofin run` spills them).
cofin::LoadedDocument load(const cofin::XmlContext& xml, const fs::path& path,
                           cofin::LineSink* lines = nullptr) {
  const cofin::FileBytes bytes = cofin::read_file_bytes(path);
  cofin::Diagnostics diags;
  cofin::LoadedDocument doc =
      load_document(xml, path, path.filename().string(), bytes.view(), "utf-8", diags, lines);
  if (!doc.ok()) throw std::runtime_error("rejected: " + path.string());
  return doc;
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: cofin_bench_compute DATA_DIR INBOX_SUBDIR [THREADS] [REPEAT]\n";
    return 2;
  }
  try {
    const fs::path data = argv[1];
    const fs::path inbox = data / argv[2];
    const unsigned threads = argc > 3 ? static_cast<unsigned>(std::stoul(argv[3])) : 1;
    const int repeat = argc > 4 ? std::stoi(argv[4]) : 1;
    const fs::path workbook_dir = argc > 5 ? fs::path(argv[5]) : fs::path();

    cofin::XercesRuntime runtime;
    std::vector<std::unique_ptr<cofin::XmlContext>> contexts;
    for (unsigned t = 0; t < std::max(1u, threads); ++t) {
      contexts.push_back(std::make_unique<cofin::XmlContext>(runtime));
    }
    // Job configuration: loaded once, outside the timed stage (a run loads it once too).
    cofin::Registry registry =
        std::get<cofin::Registry>(load(*contexts[0], data / "registry.xml").content);
    std::vector<cofin::ProgrammeRules> programmes{std::get<cofin::ProgrammeRules>(
        load(*contexts[0],
             fs::path(COFIN_SOURCE_DIR) / "jobs/programmes/central-baltic-2021-2027.xml")
            .content)};
    cofin::RateTable rates;
    cofin::LoadedDocument rate_doc = load(*contexts[0], data / "rates-sek.csv");
    if (const auto* table = std::get_if<std::vector<cofin::ExchangeRate>>(&rate_doc.content)) {
      for (const cofin::ExchangeRate& r : *table) rates.add(r);
    }

    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(inbox)) files.push_back(entry.path());
    std::sort(files.begin(), files.end());

    // As `cofin run` does: each report's lines go to a spill file next to the data as soon as it
    // is parsed, and the computed findings too (COFIN_BENCH_HELD=1: everything held, as before
    // session 4).
    const char* held_env = std::getenv("COFIN_BENCH_HELD");
    const bool held = held_env != nullptr && std::string(held_env) == "1";
    for (int round = 0; round < repeat; ++round) {
      const Clock::time_point start = Clock::now();
      const std::shared_ptr<cofin::SpillFile> spill =
          held ? nullptr : std::make_shared<cofin::SpillFile>(data);
      std::vector<cofin::LoadedDocument> docs(files.size());
      std::vector<std::shared_ptr<const cofin::SpilledLines>> spilled(files.size());
      std::atomic<std::size_t> next{0};
      std::atomic<std::size_t> lines_read{0};
      std::mutex error_mutex;
      std::string error;
      auto worker = [&](const cofin::XmlContext* xml) {
        for (std::size_t i = next++; i < files.size(); i = next++) {
          try {
            cofin::LineSpiller spiller;
            docs[i] = load(*xml, files[i], spill ? &spiller : nullptr);
            if (spill && std::holds_alternative<cofin::PartnerReport>(docs[i].content)) {
              lines_read += spiller.count();
              spilled[i] = spiller.finish(spill);
            }
          } catch (const std::exception& e) {
            std::lock_guard<std::mutex> lock(error_mutex);
            if (error.empty()) error = e.what();
          }
        }
      };
      std::vector<std::thread> pool;
      for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker, contexts[t].get());
      worker(contexts[0].get());
      for (std::thread& t : pool) t.join();
      if (!error.empty()) throw std::runtime_error(error);
      const double load_s = seconds_since(start);

      cofin::Portfolio portfolio;
      portfolio.registry = &registry;
      portfolio.programmes = &programmes;
      portfolio.as_of = *cofin::Date::from_ymd(2027, 6, 30);
      portfolio.rates = rates;
      long long lines = 0;
      for (std::size_t i = 0; i < docs.size(); ++i) {
        cofin::DocumentContent& c = docs[i].content;
        if (auto* report = std::get_if<cofin::PartnerReport>(&c)) {
          lines += static_cast<long long>(report->lines.size());
          cofin::ReportKey key{report->project, report->partner, report->report};
          portfolio.reports[key] = cofin::AcceptedReport{
              std::make_shared<const cofin::PartnerReport>(std::move(*report)),
              files[i].filename().string(), "", std::move(spilled[i])};
        } else if (auto* control = std::get_if<cofin::ControlResult>(&c)) {
          cofin::ReportKey key{control->project, control->partner, control->report};
          portfolio.controls[key].push_back(cofin::AcceptedControl{
              std::make_shared<const cofin::ControlResult>(std::move(*control)),
              files[i].filename().string(), nullptr});
        } else if (auto* events = std::get_if<cofin::EventsDocument>(&c)) {
          for (cofin::Event& e : events->events) {
            if (auto* a = std::get_if<cofin::ApprovalEvent>(&e)) {
              portfolio.approvals.push_back(std::move(*a));
            } else {
              portfolio.payments.push_back(std::move(std::get<cofin::PaymentEvent>(e)));
            }
          }
        }
      }
      docs.clear();
      const Clock::time_point compute_start = Clock::now();
      const cofin::Date as_of = portfolio.as_of;
      // As `cofin run` does: every report computed once, its lines not kept but computed again
      // when a workbook reads them (compute_portfolio_streamed); partners on `threads` threads.
      // COFIN_BENCH_HELD=1 keeps every LineOutcome instead (the code before the streaming).
      if (spill) lines = static_cast<long long>(lines_read.load());
      cofin::RunOutcome outcome =
          held ? cofin::compute_portfolio(std::move(portfolio), threads)
               : cofin::compute_portfolio_streamed(std::move(portfolio), threads, spill);
      outcome.job_name = "bench";
      outcome.as_of = as_of;
      const double compute_s = seconds_since(compute_start);
      const double total_s = seconds_since(start);
      double wb_s = 0, wb_pp_total_s = 0, wb_pp_only_s = 0;
      if (!workbook_dir.empty()) {
        fs::remove_all(workbook_dir);
        fs::create_directories(workbook_dir / "all");
        fs::create_directories(workbook_dir / "pp");
        const Clock::time_point wb_start = Clock::now();
        cofin::write_run_workbooks(outcome, workbook_dir / "all", {}, false);
        wb_s = seconds_since(wb_start);
        const Clock::time_point pp_start = Clock::now();
        cofin::write_run_workbooks(outcome, workbook_dir / "pp", {}, true);
        wb_pp_total_s = seconds_since(pp_start);
        fs::create_directories(workbook_dir / "pp-only");
        const Clock::time_point pp_only_start = Clock::now();
        cofin::write_run_workbooks(outcome, workbook_dir / "pp-only", {}, true, false);
        wb_pp_only_s = seconds_since(pp_only_start);
      }
      std::printf(
          "files %zu lines %lld outcome_lines %zu findings %zu threads %u load_s %.3f compute_s "
          "%.3f total_s %.3f lines_per_s %.0f wb_s %.3f wb_pp_total_s %.3f wb_pp_only_s %.3f "
          "peak_rss_mib %.1f\n",
          files.size(), lines, cofin::line_count(outcome), cofin::finding_count(outcome), threads,
          load_s, compute_s, total_s, static_cast<double>(lines) / total_s, wb_s, wb_pp_total_s,
          wb_pp_only_s, peak_rss_kib() / 1024.0);
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "cofin_bench_compute: " << e.what() << "\n";
    return 1;
  }
}
