// cofin_bench_generate: writes a benchmark data set (issue #6) from the seeded generator of
// tests/support/generator.h: registry, SEK rates, partner reports as CSV and as XML, control
// results, approval and payment events, and the jobs that read them.
//
//   cofin_bench_generate --out DIR --lines N [--partners 4] [--reports 5]
//                        [--lines-per-report 500] [--anomaly-percent 10] [--seed 1]
//                        [--extra-lines 0]
//
// Layout of DIR (every report file is written once per format; controls and events are the same
// XML in both inboxes):
//   registry.xml, rates-sek.csv
//   inbox-csv/   reports as CSV, control results, events (one file per project)
//   inbox-xml/   the same reports as XML, the same control results and events
//   extra-csv/   the reports, controls and events of the --extra-lines projects (incremental night)
//   job-csv.xml, job-csvpp.xml (per-project workbooks), job-xml.xml
//   counts.txt   what was written (projects, reports, lines, bytes)
//
// Projects = ceil(N / (partners × reports × lines-per-report)). Partner 3 of every project is
// Swedish and reports in SEK (generator.h), so --partners sets the SEK share (1 in 3 or 4).
// Writes streamed report by report: memory does not grow with N.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "support/generator.h"

namespace fs = std::filesystem;
using cofin::testing::GeneratedWorld;
using cofin::testing::GeneratorOptions;
using cofin::testing::ReportGenerator;

namespace {

struct Args {
  fs::path out;
  long long lines = 10'000;
  long long extra_lines = 0;
  GeneratorOptions gen;
};

long long number(const std::string& flag, const std::string& text) {
  std::size_t used = 0;
  long long value = std::stoll(text, &used);
  if (used != text.size() || value < 0)
    throw std::invalid_argument(flag + ": not a count: " + text);
  return value;
}

Args parse_args(int argc, char** argv) {
  Args a;
  a.gen.partners_per_project = 4;
  a.gen.reports_per_partner = 5;
  a.gen.lines_per_report = 500;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--out")
      a.out = value;
    else if (flag == "--lines")
      a.lines = number(flag, value);
    else if (flag == "--extra-lines")
      a.extra_lines = number(flag, value);
    else if (flag == "--partners")
      a.gen.partners_per_project = static_cast<int>(number(flag, value));
    else if (flag == "--reports")
      a.gen.reports_per_partner = static_cast<int>(number(flag, value));
    else if (flag == "--lines-per-report")
      a.gen.lines_per_report = static_cast<int>(number(flag, value));
    else if (flag == "--anomaly-percent")
      a.gen.anomaly_percent = static_cast<int>(number(flag, value));
    else if (flag == "--seed")
      a.gen.seed = static_cast<std::uint64_t>(number(flag, value));
    else
      throw std::invalid_argument("unknown option " + flag);
  }
  if (a.out.empty()) throw std::invalid_argument("--out DIR is required");
  return a;
}

// Opens `path` for writing or throws.
std::ofstream create(const fs::path& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error("cannot create " + path.string());
  return out;
}

void close(std::ofstream& out, const fs::path& path) {
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string job_xml(const std::string& name, const std::string& inbox, bool per_project,
                    const fs::path& source_dir) {
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<job xmlns=\"urn:cofin:job:1\">\n";
  x += "  <name>" + name + "</name>\n";
  x += "  <inbox dir=\"" + inbox + "\" mode=\"keep\" settle-seconds=\"0\"/>\n";
  x += "  <archive dir=\"var-" + name + "/archive\"/>\n";
  x += "  <quarantine dir=\"var-" + name + "/quarantine\"/>\n";
  x += "  <programme file=\"" +
       (source_dir / "jobs/programmes/central-baltic-2021-2027.xml").string() + "\"/>\n";
  x += "  <registry file=\"registry.xml\"/>\n";
  x += "  <rates file=\"rates-sek.csv\"/>\n";
  x += "  <ledger>sqlite:var-" + name + "/ledger.sqlite</ledger>\n";
  x += "  <output dir=\"out-" + name + "\"/>\n";
  if (per_project) x += "  <workbooks per-project=\"true\"/>\n";
  x += "</job>\n";
  return x;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    Args a = parse_args(argc, argv);
    const long long per_project = static_cast<long long>(a.gen.partners_per_project) *
                                  a.gen.reports_per_partner * a.gen.lines_per_report;
    const int main_projects = static_cast<int>((a.lines + per_project - 1) / per_project);
    const int extra_projects = static_cast<int>((a.extra_lines + per_project - 1) / per_project);
    a.gen.projects = main_projects + extra_projects;
    const ReportGenerator gen(a.gen);

    fs::create_directories(a.out);
    for (const char* d : {"inbox-csv", "inbox-xml", "extra-csv"}) {
      fs::remove_all(a.out / d);
      fs::create_directories(a.out / d);
    }
    {
      std::ofstream f = create(a.out / "registry.xml");
      gen.write_registry_xml(f);
      close(f, a.out / "registry.xml");
      std::ofstream r = create(a.out / "rates-sek.csv");
      gen.write_rates_csv(r);
      close(r, a.out / "rates-sek.csv");
    }

    // Events do not depend on the number of lines: take them from a world of 4-line reports.
    GeneratorOptions small = a.gen;
    small.lines_per_report = 4;
    GeneratedWorld world;
    ReportGenerator(small).fill(world);

    long long lines_main = 0, lines_extra = 0, reports = 0, controls = 0;
    std::uintmax_t csv_bytes = 0, xml_bytes = 0;
    for (int i = 0; i < a.gen.projects; ++i) {
      const bool extra = i >= main_projects;
      const fs::path csv_dir = a.out / (extra ? "extra-csv" : "inbox-csv");
      const std::string id = cofin::testing::generated_project_id(i);
      // Controls and events go into both inboxes (the extra project's only into extra-csv).
      std::vector<fs::path> targets{csv_dir};
      if (!extra) targets.push_back(a.out / "inbox-xml");
      for (int p = 1; p <= a.gen.partners_per_project; ++p) {
        for (int r = 1; r <= a.gen.reports_per_partner; ++r) {
          const std::string stem = id + "-p" + std::to_string(p) + "-r" + std::to_string(r);
          const cofin::PartnerReport report = gen.report(i, p, r);
          (extra ? lines_extra : lines_main) += static_cast<long long>(report.lines.size());
          ++reports;
          {
            const fs::path path = csv_dir / (stem + ".csv");
            std::ofstream f = create(path);
            gen.write_report_csv(f, report);
            close(f, path);
            csv_bytes += extra ? 0 : fs::file_size(path);
          }
          if (!extra) {
            const fs::path path = a.out / "inbox-xml" / (stem + ".xml");
            std::ofstream f = create(path);
            gen.write_report_xml(f, report);
            close(f, path);
            xml_bytes += fs::file_size(path);
          }
          // The last report of each partner is still with the controller (as fill() does).
          if (r < a.gen.reports_per_partner) {
            const cofin::ControlResult control = gen.control(report);
            ++controls;
            for (const fs::path& dir : targets) {
              const fs::path path = dir / (stem + "-control.xml");
              std::ofstream f = create(path);
              gen.write_control_xml(f, control);
              close(f, path);
            }
          }
        }
      }
      std::vector<cofin::ApprovalEvent> approvals;
      std::vector<cofin::PaymentEvent> payments;
      for (const auto& ap : world.approvals) {
        if (ap.project == id) approvals.push_back(ap);
      }
      for (const auto& pay : world.payments) {
        if (pay.report.project == id) payments.push_back(pay);
      }
      if (!approvals.empty() || !payments.empty()) {
        for (const fs::path& dir : targets) {
          const fs::path path = dir / (id + "-events.xml");
          std::ofstream f = create(path);
          gen.write_events_xml(f, approvals, payments);
          close(f, path);
        }
      }
    }

    const fs::path source_dir = COFIN_SOURCE_DIR;
    for (const auto& [file, name, inbox, pp] :
         {std::tuple{"job-csv.xml", "csv", "inbox-csv", false},
          std::tuple{"job-csvpp.xml", "csvpp", "inbox-csv", true},
          std::tuple{"job-xml.xml", "xml", "inbox-xml", false}}) {
      std::ofstream f = create(a.out / file);
      f << job_xml(name, inbox, pp, source_dir);
      close(f, a.out / file);
    }
    std::ofstream counts = create(a.out / "counts.txt");
    counts << "projects " << main_projects << "\nextra_projects " << extra_projects << "\nreports "
           << reports << "\ncontrols " << controls << "\nlines " << lines_main << "\nextra_lines "
           << lines_extra << "\ncsv_bytes " << csv_bytes << "\nxml_bytes " << xml_bytes << "\n";
    close(counts, a.out / "counts.txt");
    std::cout << "projects " << main_projects << " lines " << lines_main << " csv_bytes "
              << csv_bytes << " xml_bytes " << xml_bytes << " extra_lines " << lines_extra << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "cofin_bench_generate: " << e.what() << "\n";
    return 2;
  }
}
