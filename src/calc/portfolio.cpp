#include "calc/portfolio.h"

#include <atomic>
#include <exception>
#include <set>
#include <stdexcept>
#include <thread>

#include "calc/report_calc.h"

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

// One report to compute: where it sits in the portfolio and, once computed, its result.
struct ReportTask {
  ReportKey key;
  const AcceptedReport* stored = nullptr;
  AcceptedReport* releasable = nullptr;  // set when the caller gave the portfolio away
  const Project* project = nullptr;
  const Partner* partner = nullptr;
  const ProgrammeRules* rules = nullptr;
  std::size_t first_line = 0;  // index into RunOutcome::lines
  ReportComputation result;
};

// A partner's reports in report order. Partners are independent of each other once the
// portfolio-wide duplicate check has run: the cumulative totals, parked origins and
// re-inclusions are all per partner (domain §4, §6), so partners may be computed in parallel.
struct PartnerTasks {
  std::size_t begin = 0;  // range in the task vector
  std::size_t end = 0;
};

struct PartnerState {
  PriorTotals prior;
  ParkedOrigins origins;
  std::set<std::string> reincluded;
};

struct SharedInputs {
  const Portfolio* portfolio = nullptr;
  std::map<ReportKey, const ApprovalEvent*> approval_of;
  std::map<ReportKey, std::vector<const PaymentEvent*>> payments_of;
  std::map<LineRef, DuplicateHit> duplicates;
};

void compute_partner(const SharedInputs& shared, std::vector<ReportTask>& tasks,
                     const PartnerTasks& range, std::vector<LineOutcome>& lines) {
  const Portfolio& portfolio = *shared.portfolio;
  PartnerState state;
  for (std::size_t t = range.begin; t < range.end; ++t) {
    ReportTask& task = tasks[t];
    const auto& [project_id, partner_no, report_no] = task.key;
    ReportInputs in;
    in.report = task.stored->report.get();
    in.project = task.project;
    in.partner = task.partner;
    in.rules = task.rules;
    auto frozen = portfolio.frozen_rates.find(task.key);
    in.rates = frozen != portfolio.frozen_rates.end() ? &frozen->second : &portfolio.rates;
    const AcceptedControl* control = portfolio.control_in_force(task.key);
    in.control = control ? &control->control : nullptr;
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
    for (auto it = shared.duplicates.lower_bound(LineRef{project_id, partner_no, report_no, 0});
         it != shared.duplicates.end() && it->first.project == project_id &&
         it->first.partner == partner_no && it->first.report == report_no;
         ++it) {
      in.duplicates[it->first.line] = it->second;
    }
    in.source_file = task.stored->file;
    in.sha256 = task.stored->sha256;
    ReportComputation c = compute_report(in);
    if (c.lines.size() != task.stored->report->lines.size()) {
      throw std::logic_error("compute_report returned another number of lines than the report has");
    }

    state.prior.eligible += c.outcome.eligible;
    state.prior.erdf += c.outcome.erdf;
    state.prior.state += c.outcome.state;
    for (const auto& [category, amount] : c.certified_by_category) {
      state.prior.by_category[category] += amount;
    }
    for (const LineOutcome& l : c.lines) {
      ParkedOrigin o;
      o.parked = l.parked;
      o.declared = l.line.declared;
      o.currency = l.line.currency;
      o.rate = l.rate;
      o.rate_month = l.rate_month;
      state.origins[origin_label(l.report, l.line.line)] = o;
    }
    for (const std::string& label : c.reincluded_origins) state.reincluded.insert(label);

    // Each line exists once: moved to its final place, the report's input copy released.
    c.outcome.first_line = task.first_line;
    for (std::size_t i = 0; i < c.lines.size(); ++i) {
      lines[task.first_line + i] = std::move(c.lines[i]);
    }
    std::vector<LineOutcome>().swap(c.lines);
    if (task.releasable != nullptr) task.releasable->report.reset();
    task.result = std::move(c);
  }
}

unsigned worker_count(unsigned requested, std::size_t partners) {
  unsigned n = requested != 0 ? requested : std::max(1u, std::thread::hardware_concurrency());
  if (partners < n) n = static_cast<unsigned>(std::max<std::size_t>(1, partners));
  return n;
}

RunOutcome compute(const Portfolio& portfolio, Portfolio* releasable, unsigned threads) {
  RunOutcome out;
  out.rates_used = portfolio.rates.all();

  SharedInputs shared;
  shared.portfolio = &portfolio;
  // No double funding across lines, reports, partners, projects and runs: the portfolio holds
  // every accepted report, so the duplicate check sees them all at once (domain §4).
  {
    std::vector<InvoiceUse> uses;
    for (const auto& [key, stored] : portfolio.reports) {
      for (const ExpenseLine& line : stored.report->lines) {
        uses.push_back(
            {LineRef{std::get<0>(key), std::get<1>(key), std::get<2>(key), line.line}, &line});
      }
    }
    shared.duplicates = find_duplicate_invoices(std::move(uses));
  }
  // The first approval covering a report, in acceptance order; every payment on it.
  for (const ApprovalEvent& a : portfolio.approvals) {
    for (const PartnerReportRef& r : a.covers) shared.approval_of.emplace(key_of(r), &a);
  }
  for (const PaymentEvent& p : portfolio.payments) {
    shared.payments_of[key_of(p.report)].push_back(&p);
  }

  std::vector<ReportTask> tasks;
  std::vector<PartnerTasks> partners;
  std::size_t line_total = 0;
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
    task.first_line = line_total;
    line_total += stored.report->lines.size();
    const bool same_partner = !tasks.empty() && std::get<0>(tasks.back().key) == std::get<0>(key) &&
                              std::get<1>(tasks.back().key) == std::get<1>(key);
    if (!same_partner) partners.push_back({tasks.size(), tasks.size()});
    tasks.push_back(std::move(task));
    partners.back().end = tasks.size();
  }
  out.lines.resize(line_total);

  // Partners on worker threads, taken in order from a shared counter; every result lands in
  // its own slot, so the outcome does not depend on which thread computed what.
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> failures(worker_count(threads, partners.size()));
  auto work = [&](std::size_t worker) {
    try {
      for (std::size_t p = next++; p < partners.size(); p = next++) {
        compute_partner(shared, tasks, partners[p], out.lines);
      }
    } catch (const std::exception&) {
      failures[worker] = std::current_exception();
      next = partners.size();  // the others stop at their next partner
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

  for (ReportTask& task : tasks) {
    ReportComputation& c = task.result;
    out.reports.push_back(std::move(c.outcome));
    for (Diagnostic& d : c.findings) out.findings.push_back(std::move(d));
    for (BudgetRow& b : c.budget) out.budget.push_back(std::move(b));
    for (DeductionEntry& d : c.deductions) out.deductions.push_back(std::move(d));
    for (PaymentOutcome& p : c.payments) out.payments.push_back(std::move(p));
  }
  return out;
}

}  // namespace

const AcceptedControl* Portfolio::control_in_force(const ReportKey& key) const {
  auto it = controls.find(key);
  if (it == controls.end()) return nullptr;
  std::set<std::string> replaced;
  for (const AcceptedControl& c : it->second) replaced.insert(c.control.replaces);
  const AcceptedControl* in_force = nullptr;
  for (const AcceptedControl& c : it->second) {
    if (!replaced.count(c.control.id)) in_force = &c;
  }
  return in_force;
}

RunOutcome compute_portfolio(const Portfolio& portfolio, unsigned threads) {
  return compute(portfolio, nullptr, threads);
}

RunOutcome compute_portfolio(Portfolio&& portfolio, unsigned threads) {
  return compute(portfolio, &portfolio, threads);
}

}  // namespace cofin
