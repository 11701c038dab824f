#include "job/state.h"

#include "calc/control_spill.h"
#include "rules/references.h"

namespace cofin {
namespace {

ReportKey key_of(const PartnerReportRef& r) {
  return {r.project, r.partner, r.report};
}

std::string ref_text(const ReportKey& k) {
  return std::get<0>(k) + " partner " + std::to_string(std::get<1>(k)) + " report " +
         std::to_string(std::get<2>(k));
}

}  // namespace

void AcceptedState::validate(const LoadedDocument& doc, Diagnostics& diags) const {
  if (const auto* rates = std::get_if<std::vector<ExchangeRate>>(&doc.content)) {
    for (const ExchangeRate& r : *rates) {
      const ExchangeRate* known = portfolio_.rates.find(r.currency, r.year, r.month);
      if (known && !(known->units_per_eur == r.units_per_eur)) {
        diags.error("VALUE-INCONSISTENT", r.pos.file, r.pos.line, 0, "units_per_eur",
                    r.currency + " " + std::to_string(r.year) + "-" + std::to_string(r.month) +
                        " is " + r.units_per_eur.to_string() + " here but " +
                        known->units_per_eur.to_string() +
                        " in the ledger: rates are frozen once used");
      }
    }
  } else if (const auto* report = std::get_if<PartnerReport>(&doc.content)) {
    check_report_references(*report, ctx_.registry, ctx_.programmes, portfolio_.rates, diags);
  } else if (const auto* control = std::get_if<ControlResult>(&doc.content)) {
    const ReportKey key{control->project, control->partner, control->report};
    auto it = portfolio_.reports.find(key);
    if (it == portfolio_.reports.end()) {
      diags.error("REF-REPORT", control->pos.file, control->pos.line, control->pos.column, "report",
                  "no accepted partner report " + ref_text(key) + " to control");
    }
    // The controlled report's line numbers: read back when its lines are spilled.
    const std::shared_ptr<const PartnerReport> controlled =
        it == portfolio_.reports.end() ? nullptr : it->second.with_lines();
    check_control_references(*control, controlled.get(), ctx_.registry, ctx_.programmes, diags);
    if (!control->replaces.empty()) {
      bool found = false;
      if (auto c = portfolio_.controls.find(key); c != portfolio_.controls.end()) {
        for (const AcceptedControl& s : c->second)
          found = found || s.control->id == control->replaces;
      }
      if (!found) {
        diags.error("REF-REPLACED", control->pos.file, control->pos.line, control->pos.column,
                    "replaces",
                    "replaces control result " + quote(control->replaces) +
                        ", which is not in the ledger for " + ref_text(key));
      }
    }
  } else if (const auto* events = std::get_if<EventsDocument>(&doc.content)) {
    auto need_report = [&](const PartnerReportRef& ref, const SourcePos& pos) {
      if (portfolio_.reports.count(key_of(ref)) == 0) {
        diags.error("REF-REPORT", pos.file, pos.line, pos.column, "report",
                    "no accepted partner report " + ref_text(key_of(ref)));
      }
    };
    std::set<std::string> in_document;
    for (const Event& event : events->events) {
      const std::string id = std::visit([](const auto& e) { return e.id; }, event);
      const SourcePos pos = std::visit([](const auto& e) { return e.pos; }, event);
      if (event_ids_.count(id)) {
        diags.error("DOC-KEY-CONFLICT", pos.file, pos.line, pos.column, "id",
                    "event " + quote(id) + " was received before");
      } else if (!in_document.insert(id).second) {
        diags.error("DOC-KEY-CONFLICT", pos.file, pos.line, pos.column, "id",
                    "event " + quote(id) + " appears twice in this document");
      }
      if (const auto* a = std::get_if<ApprovalEvent>(&event)) {
        for (const PartnerReportRef& r : a->covers) need_report(r, a->pos);
      } else if (const auto* p = std::get_if<PaymentEvent>(&event)) {
        need_report(p->report, p->pos);
      }
    }
  }
}

void AcceptedState::absorb(LoadedDocument&& doc, const std::string& file,
                           const std::string& sha256) {
  if (auto* rates = std::get_if<std::vector<ExchangeRate>>(&doc.content)) {
    for (const ExchangeRate& r : *rates) portfolio_.rates.add(r);
  } else if (auto* report = std::get_if<PartnerReport>(&doc.content)) {
    absorb_report(std::make_shared<const PartnerReport>(std::move(*report)), file, sha256, nullptr);
  } else if (auto* control = std::get_if<ControlResult>(&doc.content)) {
    absorb_control(std::move(*control), file, nullptr);
  } else if (auto* events = std::get_if<EventsDocument>(&doc.content)) {
    for (Event& event : events->events) {
      event_ids_.insert(std::visit([](const auto& e) { return e.id; }, event));
      if (auto* a = std::get_if<ApprovalEvent>(&event)) {
        portfolio_.approvals.push_back(std::move(*a));
      } else if (auto* p = std::get_if<PaymentEvent>(&event)) {
        portfolio_.payments.push_back(std::move(*p));
      }
    }
  }
}

void AcceptedState::absorb_control(ControlResult&& control, const std::string& file,
                                   std::shared_ptr<const SpilledDecisions> spilled) {
  const ReportKey key{control.project, control.partner, control.report};
  if (spilled) {
    std::vector<LineDecision>().swap(control.decisions);  // the spill has them
  } else if (spill_) {
    spilled = spill_decisions(spill_, control);
  }
  portfolio_.controls[key].push_back(AcceptedControl{
      std::make_shared<const ControlResult>(std::move(control)), file, std::move(spilled)});
}

void AcceptedState::absorb_report(std::shared_ptr<const PartnerReport> report,
                                  const std::string& file, const std::string& sha256,
                                  std::shared_ptr<const SpilledLines> spilled) {
  const ReportKey key{report->project, report->partner, report->report};
  if (spilled && !report->lines.empty()) {
    report = std::make_shared<const PartnerReport>(header_of(*report));
  }
  portfolio_.reports[key] = AcceptedReport{std::move(report), file, sha256, std::move(spilled)};
}

}  // namespace cofin
