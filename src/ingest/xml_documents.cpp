#include "ingest/xml_documents.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/date.h"
#include "model/enums.h"
#include "money/decimal.h"
#include "money/money.h"

namespace cofin {
namespace {

constexpr std::size_t kMaxTextLength = 32'767;  // an Excel cell's limit (VALUE-TOO-LONG)

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

// Maps the values of a validated element tree onto the model. The schema has already checked
// structure and syntax; these conversions re-check what they rely on and add VALUE-* errors for
// what a schema cannot express.
class Mapper {
 public:
  Mapper(std::string file, Diagnostics& diags)
      : file_(std::move(file)), diags_(diags), errors_at_start_(diags.error_count()) {}

  bool ok() const { return diags_.error_count() == errors_at_start_; }
  const std::string& file() const { return file_; }
  SourcePos pos(XmlNode el) const { return SourcePos{file_, el.line(), el.column()}; }

  // A field: an attribute of `el`, or (with attr empty) the text of `el` itself.
  struct Field {
    XmlNode el;
    std::string_view name;  // attribute name, or "" for the element's text
    std::string_view label() const { return name.empty() ? el.name() : name; }
  };

  // Returns the field's text, or nullopt when absent or empty.
  std::optional<std::string_view> raw(Field f) const {
    if (f.name.empty()) {
      const std::string_view text = f.el.text();
      return text.empty() ? std::nullopt : std::optional<std::string_view>(text);
    }
    if (f.el != hint_element_) {
      hint_element_ = f.el;
      hint_ = 0;
    }
    const std::string_view* v = f.el.attribute(f.name, hint_);
    return v == nullptr || v->empty() ? std::nullopt : std::optional<std::string_view>(*v);
  }

  std::optional<std::string_view> required(Field f) {
    const std::optional<std::string_view> v = raw(f);
    if (!v || trim(*v).empty()) {
      error("VALUE-REQUIRED", f, "field " + quote(f.label()) + " is required");
      return std::nullopt;
    }
    return v;
  }

  // Returns the text as given (free text keeps its spaces), "" when absent.
  std::string text(Field f) {
    const std::optional<std::string_view> v = raw(f);
    if (!v) return {};
    if (v->size() > kMaxTextLength) {
      error("VALUE-TOO-LONG", f,
            "field " + quote(f.label()) + " is longer than 32,767 characters: " + quote(*v));
      return {};
    }
    return std::string(*v);
  }

  // Returns the trimmed text of an identifier-like field, reporting when it is missing.
  std::string id(Field f) {
    const auto v = required(f);
    return v ? std::string(trim(*v)) : std::string();
  }

  std::optional<int> number(Field f) {
    const auto v = required(f);
    if (!v) return std::nullopt;
    const std::string_view t = trim(*v);
    int n = 0;
    bool good = !t.empty() && t.size() <= 9;
    for (char c : t) {
      if (c < '0' || c > '9') {
        good = false;
        break;
      }
      n = n * 10 + (c - '0');
    }
    if (!good) {
      error("VALUE-NUMBER", f,
            "field " + quote(f.label()) + " is not a whole number: " + quote(*v));
      return std::nullopt;
    }
    return n;
  }

  std::optional<Date> date(Field f) {
    const auto v = required(f);
    return v ? parse_date_value(f, *v) : std::nullopt;
  }

  std::optional<Date> optional_date(Field f) {
    const std::optional<std::string_view> v = raw(f);
    return v ? parse_date_value(f, *v) : std::nullopt;
  }

  std::optional<Money> amount(Field f) {
    const auto v = required(f);
    return v ? parse_money(f, *v) : std::nullopt;
  }

  std::optional<Money> optional_amount(Field f) {
    const std::optional<std::string_view> v = raw(f);
    return v ? parse_money(f, *v) : std::nullopt;
  }

  // A decimal with at most `scale` decimals (percentages, units).
  std::optional<Decimal> decimal(Field f, int scale) {
    const auto v = required(f);
    return v ? parse_decimal_value(f, *v, scale) : std::nullopt;
  }

  std::optional<Decimal> optional_decimal(Field f, int scale) {
    const std::optional<std::string_view> v = raw(f);
    return v ? parse_decimal_value(f, *v, scale) : std::nullopt;
  }

  bool boolean(Field f) {
    const auto v = required(f);
    if (!v) return false;
    const std::string_view t = trim(*v);
    if (t == "true" || t == "1") return true;
    if (t != "false" && t != "0") {
      error("VALUE-ENUM", f,
            "field " + quote(f.label()) + " is not 'true' or 'false': " + quote(*v));
    }
    return false;
  }

  template <typename Parse>
  auto enumerated(Field f, Parse parse) -> decltype(parse(std::string_view())) {
    const auto v = required(f);
    if (!v) return std::nullopt;
    auto value = parse(trim(*v));
    if (!value) {
      error("VALUE-ENUM", f, "field " + quote(f.label()) + " has an unknown value " + quote(*v));
    }
    return value;
  }

  void error(std::string rule_id, Field f, std::string message) {
    diags_.error(std::move(rule_id), file_, f.el.line(), f.el.column(), std::string(f.label()),
                 std::move(message));
  }

  // Reports what the schema forbids but the parse left to this code (IdentityChecks::kCaller).
  void schema_error(const SourcePos& at, std::string_view field, std::string message) {
    diags_.error("XML-SCHEMA", file_, at.line, at.column, std::string(field), std::move(message));
  }

  void inconsistent(XmlNode el, std::string_view field, std::string message) {
    diags_.error("VALUE-INCONSISTENT", file_, el.line(), el.column(), std::string(field),
                 std::move(message));
  }

 private:
  std::optional<Date> parse_date_value(Field f, std::string_view v) {
    auto d = parse_date(trim(v), DateFormat::kIso);
    if (!d) {
      error("VALUE-DATE", f,
            "field " + quote(f.label()) + " is not a calendar date YYYY-MM-DD: " + quote(v));
      return std::nullopt;
    }
    return d->first;
  }

  std::optional<Money> parse_money(Field f, std::string_view v) {
    const AmountParse p = parse_amount(trim(v), DecimalMark::kPoint);
    if (!p.value) {
      error("VALUE-AMOUNT", f,
            "field " + quote(f.label()) + " " + std::string(amount_error_text(p.error)) + ": " +
                quote(v));
      return std::nullopt;
    }
    return p.value;
  }

  std::optional<Decimal> parse_decimal_value(Field f, std::string_view v, int scale) {
    auto d = parse_decimal(trim(v), scale);
    if (!d) {
      error("VALUE-NUMBER", f,
            "field " + quote(f.label()) + " is not a number with at most " + std::to_string(scale) +
                " decimals: " + quote(v));
    }
    return d;
  }

  std::string file_;
  Diagnostics& diags_;
  std::size_t errors_at_start_;
  // Where the last attribute of hint_element_ was found: readers ask for an element's fields
  // in the order the documents write them (XmlNode::attribute with a hint).
  mutable std::optional<XmlNode> hint_element_;
  mutable std::uint32_t hint_ = 0;
};

using Field = Mapper::Field;

// The document each thread parses into, reused so that reading a file allocates nothing for its
// elements once the thread has read one as large. The readers copy what they keep into the model
// before they return, and none calls another, so one per thread is enough.
XmlDocument& scratch_document() {
  thread_local XmlDocument document;
  return document;
}

// Parses and validates into the thread's document; returns its root, or nullopt.
std::optional<XmlNode> parse_document(const XmlContext& xml, const std::string& file,
                                      std::string_view bytes, Diagnostics& diags,
                                      std::string_view ns,
                                      IdentityChecks identity = IdentityChecks::kXerces) {
  XmlDocument& document = scratch_document();
  if (!xml.parse_into(document, file, bytes, diags, ns, identity)) return std::nullopt;
  return document.root();
}

template <typename T>
void set(std::optional<T> value, T& out) {
  if (value) out = std::move(*value);
}

// ---------------------------------------------------------------------------------------------

std::filesystem::path resolve(const std::filesystem::path& base, std::string_view text) {
  std::filesystem::path p{std::string(text)};
  if (p.is_relative()) p = base / p;
  return p.lexically_normal();
}

}  // namespace

std::optional<Job> read_job_xml(const XmlContext& xml, const std::filesystem::path& file,
                                std::string_view bytes, Diagnostics& diags) {
  return read_job_xml(xml, file, file.string(), bytes, diags);
}

std::optional<Job> read_job_xml(const XmlContext& xml, const std::filesystem::path& file,
                                const std::string& display_name, std::string_view bytes,
                                Diagnostics& diags) {
  const auto root = parse_document(xml, display_name, bytes, diags, kJobNamespace);
  if (!root) return std::nullopt;
  Mapper m(display_name, diags);
  const std::filesystem::path base = file.parent_path();
  Job job;
  job.file = file;
  for (XmlNode el : root->children()) {
    if (el.name() == "name") {
      job.name = m.id({el, ""});
    } else if (el.name() == "inbox") {
      job.inbox = resolve(base, m.id({el, "dir"}));
      set(m.enumerated({el, "mode"}, parse_inbox_mode), job.inbox_mode);
      if (m.raw({el, "settle-seconds"})) set(m.number({el, "settle-seconds"}), job.settle_seconds);
    } else if (el.name() == "archive") {
      job.archive = resolve(base, m.id({el, "dir"}));
    } else if (el.name() == "quarantine") {
      job.quarantine = resolve(base, m.id({el, "dir"}));
    } else if (el.name() == "programme") {
      job.programmes.push_back(resolve(base, m.id({el, "file"})));
    } else if (el.name() == "registry") {
      job.registry = resolve(base, m.id({el, "file"}));
    } else if (el.name() == "rates") {
      job.rates.push_back(resolve(base, m.id({el, "file"})));
    } else if (el.name() == "ledger") {
      const std::string ledger = m.id({el, ""});
      constexpr std::string_view kSqlite = "sqlite:";
      if (ledger.starts_with(kSqlite)) {
        job.ledger = std::string(kSqlite) +
                     resolve(base, std::string_view(ledger).substr(kSqlite.size())).string();
      } else {
        job.ledger = ledger;
      }
    } else if (el.name() == "output") {
      job.output_dir = resolve(base, m.id({el, "dir"}));
    } else if (el.name() == "workbooks") {
      if (m.raw({el, "per-project"})) job.per_project_workbooks = m.boolean({el, "per-project"});
    } else if (el.name() == "encoding") {
      job.encodings.push_back(EncodingDeclaration{m.id({el, "pattern"}), m.id({el, "charset"})});
    }
  }
  if (!m.ok()) return std::nullopt;
  return job;
}

std::optional<ProgrammeRules> read_programme_xml(const XmlContext& xml,
                                                 const std::filesystem::path& file,
                                                 std::string_view bytes, Diagnostics& diags) {
  const auto root = parse_document(xml, file.string(), bytes, diags, kProgrammeNamespace);
  if (!root) return std::nullopt;
  Mapper m(file.string(), diags);
  ProgrammeRules rules;
  for (XmlNode el : root->children()) {
    if (el.name() == "id") {
      rules.id = m.id({el, ""});
    } else if (el.name() == "name") {
      rules.name = std::string(trim(m.text({el, ""})));
    } else if (el.name() == "window") {
      set(m.date({el, "start"}), rules.window_start);
      set(m.date({el, "end"}), rules.window_end);
      if (m.ok() && rules.window_end < rules.window_start) {
        m.inconsistent(el, "end",
                       "window end " + rules.window_end.to_string() + " is before its start " +
                           rules.window_start.to_string());
      }
    } else if (el.name() == "max-erdf-rate") {
      set(m.decimal({el, ""}, 2), rules.max_erdf_rate);
    } else if (el.name() == "categories") {
      for (XmlNode c : el.children()) {
        CategoryRule rule{};
        set(m.enumerated({c, "name"}, parse_category), rule.category);
        rule.real_costs = m.boolean({c, "real-costs"});
        rules.categories.push_back(rule);
      }
    } else if (el.name() == "flat-rates") {
      for (XmlNode f : el.children()) {
        FlatRate rate{};
        set(m.enumerated({f, "type"}, parse_flat_rate_type), rate.type);
        set(m.decimal({f, "percent"}, 2), rate.percent);
        rate.partner_may_choose_less = m.boolean({f, "partner-may-choose-less"});
        rules.flat_rates.push_back(rate);
      }
    } else if (el.name() == "unit-costs") {
      for (XmlNode u : el.children()) {
        UnitCost cost{};
        cost.id = m.id({u, "id"});
        set(m.enumerated({u, "category"}, parse_category), cost.category);
        set(m.amount({u, "eur-per-unit"}), cost.eur_per_unit);
        cost.unit = m.id({u, "unit"});
        rules.unit_costs.push_back(std::move(cost));
      }
    } else if (el.name() == "vat-threshold") {
      set(m.amount({el, ""}), rules.vat_threshold);
    } else if (el.name() == "procurement-threshold") {
      set(m.amount({el, ""}), rules.procurement_threshold);
    } else if (el.name() == "currency-rule") {
      rules.currency_rule = m.id({el, ""});
    } else if (el.name() == "share-rounding") {
      set(m.enumerated({el, ""}, parse_share_rounding), rules.share_rounding);
    } else if (el.name() == "budget-flexibility") {
      set(m.decimal({el, "percent"}, 2), rules.budget_flex_percent);
      set(m.enumerated({el, "base"}, parse_flex_base), rules.budget_flex_base);
    } else if (el.name() == "typologies") {
      for (XmlNode t : el.children()) {
        rules.typologies.push_back(Typology{m.id({t, "id"}), std::string(trim(m.text({t, ""})))});
      }
    } else if (el.name() == "state-cofinancing") {
      for (XmlNode r : el.children()) {
        StateCofinancingRule rule{};
        rule.country = m.id({r, "country"});
        set(m.enumerated({r, "legal-status"}, parse_legal_status), rule.legal_status);
        set(m.enumerated({r, "base"}, parse_state_base), rule.base);
        set(m.decimal({r, "percent"}, 2), rule.percent);
        rules.state_table.push_back(std::move(rule));
      }
    } else if (el.name() == "controller-deadline-days") {
      set(m.number({el, ""}), rules.controller_deadline_days);
    }
  }
  if (!m.ok()) return std::nullopt;
  return rules;
}

namespace {

Partner read_partner(Mapper& m, XmlNode el) {
  Partner p;
  set(m.number({el, "number"}), p.number);
  p.name = m.text({el, "name"});
  p.registration_no = m.text({el, "registration-no"});
  p.country = m.id({el, "country"});
  set(m.enumerated({el, "legal-status"}, parse_legal_status), p.legal_status);
  p.state_aid_relevant = m.boolean({el, "state-aid-relevant"});
  p.vat_recoverable = m.boolean({el, "vat-recoverable"});
  p.currency = m.id({el, "currency"});
  set(m.decimal({el, "erdf-rate"}, 2), p.erdf_rate);
  p.budgeted_erdf = m.optional_amount({el, "budgeted-erdf"});
  p.state_granted = m.optional_amount({el, "state-granted"});
  for (XmlNode c : el.children()) {
    if (c.name() == "flat-rate") {
      ChosenFlatRate rate{};
      set(m.enumerated({c, "type"}, parse_flat_rate_type), rate.type);
      set(m.decimal({c, "percent"}, 2), rate.percent);
      p.flat_rates.push_back(rate);
    } else if (c.name() == "budget") {
      const auto category = m.enumerated({c, "category"}, parse_category);
      const auto amount = m.amount({c, "amount"});
      if (category && amount) p.budget[*category] = *amount;
    }
  }
  return p;
}

ReportingPeriod read_period(Mapper& m, XmlNode el) {
  ReportingPeriod period;
  set(m.number({el, "number"}), period.number);
  const auto start = m.date({el, "start"});
  const auto end = m.date({el, "end"});
  const auto deadline = m.date({el, "submission-deadline"});
  if (start && end && *end < *start) {
    m.inconsistent(el, "end",
                   "period " + std::to_string(period.number) + " ends " + end->to_string() +
                       ", before it starts " + start->to_string());
  }
  if (end && deadline && *deadline < *end) {
    m.inconsistent(el, "submission-deadline",
                   "period " + std::to_string(period.number) + " has its submission deadline " +
                       deadline->to_string() + " before its end " + end->to_string());
  }
  set(start, period.start);
  set(end, period.end);
  set(deadline, period.submission_deadline);
  return period;
}

}  // namespace

std::optional<Registry> read_registry_xml(const XmlContext& xml, const std::filesystem::path& file,
                                          std::string_view bytes, Diagnostics& diags) {
  const auto root = parse_document(xml, file.string(), bytes, diags, kRegistryNamespace);
  if (!root) return std::nullopt;
  Mapper m(file.string(), diags);
  Registry registry;
  for (XmlNode el : root->children()) {
    Project project;
    project.id = m.id({el, "id"});
    project.acronym = m.text({el, "acronym"});
    project.programme_id = m.id({el, "programme"});
    const auto start = m.date({el, "start"});
    const auto end = m.date({el, "end"});
    if (start && end && *end < *start) {
      m.inconsistent(el, "end",
                     "project " + quote(project.id) + " ends " + end->to_string() +
                         ", before it starts " + start->to_string());
    }
    set(start, project.start);
    set(end, project.end);
    set(m.amount({el, "total-cost"}), project.total_cost);
    for (XmlNode c : el.children()) {
      if (c.name() == "partner") {
        project.partners.push_back(read_partner(m, c));
      } else if (c.name() == "period") {
        project.periods.push_back(read_period(m, c));
      }
    }
    registry.projects.push_back(std::move(project));
  }
  if (!m.ok()) return std::nullopt;
  return registry;
}

namespace {

// Reads the <line> `el` into `line` (a new element of the report's lines, filled in place).
void read_line(Mapper& m, XmlNode el, ExpenseLine& line) {
  line.pos = m.pos(el);
  set(m.number({el, "line"}), line.line);
  set(m.enumerated({el, "category"}, parse_category), line.category);
  line.unit_cost = std::string(trim(m.text({el, "unit-cost"})));
  line.units = m.optional_decimal({el, "units"}, 2);
  line.internal_ref = m.text({el, "internal-ref"});
  line.invoice_no = m.text({el, "invoice-no"});
  line.invoice_date = m.optional_date({el, "invoice-date"});
  line.payment_date = m.optional_date({el, "payment-date"});
  line.supplier = m.text({el, "supplier"});
  line.supplier_id = m.text({el, "supplier-id"});
  line.procurement_ref = m.text({el, "procurement-ref"});
  line.description = m.text({el, "description"});
  line.invoice_total = m.optional_amount({el, "invoice-total"});
  line.vat = m.optional_amount({el, "vat"});
  set(m.amount({el, "declared"}), line.declared);
  line.currency = m.id({el, "currency"});
  line.reincluded_from = std::string(trim(m.text({el, "reincluded-from"})));

  const auto n = [&line] { return std::to_string(line.line); };  // only for a message
  if (line.is_unit_cost() && !line.units) {
    m.inconsistent(
        el, "units",
        "line " + n() + " is a unit-cost line (" + quote(line.unit_cost) + ") without 'units'");
  }
  if (!line.is_unit_cost() && line.units) {
    m.inconsistent(
        el, "unit-cost",
        "line " + n() + " has 'units' " + quote(line.units->to_string()) + " but no 'unit-cost'");
  }
  if (line.is_unit_cost() && !line.currency.empty() && line.currency != "EUR") {
    m.inconsistent(el, "currency",
                   "line " + n() + " is a unit-cost line in " + quote(line.currency) +
                       ": unit-cost lines are EUR only");
  }
}

}  // namespace

std::optional<PartnerReport> read_report_xml(const XmlContext& xml,
                                             const std::filesystem::path& file,
                                             std::string_view bytes, Diagnostics& diags) {
  const auto root = parse_document(xml, file.string(), bytes, diags, kReportNamespace);
  if (!root) return std::nullopt;
  Mapper m(file.string(), diags);
  PartnerReport report;
  report.pos = m.pos(*root);
  report.lines.reserve(root->children().size());  // nearly every child is a <line>
  std::optional<XmlNode> period_end;
  for (XmlNode el : root->children()) {
    if (el.name() == "project") {
      report.project = m.id({el, ""});
    } else if (el.name() == "partner") {
      set(m.number({el, ""}), report.partner);
    } else if (el.name() == "report") {
      set(m.number({el, ""}), report.report);
    } else if (el.name() == "period-start") {
      set(m.date({el, ""}), report.period_start);
    } else if (el.name() == "period-end") {
      set(m.date({el, ""}), report.period_end);
      period_end = el;
    } else if (el.name() == "submitted-on") {
      set(m.date({el, ""}), report.submitted_on);
    } else if (el.name() == "line") {
      read_line(m, el, report.lines.emplace_back());
    }
  }
  if (m.ok() && period_end && report.period_end < report.period_start) {
    m.inconsistent(*period_end, "period-end",
                   "period-end " + report.period_end.to_string() + " is before period-start " +
                       report.period_start.to_string());
  }
  if (!m.ok()) return std::nullopt;
  return report;
}

namespace {

// schemas/control.xsd, xs:unique "unique-decision-line": a line takes at most one decision,
// deducted or parked. The parse leaves this constraint to this code (IdentityChecks::kCaller).
// Lines compare as numbers, as xs:unique compares positiveInteger values: "02" repeats "2". A
// document with other schema errors is rejected before this check, so a repeat in it is reported
// only once those are fixed.
void check_one_decision_per_line(Mapper& m, const std::vector<LineDecision>& decisions) {
  std::unordered_map<int, const LineDecision*> first;
  first.reserve(decisions.size());
  for (const LineDecision& d : decisions) {
    if (d.line <= 0) continue;  // not a number: already reported
    const auto [it, inserted] = first.try_emplace(d.line, &d);
    if (inserted) continue;
    const LineDecision& earlier = *it->second;
    m.schema_error(d.pos, "line",
                   std::string("element '") + (d.parked ? "parked" : "deducted") +
                       "' decides line " + std::to_string(d.line) + " again, " +
                       (earlier.parked ? "parked" : "deducted") + " at line " +
                       std::to_string(earlier.pos.line) +
                       ": a line takes one decision (unique-decision-line)");
  }
}

}  // namespace

std::optional<ControlResult> read_control_xml(const XmlContext& xml,
                                              const std::filesystem::path& file,
                                              std::string_view bytes, Diagnostics& diags) {
  const auto root =
      parse_document(xml, file.string(), bytes, diags, kControlNamespace, IdentityChecks::kCaller);
  if (!root) return std::nullopt;
  Mapper m(file.string(), diags);
  ControlResult result;
  result.pos = m.pos(*root);
  for (XmlNode el : root->children()) {
    if (el.name() == "id") {
      result.id = m.id({el, ""});
    } else if (el.name() == "project") {
      result.project = m.id({el, ""});
    } else if (el.name() == "partner") {
      set(m.number({el, ""}), result.partner);
    } else if (el.name() == "report") {
      set(m.number({el, ""}), result.report);
    } else if (el.name() == "controller") {
      result.controller = std::string(trim(m.text({el, ""})));
    } else if (el.name() == "certified-on") {
      set(m.date({el, ""}), result.certified_on);
    } else if (el.name() == "replaces") {
      result.replaces = m.id({el, ""});
    } else if (el.name() == "deducted" || el.name() == "parked") {
      LineDecision d;
      d.pos = m.pos(el);
      set(m.number({el, "line"}), d.line);
      d.comment = m.text({el, "comment"});
      if (el.name() == "parked") {
        d.parked = true;
      } else {
        set(m.amount({el, "amount"}), d.deducted);
        d.typology = m.id({el, "typology"});
      }
      result.decisions.push_back(std::move(d));
    }
  }
  check_one_decision_per_line(m, result.decisions);
  if (!m.ok()) return std::nullopt;
  return result;
}

namespace {

ApprovalEvent read_approval(Mapper& m, XmlNode el) {
  ApprovalEvent ev;
  ev.pos = m.pos(el);
  ev.id = m.id({el, "id"});
  ev.project = m.id({el, "project"});
  set(m.number({el, "project-report"}), ev.project_report);
  set(m.date({el, "date"}), ev.date);
  for (XmlNode c : el.children()) {
    PartnerReportRef ref{ev.project, 0, 0};
    set(m.number({c, "partner"}), ref.partner);
    set(m.number({c, "report"}), ref.report);
    if (c.name() == "covers") {
      ev.covers.push_back(ref);
      continue;
    }
    ApprovalDeduction d;
    d.report = ref;
    set(m.number({c, "line"}), d.line);
    set(m.amount({c, "amount"}), d.amount);
    d.typology = m.id({c, "typology"});
    d.comment = m.text({c, "comment"});
    if (std::find(ev.covers.begin(), ev.covers.end(), ref) == ev.covers.end()) {
      m.inconsistent(c, "report",
                     "deduction on partner " + std::to_string(ref.partner) + " report " +
                         std::to_string(ref.report) + ", which approval " + quote(ev.id) +
                         " does not cover");
    }
    ev.deductions.push_back(std::move(d));
  }
  return ev;
}

PaymentEvent read_payment(Mapper& m, XmlNode el, Fund fund) {
  PaymentEvent ev;
  ev.pos = m.pos(el);
  ev.id = m.id({el, "id"});
  ev.fund = fund;
  ev.report.project = m.id({el, "project"});
  set(m.number({el, "partner"}), ev.report.partner);
  set(m.number({el, "report"}), ev.report.report);
  ev.payment_ref = std::string(trim(m.text({el, "payment-ref"})));
  set(m.date({el, "date"}), ev.date);
  set(m.amount({el, "amount"}), ev.amount);
  return ev;
}

}  // namespace

std::optional<EventsDocument> read_events_xml(const XmlContext& xml,
                                              const std::filesystem::path& file,
                                              std::string_view bytes, Diagnostics& diags) {
  const auto root = parse_document(xml, file.string(), bytes, diags, kEventsNamespace);
  if (!root) return std::nullopt;
  Mapper m(file.string(), diags);
  EventsDocument doc;
  for (XmlNode el : root->children()) {
    if (el.name() == "approved") {
      doc.events.emplace_back(read_approval(m, el));
    } else if (el.name() == "erdf-paid") {
      doc.events.emplace_back(read_payment(m, el, Fund::kErdf));
    } else if (el.name() == "state-paid") {
      doc.events.emplace_back(read_payment(m, el, Fund::kState));
    }
  }
  if (!m.ok()) return std::nullopt;
  return doc;
}

}  // namespace cofin
