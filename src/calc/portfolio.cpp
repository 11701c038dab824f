#include "calc/portfolio.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdint>
#include <exception>
#include <future>
#include <iterator>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>

#include "calc/portfolio_duplicates.h"
#include "calc/report_calc.h"
#include "calc/spilled_findings.h"

namespace cofin {
namespace {

ReportKey key_of(const PartnerReportRef& r) {
  return {r.project, r.partner, r.report};
}

const ProgrammeRules* programme_of(const std::vector<ProgrammeRules>& programmes,
                                   const std::string& id) {
  for (const auto& p : programmes) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

// One report to compute: where it sits in the portfolio and where its lines go.
struct ReportTask {
  ReportKey key;
  const AcceptedReport* stored = nullptr;
  AcceptedReport* releasable = nullptr;  // set when the caller gave the portfolio away
  const Project* project = nullptr;
  const Partner* partner = nullptr;
  const ProgrammeRules* rules = nullptr;
  std::size_t first_line = 0;  // index into the run's lines
  std::size_t line_count = 0;
  std::size_t hits_begin = 0;  // the report's duplicate hits: range in SharedInputs::hits
  std::size_t hits_end = 0;
};

// A partner's reports in report order. Partners are independent of each other once the
// portfolio-wide duplicate check has run: the cumulative totals, parked origins and
// re-inclusions are all per partner (domain §4, §6), so partners may be computed in parallel,
// and a partner computed again gives the same result.
struct PartnerTasks {
  std::size_t begin = 0;  // range in the task vector
  std::size_t end = 0;
};

struct PartnerState {
  PriorTotals prior;
  ParkedOrigins origins;
  std::set<std::string> reincluded;
};

// One duplicate hit (rules/duplicates.h) as the computation holds it until the run ends (the
// workbook computes the lines again): its line, amounts and the line it repeats, whose project is
// an index into SharedInputs::hit_projects. At 5M lines, 90k hits held as map nodes keyed by a
// LineRef took 14 MB; this is a third of that.
struct PlannedHit {
  int line = 0;
  int repeat_partner = 0;
  int repeat_report = 0;
  int repeat_line = 0;
  std::int32_t repeat_project = -1;  // -1: repeats no earlier line
  Money over_total;
  Money declared_so_far;
  Money invoice_total;
};

struct SharedInputs {
  const Portfolio* portfolio = nullptr;
  std::map<ReportKey, const ApprovalEvent*> approval_of;
  std::map<ReportKey, std::vector<const PaymentEvent*>> payments_of;
  std::vector<PlannedHit> hits;           // by task, then line (ReportTask::hits_begin)
  std::vector<std::string> hit_projects;  // projects of the lines hits repeat
};

// Returns `hit` as compute_report reads it.
DuplicateHit duplicate_hit(const SharedInputs& shared, const PlannedHit& hit) {
  DuplicateHit out;
  out.over_total = hit.over_total;
  out.declared_so_far = hit.declared_so_far;
  out.invoice_total = hit.invoice_total;
  if (hit.repeat_project >= 0) {
    out.repeat_of = LineRef{shared.hit_projects.at(static_cast<std::size_t>(hit.repeat_project)),
                            hit.repeat_partner, hit.repeat_report, hit.repeat_line};
  }
  return out;
}

// Returns `hit` as the plan holds it, interning the project it repeats in `projects`.
PlannedHit planned_hit(int line, const DuplicateHit& hit, std::vector<std::string>& projects,
                       std::map<std::string, std::int32_t>& project_index) {
  PlannedHit out;
  out.line = line;
  out.over_total = hit.over_total;
  out.declared_so_far = hit.declared_so_far;
  out.invoice_total = hit.invoice_total;
  if (hit.repeat_of) {
    auto [it, added] = project_index.try_emplace(hit.repeat_of->project,
                                                 static_cast<std::int32_t>(projects.size()));
    if (added) projects.push_back(hit.repeat_of->project);
    out.repeat_project = it->second;
    out.repeat_partner = hit.repeat_of->partner;
    out.repeat_report = hit.repeat_of->report;
    out.repeat_line = hit.repeat_of->line;
  }
  return out;
}

// What the computation needs besides the portfolio: the portfolio-wide facts and the order.
struct Plan {
  SharedInputs shared;
  std::vector<ReportTask> tasks;
  std::vector<PartnerTasks> partners;
  std::size_t line_total = 0;
};

Plan make_plan(const Portfolio& portfolio, Portfolio* releasable, unsigned threads) {
  Plan plan;
  SharedInputs& shared = plan.shared;
  shared.portfolio = &portfolio;
  // No double funding across lines, reports, partners, projects and runs: the portfolio holds
  // every accepted report, so the duplicate check sees them all at once (domain §4).
  // Spilled reports give their lines' invoice marks, and only those holding a line that can take
  // part in a duplicate are read back.
  std::map<LineRef, DuplicateHit> duplicates = find_portfolio_duplicates(portfolio, threads);
  auto next_hit = duplicates.begin();
  std::map<std::string, std::int32_t> project_index;
  // The first approval covering a report, in acceptance order; every payment on it.
  for (const ApprovalEvent& a : portfolio.approvals) {
    for (const PartnerReportRef& r : a.covers) shared.approval_of.emplace(key_of(r), &a);
  }
  for (const PaymentEvent& p : portfolio.payments) {
    shared.payments_of[key_of(p.report)].push_back(&p);
  }

  for (const auto& [key, stored] : portfolio.reports) {
    const Project* project = portfolio.registry->project(std::get<0>(key));
    const Partner* partner = project ? project->partner(std::get<1>(key)) : nullptr;
    const ProgrammeRules* rules =
        project ? programme_of(*portfolio.programmes, project->programme_id) : nullptr;
    if (partner == nullptr || rules == nullptr) continue;
    ReportTask task;
    task.key = key;
    task.stored = &stored;
    if (releasable != nullptr) task.releasable = &releasable->reports.at(key);
    task.project = project;
    task.partner = partner;
    task.rules = rules;
    task.first_line = plan.line_total;
    task.line_count = stored.line_count();
    plan.line_total += task.line_count;
    // Hits and reports are both in (project, partner, report) order: the report's hits are the
    // run of hits at its key, after those of reports skipped here.
    const auto key_of_hit = [](const LineRef& ref) {
      return std::tie(ref.project, ref.partner, ref.report);
    };
    while (next_hit != duplicates.end() && key_of_hit(next_hit->first) < key) ++next_hit;
    task.hits_begin = shared.hits.size();
    for (; next_hit != duplicates.end() && key_of_hit(next_hit->first) == key; ++next_hit) {
      shared.hits.push_back(
          planned_hit(next_hit->first.line, next_hit->second, shared.hit_projects, project_index));
    }
    task.hits_end = shared.hits.size();
    const bool same_partner = !plan.tasks.empty() &&
                              std::get<0>(plan.tasks.back().key) == std::get<0>(key) &&
                              std::get<1>(plan.tasks.back().key) == std::get<1>(key);
    if (!same_partner) plan.partners.push_back({plan.tasks.size(), plan.tasks.size()});
    plan.tasks.push_back(std::move(task));
    plan.partners.back().end = plan.tasks.size();
  }
  return plan;
}

// Storage a partner's computation reuses for the next partner on the same worker: the reports'
// lines read back from the spill keep their strings' capacity, so that reading a report costs
// no allocation a line once the worker has read a few.
struct PartnerScratch {
  std::vector<PartnerReport> reports;
  std::vector<LineOutcome> lines;  // a computed report's lines, handed back by on_report
  // Spilled findings handed back by on_report, built over again by the next report's line
  // checks (check_line_into): a third of the lines have a finding, and allocating and freeing
  // each one's file name and message was 2 % of a CSV night's computation.
  std::vector<Diagnostic> spare_findings;
};

// The spent findings a worker keeps for building over (a few hundred KB at most).
constexpr std::size_t kSpareFindings = 4096;

// Moves `spent` into `spare`, up to kSpareFindings in all, and frees the rest.
void recycle_findings(std::vector<Diagnostic>& spent, std::vector<Diagnostic>& spare) {
  for (Diagnostic& d : spent) {
    if (spare.size() >= kSpareFindings) break;
    spare.push_back(std::move(d));
  }
  std::vector<Diagnostic>().swap(spent);
}

// Returns the (report, line) a canonical origin label "R{report}.{line}" names, or nullopt for
// "" (reinclusion.h: canonical_origin).
std::optional<std::pair<int, int>> origin_of_label(std::string_view label) {
  const std::size_t dot = label.find('.');
  if (label.size() < 4 || label.front() != 'R' || dot == std::string_view::npos) {
    return std::nullopt;
  }
  int report = 0;
  int line = 0;
  const char* report_end = label.data() + dot;
  if (std::from_chars(label.data() + 1, report_end, report).ptr != report_end) return std::nullopt;
  const char* line_end = label.data() + label.size();
  if (std::from_chars(report_end + 1, line_end, line).ptr != line_end) return std::nullopt;
  return std::pair<int, int>{report, line};
}

// Computes a partner's reports in report order and hands each to `on_report(task index,
// computation)`, lines included (without their texts unless `line_texts`,
// ReportInputs::line_texts). The lines on_report leaves in the computation (moved-from or
// not) are the storage the next report's lines are built over (compute_report).
template <typename OnReport>
void compute_partner(const SharedInputs& shared, const std::vector<ReportTask>& tasks,
                     const PartnerTasks& range, PartnerScratch& scratch, bool line_texts,
                     OnReport&& on_report) {
  const Portfolio& portfolio = *shared.portfolio;
  PartnerState state;
  // The partner's reports with their lines: held ones in place, spilled ones read back into
  // the worker's scratch reports (a partner at a time).
  std::vector<const PartnerReport*> reports;
  reports.reserve(range.end - range.begin);
  if (scratch.reports.size() < range.end - range.begin) {
    scratch.reports.resize(range.end - range.begin);
  }
  for (std::size_t t = range.begin; t < range.end; ++t) {
    const AcceptedReport& stored = *tasks[t].stored;
    if (!stored.spilled) {
      reports.push_back(stored.report.get());
      continue;
    }
    PartnerReport& read = scratch.reports[t - range.begin];
    std::vector<ExpenseLine> lines = std::move(read.lines);
    read = *stored.report;  // the header: a spilled report holds no lines
    stored.spilled->read_into(lines);
    if (lines.size() != stored.spilled->count()) {
      throw std::logic_error("spilled lines of " + stored.report->project + " partner " +
                             std::to_string(stored.report->partner) + " report " +
                             std::to_string(stored.report->report) +
                             " read back as another number");
    }
    read.lines = std::move(lines);
    reports.push_back(&read);
  }
  // A report's lines are origins only for later reports that re-include a parked line: most
  // partners have none, and labelling every line costs a quarter of the computation. Of those
  // reports, only the lines some re-inclusion names are looked up (check_reinclusion finds an
  // origin by the canonical label of a line's reincluded-from): only those are labelled.
  std::size_t origins_needed_before = range.begin;
  std::set<std::pair<int, int>> named_origins;  // (report, line)
  for (std::size_t t = range.begin; t < range.end; ++t) {
    for (const ExpenseLine& line : reports[t - range.begin]->lines) {
      if (line.reincluded_from.empty()) continue;
      origins_needed_before = t;
      if (const auto origin = origin_of_label(canonical_origin(line.reincluded_from))) {
        named_origins.insert(*origin);
      }
    }
  }
  for (std::size_t t = range.begin; t < range.end; ++t) {
    const ReportTask& task = tasks[t];
    ReportInputs in;
    in.report = reports[t - range.begin];
    in.project = task.project;
    in.partner = task.partner;
    in.rules = task.rules;
    auto frozen = portfolio.frozen_rates.find(task.key);
    in.rates = frozen != portfolio.frozen_rates.end() ? &frozen->second : &portfolio.rates;
    in.fallback_rates = &portfolio.rates;
    // The control in force with its decisions, read back once for this report when spilled,
    // and let go with it.
    const AcceptedControl* control = portfolio.control_in_force(task.key);
    const std::shared_ptr<const ControlResult> decided =
        control ? control->with_decisions() : nullptr;
    in.control = decided.get();
    if (auto a = shared.approval_of.find(task.key); a != shared.approval_of.end()) {
      in.approval = a->second;
    }
    if (auto p = shared.payments_of.find(task.key); p != shared.payments_of.end()) {
      in.payments = p->second;
    }
    in.prior = state.prior;
    in.origins = &state.origins;
    in.already_reincluded = state.reincluded;
    in.as_of = portfolio.as_of;
    for (std::size_t h = task.hits_begin; h < task.hits_end; ++h) {
      in.duplicates[shared.hits[h].line] = duplicate_hit(shared, shared.hits[h]);
    }
    in.source_file = task.stored->file;
    in.sha256 = task.stored->sha256;
    in.line_texts = line_texts;
    in.spare_findings = &scratch.spare_findings;
    ReportComputation c = compute_report(in, std::move(scratch.lines));
    if (c.lines.size() != task.line_count) {
      throw std::logic_error("compute_report returned another number of lines than the report has");
    }

    state.prior.eligible += c.outcome.eligible;
    state.prior.erdf += c.outcome.erdf;
    state.prior.state += c.outcome.state;
    for (const auto& [category, amount] : c.certified_by_category) {
      state.prior.by_category[category] += amount;
    }
    for (const LineOutcome& l : c.lines) {
      if (t >= origins_needed_before) break;
      if (!named_origins.count({l.report, l.line.line})) continue;
      ParkedOrigin o;
      o.parked = l.parked;
      o.declared = l.line.declared;
      o.currency = l.line.currency;
      o.rate = l.rate;
      o.rate_month = l.rate_month;
      state.origins[origin_label(l.report, l.line.line)] = o;
    }
    for (const std::string& label : c.reincluded_origins) state.reincluded.insert(label);
    c.outcome.first_line = task.first_line;
    on_report(t, std::move(c));
    scratch.lines = std::move(c.lines);
  }
}

unsigned worker_count(unsigned requested, std::size_t partners) {
  unsigned n = requested != 0 ? requested : std::max(1u, std::thread::hardware_concurrency());
  if (partners < n) n = static_cast<unsigned>(std::max<std::size_t>(1, partners));
  return n;
}

// Calls `compute(p, scratch)` for every partner p on worker threads, taken in order from a
// shared counter, with the worker's own scratch storage; the first failure (by worker) is
// rethrown once all have stopped.
template <typename Compute>
void for_each_partner(std::size_t partners, unsigned threads, Compute&& compute) {
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> failures(worker_count(threads, partners));
  std::vector<PartnerScratch> scratch(failures.size());
  auto work = [&](std::size_t worker) {
    try {
      for (std::size_t p = next++; p < partners; p = next++) compute(p, scratch[worker]);
    } catch (const std::exception&) {
      failures[worker] = std::current_exception();
      next = partners;  // the others stop at their next partner
    }
  };
  {
    std::vector<std::jthread> workers;
    for (std::size_t w = 1; w < failures.size(); ++w) workers.emplace_back(work, w);
    work(0);
  }
  for (const std::exception_ptr& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
}

// What a report's computation leaves for collect() once its outcome is in its slot of
// RunOutcome::reports: a fifth of a ReportComputation's size (at 5M lines, 18,500 reports, the
// two held side by side were 34 MB).
struct ReportParts {
  std::vector<Diagnostic> findings;
  std::vector<BudgetRow> budget;
  std::vector<DeductionEntry> deductions;
  std::vector<PaymentOutcome> payments;
};

// Puts report `t`'s computation in place: its outcome into `out`, the rest into `parts[t]`.
// REQUIRES: out.reports and parts have a slot per report.
void place(std::size_t t, ReportComputation&& c, RunOutcome& out, std::vector<ReportParts>& parts) {
  out.reports[t] = std::move(c.outcome);
  parts[t] = ReportParts{std::move(c.findings), std::move(c.budget), std::move(c.deductions),
                         std::move(c.payments)};
}

// Moves every report's parts into `out`, in report order. The findings vector is sized once and
// each report's findings freed as soon as they are moved: at 1M lines the findings alone are
// 70 MB of Diagnostic, which growing by doubling next to the reports' copies held three times.
// The budget rows, deductions and payments keep their per-report vectors (calc/pieces.h).
void collect(std::vector<ReportParts>& parts, RunOutcome& out) {
  std::size_t findings = 0;
  for (const ReportParts& c : parts) findings += c.findings.size();
  out.findings.reserve(findings);
  for (ReportParts& c : parts) {
    std::move(c.findings.begin(), c.findings.end(), std::back_inserter(out.findings));
    out.budget.append(std::move(c.budget));
    out.deductions.append(std::move(c.deductions));
    out.payments.append(std::move(c.payments));
    c = ReportParts();
  }
}

RunOutcome compute_held(const Portfolio& portfolio, Portfolio* releasable, unsigned threads) {
  const Plan plan = make_plan(portfolio, releasable, threads);
  RunOutcome out;
  out.rates_used = portfolio.rates.all();
  out.lines.resize(plan.line_total);
  // Every result lands in its own slot, so the outcome does not depend on which thread
  // computed what.
  out.reports.resize(plan.tasks.size());
  std::vector<ReportParts> parts(plan.tasks.size());
  for_each_partner(plan.partners.size(), threads, [&](std::size_t p, PartnerScratch& scratch) {
    compute_partner(plan.shared, plan.tasks, plan.partners[p], scratch, true,
                    [&](std::size_t t, ReportComputation&& c) {
                      // Each line exists once: moved to its final place, the report's input
                      // copy released.
                      const ReportTask& task = plan.tasks[t];
                      std::move(c.lines.begin(), c.lines.end(),
                                out.lines.begin() + static_cast<std::ptrdiff_t>(task.first_line));
                      std::vector<LineOutcome>().swap(c.lines);
                      if (task.releasable != nullptr) task.releasable->report.reset();
                      place(t, std::move(c), out, parts);
                    });
  });
  collect(parts, out);
  return out;
}

// The lines of a computed portfolio, computed again partner by partner when a sheet asks for
// them. Owns the portfolio: its reports are the input the lines are computed from.
class StreamedLines final : public LineSource {
 public:
  StreamedLines(Portfolio&& portfolio, unsigned threads) : portfolio_(std::move(portfolio)) {
    plan_ = make_plan(portfolio_, nullptr, threads);
    for (const PartnerTasks& p : plan_.partners) partner_first_.push_back(first_of(p));
  }

  // Computes every report once, keeping the line sums per report, not the lines; the findings
  // go to `findings_spill` when there is one.
  RunOutcome compute(unsigned threads, const std::shared_ptr<Spill>& findings_spill) {
    RunOutcome out;
    out.rates_used = portfolio_.rates.all();
    out.reports.resize(plan_.tasks.size());
    std::vector<ReportParts> parts(plan_.tasks.size());
    report_amounts_.assign(plan_.tasks.size(), LineAmounts());
    std::optional<FindingSpill> spilled;
    if (findings_spill) spilled.emplace(findings_spill, plan_.tasks.size());
    for_each_partner(plan_.partners.size(), threads, [&](std::size_t p, PartnerScratch& scratch) {
      // Only the lines' sums are kept: their texts are not built (line_texts false).
      compute_partner(plan_.shared, plan_.tasks, plan_.partners[p], scratch, false,
                      [&](std::size_t t, ReportComputation&& c) {
                        for (const LineOutcome& l : c.lines) report_amounts_[t].add(l);
                        // Not kept: handed back to compute_partner, for the next report.
                        std::vector<LineOutcome> lines = std::move(c.lines);
                        if (spilled) {
                          spilled->put(t, c.findings);
                          recycle_findings(c.findings, scratch.spare_findings);
                        }
                        place(t, std::move(c), out, parts);
                        c.lines = std::move(lines);
                      });
    });
    for (const LineAmounts& a : report_amounts_) total_.add(a);
    collect(parts, out);
    if (spilled) out.finding_source = spilled->source();
    return out;
  }

  std::size_t size() const override { return plan_.line_total; }

  void visit(std::size_t begin, std::size_t end,
             const std::function<void(std::size_t, const LineOutcome&)>& visit) const override {
    check(begin, end);
    if (begin == end) return;
    std::size_t p = partner_at(begin);
    // The next partner is computed on another thread while this one's lines are visited.
    std::future<std::vector<LineOutcome>> next =
        std::async(std::launch::async, [this, p] { return partner_lines(p); });
    for (; p < plan_.partners.size() && partner_first_[p] < end; ++p) {
      const std::vector<LineOutcome> lines = next.get();
      if (p + 1 < plan_.partners.size() && partner_first_[p + 1] < end) {
        next = std::async(std::launch::async, [this, p] { return partner_lines(p + 1); });
      }
      const std::size_t first = partner_first_[p];
      for (std::size_t k = 0; k < lines.size(); ++k) {
        const std::size_t index = first + k;
        if (index >= begin && index < end) visit(index, lines[k]);
      }
    }
  }

  LineAmounts amounts(std::size_t begin, std::size_t end) const override {
    check(begin, end);
    if (begin == 0 && end == plan_.line_total) return total_;
    LineAmounts sum;
    each_report_in(begin, end, [&](std::size_t t, std::size_t b, std::size_t e) {
      const ReportTask& task = plan_.tasks[t];
      if (b == task.first_line && e == task.first_line + task.line_count) {
        sum.add(report_amounts_[t]);
      } else {
        visit(b, e, [&sum](std::size_t, const LineOutcome& l) { sum.add(l); });
      }
      return false;
    });
    return sum;
  }

  std::optional<std::size_t> find(std::size_t begin, std::size_t end, int line_no) const override {
    check(begin, end);
    if (line_no <= 0) return std::nullopt;
    // Line k of a report's outcome is line k of its input (compute_partner checks the count).
    // Called once per finding (420k at 1M lines): only the reports overlapping the range.
    std::optional<std::size_t> found;
    each_report_in(begin, end, [&](std::size_t t, std::size_t b, std::size_t e) {
      const ReportTask& task = plan_.tasks[t];
      const std::vector<int>& input = line_numbers(t);
      const auto first = input.begin() + static_cast<std::ptrdiff_t>(b - task.first_line);
      const auto last = input.begin() + static_cast<std::ptrdiff_t>(e - task.first_line);
      auto hit = std::lower_bound(first, last, line_no);
      if (hit == last || *hit != line_no) {
        // Not sorted after all: a linear scan keeps the answer right.
        hit = std::find(first, last, line_no);
      }
      if (hit == last) return false;
      found = task.first_line + static_cast<std::size_t>(hit - input.begin());
      return true;
    });
    return found;
  }

 private:
  // Calls `each(t, b, e)` for every report t whose lines overlap [begin, end), [b, e) being the
  // overlap, in order; stops after a call that returns true.
  template <typename Each>
  void each_report_in(std::size_t begin, std::size_t end, Each&& each) const {
    for (std::size_t t = task_at(begin); t < plan_.tasks.size() && plan_.tasks[t].first_line < end;
         ++t) {
      const ReportTask& task = plan_.tasks[t];
      const std::size_t b = std::max(begin, task.first_line);
      const std::size_t e = std::min(end, task.first_line + task.line_count);
      if (b < e && each(t, b, e)) return;
    }
  }

  std::size_t first_of(const PartnerTasks& p) const { return plan_.tasks[p.begin].first_line; }

  void check(std::size_t begin, std::size_t end) const {
    if (begin > end || end > plan_.line_total) {
      throw std::out_of_range("line range outside the run's lines");
    }
  }

  // Returns the first report whose lines end after `index` (tasks are in line order), or the
  // number of reports.
  std::size_t task_at(std::size_t index) const {
    const auto it = std::upper_bound(plan_.tasks.begin(), plan_.tasks.end(), index,
                                     [](std::size_t i, const ReportTask& task) {
                                       return i < task.first_line + task.line_count;
                                     });
    return static_cast<std::size_t>(it - plan_.tasks.begin());
  }

  // Returns the partner whose lines include `index` (or the first after it when it has none).
  std::size_t partner_at(std::size_t index) const {
    const auto it = std::upper_bound(partner_first_.begin(), partner_first_.end(), index);
    return it == partner_first_.begin() ? 0
                                        : static_cast<std::size_t>(it - partner_first_.begin()) - 1;
  }

  // Returns the line numbers of task t's report, in input order. The Findings sheet asks
  // report after report, once per finding: each thread keeps the last report's numbers, so a
  // spilled report is read back once per sheet, not once per finding.
  const std::vector<int>& line_numbers(std::size_t t) const {
    struct Cached {
      std::uint64_t source = 0;
      std::size_t task = 0;
      std::vector<int> numbers;
    };
    thread_local Cached cached;
    if (cached.source != id_ || cached.task != t) {
      cached.source = 0;  // stays invalid if reading throws
      cached.numbers.clear();
      const std::shared_ptr<const PartnerReport> report = plan_.tasks[t].stored->with_lines();
      for (const ExpenseLine& line : report->lines) cached.numbers.push_back(line.line);
      cached.source = id_;
      cached.task = t;
    }
    return cached.numbers;
  }

  // Returns partner p's lines, computed again; throws std::logic_error unless their sums are
  // those of the first computation (the workbook would disagree with its own totals).
  std::vector<LineOutcome> partner_lines(std::size_t p) const {
    std::vector<LineOutcome> lines;
    PartnerScratch scratch;
    compute_partner(plan_.shared, plan_.tasks, plan_.partners[p], scratch, true,
                    [&](std::size_t t, ReportComputation&& c) {
                      LineAmounts sums;
                      for (const LineOutcome& l : c.lines) sums.add(l);
                      if (!(sums == report_amounts_[t])) {
                        const auto& [project, partner, report] = plan_.tasks[t].key;
                        throw std::logic_error("lines of " + project + " partner " +
                                               std::to_string(partner) + " report " +
                                               std::to_string(report) +
                                               " computed again differ from the first computation");
                      }
                      std::move(c.lines.begin(), c.lines.end(), std::back_inserter(lines));
                    });
    return lines;
  }

  // Tells this source's cached line numbers from another's, even at the same address.
  static std::uint64_t next_id() {
    static std::atomic<std::uint64_t> last{0};
    return ++last;
  }

  const std::uint64_t id_ = next_id();
  Portfolio portfolio_;
  Plan plan_;
  std::vector<std::size_t> partner_first_;   // first line index of each partner
  std::vector<LineAmounts> report_amounts_;  // per task, from the first computation
  LineAmounts total_;
};

}  // namespace

std::shared_ptr<const PartnerReport> AcceptedReport::with_lines() const {
  if (!spilled) return report;
  auto full = std::make_shared<PartnerReport>(*report);
  full->lines = spilled->read();
  if (full->lines.size() != spilled->count()) {
    throw std::logic_error("spilled lines of " + report->project + " partner " +
                           std::to_string(report->partner) + " report " +
                           std::to_string(report->report) + " read back as another number");
  }
  return full;
}

void SpilledLines::read_into(std::vector<ExpenseLine>& lines) const {
  lines = read();
}

std::vector<InvoiceMark> SpilledLines::invoice_marks() const {
  return cofin::invoice_marks(read());
}

std::vector<ExpenseLine> SpilledLines::invoice_lines(
    const std::function<bool(InvoiceMark)>& keep) const {
  std::vector<ExpenseLine> lines = read();
  const std::vector<InvoiceMark> marks = cofin::invoice_marks(lines);
  std::vector<ExpenseLine> kept;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    if (marks[k].has_key() && keep(marks[k])) kept.push_back(std::move(lines[k]));
  }
  return kept;
}

std::shared_ptr<const ControlResult> AcceptedControl::with_decisions() const {
  if (!spilled) return control;
  auto full = std::make_shared<ControlResult>(*control);
  full->decisions = spilled->read();
  if (full->decisions.size() != spilled->count()) {
    throw std::logic_error("spilled decisions of control result " + control->id +
                           " read back as another number");
  }
  return full;
}

const AcceptedControl* Portfolio::control_in_force(const ReportKey& key) const {
  auto it = controls.find(key);
  if (it == controls.end()) return nullptr;
  std::set<std::string> replaced;
  for (const AcceptedControl& c : it->second) replaced.insert(c.control->replaces);
  const AcceptedControl* in_force = nullptr;
  for (const AcceptedControl& c : it->second) {
    if (!replaced.count(c.control->id)) in_force = &c;
  }
  return in_force;
}

RunOutcome compute_portfolio(const Portfolio& portfolio, unsigned threads) {
  return compute_held(portfolio, nullptr, threads);
}

RunOutcome compute_portfolio(Portfolio&& portfolio, unsigned threads) {
  return compute_held(portfolio, &portfolio, threads);
}

RunOutcome compute_portfolio_streamed(Portfolio&& portfolio, unsigned threads,
                                      std::shared_ptr<Spill> findings_spill) {
  auto source = std::make_shared<StreamedLines>(std::move(portfolio), threads);
  RunOutcome out = source->compute(threads, findings_spill);
  out.line_source = std::move(source);
  return out;
}

}  // namespace cofin
