// cofin_bench_spill_codec: what the run-local spill costs (issue #6): bytes a line and a finding
// of model/line_codec.h against their in-memory size, encode and decode rates on one core, and
// the round trip through job/spill_file.h (append with checksum, pread, verify, decode).
//
//   cofin_bench_spill_codec [PROJECTS] [SPILL_DIR]
//
// PROJECTS (default 100 = 1M lines) of the benchmark's shape (4 partners, 5 reports, 500 lines;
// bench/generate.cpp), each report written as CSV and read back with read_report_csv, so lines
// carry the pos a run gives them. Findings are those compute_portfolio finds on the same
// generator's world (at most 40 projects), spilled per report file. SPILL_DIR defaults to /tmp.
// Rates are the best of 5 (3 for the spill) repetitions; in-memory sizes count sizeof plus the
// heap blocks of strings longer than the small-string buffer (15 bytes).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "calc/portfolio.h"
#include "ingest/csv_report.h"
#include "job/checksum64.h"
#include "job/spill_file.h"
#include "model/line_codec.h"
#include "support/generator.h"

using namespace cofin;
using Clock = std::chrono::steady_clock;

namespace {

std::size_t heap(const std::string& s) {
  return s.size() > 15 ? s.capacity() + 1 : 0;
}

std::size_t in_memory(const ExpenseLine& l) {
  return sizeof(ExpenseLine) + heap(l.unit_cost) + heap(l.internal_ref) + heap(l.invoice_no) +
         heap(l.supplier) + heap(l.supplier_id) + heap(l.procurement_ref) + heap(l.description) +
         heap(l.currency) + heap(l.reincluded_from) + heap(l.pos.file);
}

std::size_t in_memory(const Diagnostic& d) {
  return sizeof(Diagnostic) + heap(d.rule_id) + heap(d.file) + heap(d.field) + heap(d.message);
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string report_file(const std::string& project, int partner, int report) {
  return project + "-p" + std::to_string(partner) + "-r" + std::to_string(report) + ".csv";
}

}  // namespace

int main(int argc, char** argv) {
  testing::GeneratorOptions options;
  options.projects = argc > 1 ? std::atoi(argv[1]) : 100;
  options.partners_per_project = 4;
  options.reports_per_partner = 5;
  options.lines_per_report = 500;
  const std::string spill_dir = argc > 2 ? argv[2] : "/tmp";
  const testing::ReportGenerator generator(options);

  std::vector<std::vector<ExpenseLine>> reports;
  std::size_t lines = 0, memory = 0;
  for (int p = 0; p < options.projects; ++p) {
    for (int partner = 1; partner <= options.partners_per_project; ++partner) {
      for (int r = 1; r <= options.reports_per_partner; ++r) {
        std::ostringstream csv;
        generator.write_report_csv(csv, generator.report(p, partner, r));
        Diagnostics diags;
        const std::string file = report_file(testing::generated_project_id(p), partner, r);
        auto report = read_report_csv(file, csv.str(), diags);
        if (!report) {
          std::fprintf(stderr, "%s: rejected\n", file.c_str());
          return 1;
        }
        for (const ExpenseLine& l : report->lines) memory += in_memory(l);
        lines += report->lines.size();
        reports.push_back(std::move(report->lines));
      }
    }
  }

  std::vector<std::string> blobs(reports.size());
  double encode_s = 1e9, decode_s = 1e9;
  std::size_t bytes = 0;
  for (int repeat = 0; repeat < 5; ++repeat) {
    auto start = Clock::now();
    bytes = 0;
    for (std::size_t k = 0; k < reports.size(); ++k) {
      blobs[k].clear();
      encode_lines(reports[k], blobs[k]);
      bytes += blobs[k].size();
    }
    encode_s = std::min(encode_s, seconds_since(start));
    start = Clock::now();
    std::size_t decoded = 0;
    for (const std::string& blob : blobs) decoded += decode_lines(blob).size();
    decode_s = std::min(decode_s, seconds_since(start));
    if (decoded != lines) return 2;
  }
  std::printf("lines %zu in %zu reports: in memory %.1f B/line, encoded %.1f B/line (%.1f %%)\n",
              lines, reports.size(), double(memory) / double(lines), double(bytes) / double(lines),
              100.0 * double(bytes) / double(memory));
  std::printf("lines: encode %.2f M lines/s, decode %.2f M lines/s (one core)\n",
              double(lines) / encode_s / 1e6, double(lines) / decode_s / 1e6);

  {
    SpillFile spill(spill_dir);
    std::vector<SpillExtent> extents;
    auto start = Clock::now();
    for (const std::string& blob : blobs) extents.push_back(spill.append(blob));
    const double append_s = seconds_since(start);
    double read_s = 1e9, checksum_s = 1e9;
    for (int repeat = 0; repeat < 3; ++repeat) {
      start = Clock::now();
      std::size_t decoded = 0;
      for (const SpillExtent& e : extents) decoded += decode_lines(spill.read(e).view()).size();
      read_s = std::min(read_s, seconds_since(start));
      if (decoded != lines) return 3;
      start = Clock::now();
      std::uint64_t sum = 0;
      for (const std::string& blob : blobs) sum ^= checksum64(blob);
      checksum_s = std::min(checksum_s, seconds_since(start));
      if (sum == 1) std::printf(" ");  // keeps the loop from being optimised away
    }
    std::printf(
        "spill in %s: append %.2f GB/s (checksum included), read + verify + decode %.2f M "
        "lines/s, checksum64 %.2f GB/s\n",
        spill_dir.c_str(), double(bytes) / append_s / 1e9, double(lines) / read_s / 1e6,
        double(bytes) / checksum_s / 1e9);
  }

  testing::GeneratedWorld world;
  testing::GeneratorOptions finding_options = options;
  finding_options.projects = std::min(options.projects, 40);
  testing::ReportGenerator(finding_options).fill(world);
  for (PartnerReport& r : world.reports) {
    r.pos.file = report_file(r.project, r.partner, r.report);
    for (ExpenseLine& l : r.lines) l.pos.file = r.pos.file;
  }
  const RunOutcome outcome = compute_portfolio(world.portfolio(), 1);
  const std::vector<Diagnostic>& findings = outcome.findings;
  if (findings.empty()) return 4;
  std::size_t finding_memory = 0;
  for (const Diagnostic& d : findings) finding_memory += in_memory(d);
  std::vector<std::vector<Diagnostic>> groups;  // per report file, as a run spills them
  for (std::size_t k = 0; k < findings.size(); ++k) {
    if (k == 0 || findings[k].file != findings[k - 1].file) groups.emplace_back();
    groups.back().push_back(findings[k]);
  }
  std::vector<std::string> finding_blobs(groups.size());
  double finding_encode_s = 1e9, finding_decode_s = 1e9;
  std::size_t finding_bytes = 0;
  for (int repeat = 0; repeat < 5; ++repeat) {
    auto start = Clock::now();
    finding_bytes = 0;
    for (std::size_t k = 0; k < groups.size(); ++k) {
      finding_blobs[k].clear();
      encode_diagnostics(groups[k], finding_blobs[k]);
      finding_bytes += finding_blobs[k].size();
    }
    finding_encode_s = std::min(finding_encode_s, seconds_since(start));
    start = Clock::now();
    std::size_t decoded = 0;
    for (const std::string& blob : finding_blobs) decoded += decode_diagnostics(blob).size();
    finding_decode_s = std::min(finding_decode_s, seconds_since(start));
    if (decoded != findings.size()) return 5;
  }
  std::printf(
      "findings %zu in %zu groups: in memory %.1f B, encoded %.1f B (%.1f %%); encode %.2f M/s, "
      "decode %.2f M/s\n",
      findings.size(), groups.size(), double(finding_memory) / double(findings.size()),
      double(finding_bytes) / double(findings.size()),
      100.0 * double(finding_bytes) / double(finding_memory),
      double(findings.size()) / finding_encode_s / 1e6,
      double(findings.size()) / finding_decode_s / 1e6);
  return 0;
}
