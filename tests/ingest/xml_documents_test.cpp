// Every cofin XML document kind loads into the model with the expected values; value errors the
// schemas cannot express carry their VALUE-* ids.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "ingest/xml_documents.h"
#include "ingest/xml_parser.h"

using namespace cofin;

namespace {

struct XmlEnv {
  XercesRuntime runtime;
  XmlContext xml{runtime};
};

const std::filesystem::path kSource = COFIN_SOURCE_DIR;

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string dump(const Diagnostics& d) {
  std::string out;
  for (const auto& item : d.items()) out += format_diagnostic(item) + "\n";
  return out;
}

bool has(const Diagnostics& d, std::string_view rule, int line = 0) {
  for (const auto& item : d.items()) {
    if (item.rule_id == rule && (line == 0 || item.line == line)) return true;
  }
  return false;
}

Money eur(std::int64_t cents) {
  return Money::from_cents(cents);
}

Decimal dec(const char* text, int scale = 2) {
  return *parse_decimal(text, scale);
}

Date day(int y, unsigned m, unsigned d) {
  return *Date::from_ymd(y, m, d);
}

template <typename T, typename Read>
std::optional<T> load(XmlEnv& env, Read read, const std::filesystem::path& file, Diagnostics& d) {
  auto value = read(env.xml, file, slurp(file), d);
  INFO(dump(d));
  CHECK_FALSE(d.has_errors());
  return value;
}

}  // namespace

TEST_CASE("xml job loads with paths resolved against its directory", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  const auto file = kSource / "fixtures/xml/good/job.xml";
  const auto job = load<Job>(
      env,
      [](const XmlContext& xml, const std::filesystem::path& f, std::string_view bytes,
         Diagnostics& diags) { return read_job_xml(xml, f, bytes, diags); },
      file, d);
  REQUIRE(job);
  const auto dir = kSource / "fixtures/xml";
  CHECK(job->name == "xml-sample");
  CHECK(job->file == file);
  CHECK(job->inbox == (dir / "inbox").lexically_normal());
  CHECK(job->inbox_mode == InboxMode::kKeep);
  CHECK(job->settle_seconds == 0);
  CHECK(job->archive == (dir / "var/archive").lexically_normal());
  CHECK(job->quarantine == "/srv/cofin/quarantine");
  REQUIRE(job->programmes.size() == 2);
  CHECK(job->programmes[0] ==
        (kSource / "jobs/programmes/central-baltic-2021-2027.xml").lexically_normal());
  CHECK(job->registry == (dir / "good/registry.xml").lexically_normal());
  REQUIRE(job->rates.size() == 1);
  CHECK(job->ledger == "sqlite:" + (dir / "var/ledger.sqlite").lexically_normal().string());
  CHECK(job->output_dir == (dir / "var/out").lexically_normal());
  REQUIRE(job->encodings.size() == 1);
  CHECK(job->encodings[0].pattern == "*-1257.csv");
  CHECK(job->encodings[0].charset == "windows-1257");
  CHECK(job->charset_for("report-1257.csv") == "windows-1257");
}

TEST_CASE("xml job settle time defaults to 60 seconds and names its display file", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  const std::string doc =
      "<job xmlns=\"urn:cofin:job:1\"><name>j</name><inbox dir=\"in\" mode=\"move\"/>"
      "<archive dir=\"a\"/><quarantine dir=\"q\"/><programme file=\"p.xml\"/>"
      "<registry file=\"r.xml\"/><ledger>postgresql://db/cofin</ledger><output dir=\"o\"/></job>";
  const auto job = read_job_xml(env.xml, "/etc/cofin/j.xml", "j.xml", doc, d);
  INFO(dump(d));
  REQUIRE(job);
  CHECK(job->settle_seconds == 60);
  CHECK(job->inbox_mode == InboxMode::kMove);
  CHECK(job->inbox == "/etc/cofin/in");
  CHECK(job->ledger == "postgresql://db/cofin");
  CHECK(job->rates.empty());
}

TEST_CASE("xml job with an unknown inbox mode is rejected", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  const auto file = kSource / "fixtures/xml/bad/job-bad-inbox-mode.xml";
  CHECK_FALSE(read_job_xml(env.xml, file, slurp(file), d));
  INFO(dump(d));
  CHECK(has(d, "XML-SCHEMA", 4));
}

TEST_CASE("xml Central Baltic 2021-2027 rule set loads", "[xml][programme]") {
  XmlEnv env;
  Diagnostics d;
  const auto p = load<ProgrammeRules>(env, read_programme_xml,
                                      kSource / "jobs/programmes/central-baltic-2021-2027.xml", d);
  REQUIRE(p);
  CHECK(p->id == "central-baltic-2021-2027");
  CHECK(p->window_start == day(2021, 1, 1));
  CHECK(p->window_end == day(2029, 12, 31));
  CHECK(p->max_erdf_rate == dec("80"));
  REQUIRE(p->categories.size() == 6);
  CHECK_FALSE(p->category(Category::kStaff)->real_costs);
  CHECK_FALSE(p->category(Category::kOffice)->real_costs);
  CHECK_FALSE(p->category(Category::kTravel)->real_costs);
  CHECK(p->category(Category::kExternal)->real_costs);
  CHECK(p->category(Category::kEquipment)->real_costs);
  CHECK(p->category(Category::kInfrastructure)->real_costs);
  REQUIRE(p->flat_rates.size() == 2);
  CHECK(p->flat_rates[0].type == FlatRateType::kOfficeOnStaff);
  CHECK(p->flat_rates[0].percent == dec("15"));
  CHECK_FALSE(p->flat_rates[0].partner_may_choose_less);
  CHECK(p->flat_rates[1].type == FlatRateType::kTravelOnStaff);
  CHECK(p->flat_rates[1].percent == dec("15"));
  REQUIRE(p->unit_costs.size() == 3);
  CHECK(p->unit_cost("staff-hour")->eur_per_unit == eur(2400));
  CHECK(p->unit_cost("staff-hour")->category == Category::kStaff);
  CHECK(p->unit_cost("staff-hour")->unit == "hour");
  CHECK(p->unit_cost("event-participant-day")->eur_per_unit == eur(5100));
  CHECK(p->unit_cost("event-participant-day")->category == Category::kExternal);
  CHECK(p->unit_cost("equipment-staff-hour")->eur_per_unit == eur(23));
  CHECK(p->unit_cost("equipment-staff-hour")->category == Category::kEquipment);
  CHECK(p->vat_threshold == eur(500000000));
  CHECK(p->procurement_threshold == eur(1000000));
  CHECK(p->currency_rule == "submission-month");
  CHECK(p->share_rounding == ShareRounding::kPerReport);
  CHECK(p->budget_flex_percent == dec("10"));
  CHECK(p->budget_flex_base == FlexBase::kCategory);
  CHECK(p->typology("ineligible-cost"));
  CHECK(p->typology("public-procurement"));
  CHECK(p->typology("double-funding")->text == "Cost financed twice");
  REQUIRE(p->state_table.size() == 6);
  for (auto s : {LegalStatus::kStateInstitution, LegalStatus::kDerivedPublicPerson,
                 LegalStatus::kStateCompanyDelegated}) {
    REQUIRE(p->state_rule("LV", s));
    CHECK(p->state_rule("LV", s)->base == StateBase::kNationalContribution);
    CHECK(p->state_rule("LV", s)->percent == dec("100"));
  }
  for (auto s : {LegalStatus::kMunicipality, LegalStatus::kMunicipalCompanyDelegated,
                 LegalStatus::kAssociationFoundation}) {
    REQUIRE(p->state_rule("LV", s));
    CHECK(p->state_rule("LV", s)->base == StateBase::kNationalContribution);
    CHECK(p->state_rule("LV", s)->percent == dec("10"));
  }
  CHECK(p->state_rule("LV", LegalStatus::kPrivateCompany) == nullptr);
  CHECK(p->state_rule("EE", LegalStatus::kMunicipality) == nullptr);
  CHECK(p->controller_deadline_days == 90);
}

TEST_CASE("xml Baltic Sea Region 2014-2020 rule set loads", "[xml][programme]") {
  XmlEnv env;
  Diagnostics d;
  const auto p = load<ProgrammeRules>(
      env, read_programme_xml, kSource / "jobs/programmes/baltic-sea-region-2014-2020.xml", d);
  REQUIRE(p);
  CHECK(p->id == "baltic-sea-region-2014-2020");
  CHECK(p->window_start == day(2014, 1, 1));
  CHECK(p->window_end == day(2023, 12, 31));
  CHECK(p->max_erdf_rate == dec("85"));
  CHECK(p->category(Category::kStaff)->real_costs);
  CHECK_FALSE(p->category(Category::kOffice)->real_costs);
  for (auto c :
       {Category::kTravel, Category::kExternal, Category::kEquipment, Category::kInfrastructure}) {
    CHECK(p->category(c)->real_costs);
  }
  REQUIRE(p->flat_rates.size() == 1);
  CHECK(p->flat_rates[0].type == FlatRateType::kOfficeOnStaff);
  CHECK(p->flat_rates[0].percent == dec("15"));
  CHECK(p->unit_costs.empty());
  CHECK(p->share_rounding == ShareRounding::kPerReport);
  for (auto s : {LegalStatus::kMunicipality, LegalStatus::kAssociationFoundation,
                 LegalStatus::kStateCompanyDelegated, LegalStatus::kMunicipalCompanyDelegated,
                 LegalStatus::kDerivedPublicPerson}) {
    REQUIRE(p->state_rule("LV", s));
    CHECK(p->state_rule("LV", s)->base == StateBase::kEligibleCosts);
    CHECK(p->state_rule("LV", s)->percent == dec("5"));
  }
  REQUIRE(p->state_rule("LV", LegalStatus::kStateInstitution));
  CHECK(p->state_rule("LV", LegalStatus::kStateInstitution)->percent.is_zero());
  CHECK(p->state_rule("LV", LegalStatus::kPrivateCompany) == nullptr);
  CHECK(p->controller_deadline_days == 90);
}

TEST_CASE("xml programme with a unit cost in an undeclared category is rejected", "[xml]") {
  XmlEnv env;
  std::string doc = slurp(kSource / "jobs/programmes/central-baltic-2021-2027.xml");
  const std::string from = "<category name=\"equipment\" real-costs=\"true\"/>";
  const auto at = doc.find(from);
  REQUIRE(at != std::string::npos);
  doc.erase(at, from.size());
  Diagnostics d;
  CHECK_FALSE(read_programme_xml(env.xml, "cb.xml", doc, d));
  INFO(dump(d));
  CHECK(has(d, "XML-SCHEMA"));
}

TEST_CASE("xml registry loads projects, partners and periods", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  const auto r =
      load<Registry>(env, read_registry_xml, kSource / "fixtures/xml/good/registry.xml", d);
  REQUIRE(r);
  REQUIRE(r->projects.size() == 2);
  const Project* p = r->project("CB0100123");
  REQUIRE(p);
  CHECK(p->acronym == "BALTIC-TRAILS");
  CHECK(p->programme_id == "central-baltic-2021-2027");
  CHECK(p->start == day(2023, 9, 1));
  CHECK(p->end == day(2026, 8, 31));
  CHECK(p->total_cost == eur(123456789));
  REQUIRE(p->partners.size() == 2);
  const Partner* lp = p->partner(1);
  REQUIRE(lp);
  CHECK(lp->name == "Rīgas plānošanas reģions");
  CHECK(lp->registration_no == "090000012345");
  CHECK(lp->country == "LV");
  CHECK(lp->legal_status == LegalStatus::kDerivedPublicPerson);
  CHECK_FALSE(lp->state_aid_relevant);
  CHECK_FALSE(lp->vat_recoverable);
  CHECK(lp->currency == "EUR");
  CHECK(lp->erdf_rate == dec("80"));
  REQUIRE(lp->flat_rates.size() == 2);
  CHECK(lp->flat_rate(FlatRateType::kTravelOnStaff)->percent == dec("15"));
  CHECK(lp->budget.at(Category::kStaff) == eur(12000000));
  CHECK(lp->budget.at(Category::kExternal) == eur(6000050));
  CHECK(lp->budget_total() == eur(21600050));
  CHECK_FALSE(lp->budgeted_erdf);
  CHECK(lp->state_granted == eur(2500000));
  const Partner* pp = p->partner(2);
  REQUIRE(pp);
  CHECK(pp->legal_status == LegalStatus::kOther);
  CHECK(pp->state_aid_relevant);
  CHECK(pp->vat_recoverable);
  CHECK(pp->currency == "SEK");
  CHECK(pp->budgeted_erdf == eur(10000000));
  CHECK_FALSE(pp->state_granted);
  CHECK(pp->flat_rates.empty());
  REQUIRE(p->periods.size() == 2);
  CHECK(p->period(1)->end == day(2024, 2, 29));
  CHECK(p->period(2)->submission_deadline == day(2024, 10, 31));
  CHECK(p->period_matching(day(2024, 3, 1), day(2024, 8, 31)) == p->period(2));
  CHECK(r->project("BSR-LARS")->partner(1)->legal_status == LegalStatus::kStateInstitution);
}

TEST_CASE("xml registry with a partner number twice is rejected", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  const auto file = kSource / "fixtures/xml/bad/registry-duplicate-partner.xml";
  CHECK_FALSE(read_registry_xml(env.xml, file, slurp(file), d));
  INFO(dump(d));
  CHECK(has(d, "XML-SCHEMA", 9));
}

TEST_CASE("xml registry period ending before it starts is VALUE-INCONSISTENT", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  const auto file = kSource / "fixtures/xml/bad/registry-period-end-before-start.xml";
  CHECK_FALSE(read_registry_xml(env.xml, file, slurp(file), d));
  INFO(dump(d));
  CHECK(has(d, "VALUE-INCONSISTENT", 9));
}

TEST_CASE("xml partner report loads header and lines with their source lines", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  const auto file = kSource / "fixtures/xml/good/report.xml";
  const auto r = load<PartnerReport>(env, read_report_xml, file, d);
  REQUIRE(r);
  CHECK(r->project == "CB0100123");
  CHECK(r->partner == 1);
  CHECK(r->report == 2);
  CHECK(r->period_start == day(2024, 3, 1));
  CHECK(r->period_end == day(2024, 8, 31));
  CHECK(r->submitted_on == day(2024, 9, 15));
  CHECK(r->pos.file == file.string());
  CHECK(r->pos.line == 2);
  REQUIRE(r->lines.size() == 5);

  const auto& staff = r->lines[0];
  CHECK(staff.line == 1);
  CHECK(staff.category == Category::kStaff);
  CHECK(staff.unit_cost == "staff-hour");
  CHECK(staff.units == dec("160.5"));
  CHECK(staff.declared == eur(385200));
  CHECK(staff.currency == "EUR");
  CHECK(staff.description == "Project manager, March–August");
  CHECK_FALSE(staff.invoice_date);
  CHECK_FALSE(staff.invoice_total);
  CHECK(staff.invoice_no.empty());
  CHECK(staff.pos.line == 9);
  CHECK(staff.pos.column == 3);

  const auto& ext = r->lines[1];
  CHECK(ext.line == 2);
  CHECK(ext.category == Category::kExternal);
  CHECK_FALSE(ext.is_unit_cost());
  CHECK_FALSE(ext.units);
  CHECK(ext.internal_ref == "K-17");
  CHECK(ext.invoice_no == "INV 2024/0042");
  CHECK(ext.invoice_date == day(2024, 4, 2));
  CHECK(ext.payment_date == day(2024, 4, 20));
  CHECK(ext.supplier == "SIA \"Tulkojumi & Co\"");
  CHECK(ext.supplier_id == "LV40003012345");
  CHECK(ext.procurement_ref == "RPR 2024/3");
  CHECK(ext.invoice_total == eur(1210000));
  CHECK(ext.vat == eur(210000));
  CHECK(ext.declared == eur(1210000));
  CHECK(ext.pos.line == 10);

  const auto& credit = r->lines[2];  // a start tag over three physical lines
  CHECK(credit.declared == eur(-12100));
  CHECK(credit.vat == eur(-2100));
  CHECK(credit.pos.line == 11);
  CHECK(credit.pos.column == 3);

  CHECK(r->lines[3].reincluded_from == "R1.7");
  CHECK(r->lines[3].units == dec("30"));
  CHECK(r->lines[3].pos.line == 15);
  CHECK(r->lines[4].currency == "SEK");
  CHECK(r->lines[4].declared == eur(1125000));
  CHECK(r->lines[4].pos.line == 16);
}

TEST_CASE("xml report period ending before it starts is VALUE-INCONSISTENT", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  const auto file = kSource / "fixtures/xml/bad/period-end-before-start.xml";
  CHECK_FALSE(read_report_xml(env.xml, file, slurp(file), d));
  INFO(dump(d));
  CHECK(has(d, "VALUE-INCONSISTENT", 7));
}

TEST_CASE("xml unit-cost line without units is VALUE-INCONSISTENT", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  const auto file = kSource / "fixtures/xml/bad/unit-cost-without-units.xml";
  CHECK_FALSE(read_report_xml(env.xml, file, slurp(file), d));
  INFO(dump(d));
  CHECK(has(d, "VALUE-INCONSISTENT", 9));
}

TEST_CASE("xml unit-cost line in another currency than EUR is VALUE-INCONSISTENT", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  const auto file = kSource / "fixtures/xml/bad/unit-cost-in-sek.xml";
  CHECK_FALSE(read_report_xml(env.xml, file, slurp(file), d));
  INFO(dump(d));
  CHECK(has(d, "VALUE-INCONSISTENT", 9));
}

TEST_CASE("xml text longer than an Excel cell is VALUE-TOO-LONG", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  std::string doc = slurp(kSource / "fixtures/xml/good/report.xml");
  const std::string from = "description=\"Translation of the trail guide\"";
  const auto at = doc.find(from);
  REQUIRE(at != std::string::npos);
  doc.replace(at, from.size(), "description=\"" + std::string(32768, 'x') + "\"");
  CHECK_FALSE(read_report_xml(env.xml, "long.xml", doc, d));
  INFO(dump(d));
  CHECK(has(d, "VALUE-TOO-LONG", 10));
}

TEST_CASE("xml control result loads deductions and parked lines", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  const auto c =
      load<ControlResult>(env, read_control_xml, kSource / "fixtures/xml/good/control.xml", d);
  REQUIRE(c);
  CHECK(c->id == "FLC-2024-0117");
  CHECK(c->project == "CB0100123");
  CHECK(c->partner == 1);
  CHECK(c->report == 2);
  CHECK(c->controller == "VARAM Territorial Cooperation Projects Control Unit");
  CHECK(c->certified_on == day(2024, 11, 20));
  CHECK(c->replaces == "FLC-2024-0101");
  REQUIRE(c->decisions.size() == 3);
  CHECK(c->decisions[0].line == 2);
  CHECK_FALSE(c->decisions[0].parked);
  CHECK(c->decisions[0].deducted == eur(210000));
  CHECK(c->decisions[0].typology == "vat-recoverable");
  CHECK(c->decisions[0].comment == "VAT recoverable for this partner");
  CHECK(c->decisions[0].pos.line == 10);
  CHECK(c->decisions[1].line == 5);
  CHECK(c->decisions[1].parked);
  CHECK(c->decisions[1].deducted.is_zero());
  CHECK(c->decisions[1].comment == "Payment proof missing");
  CHECK(c->decisions[2].deducted == eur(5100));
  CHECK(c->decisions[2].comment.empty());
}

TEST_CASE("xml control result deduction without typology is rejected", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  const auto file = kSource / "fixtures/xml/bad/control-deducted-without-typology.xml";
  CHECK_FALSE(read_control_xml(env.xml, file, slurp(file), d));
  INFO(dump(d));
  CHECK(has(d, "XML-SCHEMA", 9));
}

TEST_CASE("xml control result deciding a line twice is rejected at the repeat", "[xml]") {
  // The schema's xs:unique, which Xerces no longer checks for control results: lines compare
  // as numbers, so line="02" repeats line="2".
  XmlEnv env;
  Diagnostics d;
  const auto file = kSource / "fixtures/xml/bad/control-line-decided-twice.xml";
  CHECK_FALSE(read_control_xml(env.xml, file, slurp(file), d));
  INFO(dump(d));
  REQUIRE(d.error_count() == 1);
  CHECK(has(d, "XML-SCHEMA", 11));
  CHECK(d.items().front().column == 3);
  CHECK(d.items().front().field == "line");
  CHECK(d.items().front().message ==
        "element 'parked' decides line 2 again, deducted at line 9: a line takes one decision "
        "(unique-decision-line)");
}

TEST_CASE("xml control result deducting one line twice is rejected", "[xml]") {
  XmlEnv env;
  std::string doc = slurp(kSource / "fixtures/xml/good/control.xml");
  const auto at = doc.find("<parked");
  REQUIRE(at != std::string::npos);
  // A second deduction on the first decision's line, before the parked one.
  const auto first = doc.find("line=\"", doc.find("<deducted"));
  const std::string line = doc.substr(first, doc.find('"', first + 6) - first + 1);
  doc.insert(at, "<deducted " + line + " amount=\"1.00\" typology=\"vat-recoverable\"/>\n  ");
  Diagnostics d;
  CHECK_FALSE(read_control_xml(env.xml, "twice.xml", doc, d));
  INFO(dump(d));
  REQUIRE(d.error_count() == 1);
  CHECK(d.items().front().rule_id == "XML-SCHEMA");
  CHECK(d.items().front().message.starts_with("element 'deducted' decides line 2 again, deducted"));
}

TEST_CASE("xml events load approvals and payments", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  const auto doc =
      load<EventsDocument>(env, read_events_xml, kSource / "fixtures/xml/good/events.xml", d);
  REQUIRE(doc);
  REQUIRE(doc->events.size() == 4);
  const auto* a = std::get_if<ApprovalEvent>(&doc->events[0]);
  REQUIRE(a);
  CHECK(a->id == "EV-2024-001");
  CHECK(a->project == "CB0100123");
  CHECK(a->project_report == 2);
  CHECK(a->date == day(2024, 12, 10));
  REQUIRE(a->covers.size() == 2);
  CHECK(a->covers[1] == PartnerReportRef{"CB0100123", 2, 2});
  REQUIRE(a->deductions.size() == 1);
  CHECK(a->deductions[0].report == PartnerReportRef{"CB0100123", 2, 2});
  CHECK(a->deductions[0].line == 3);
  CHECK(a->deductions[0].amount == eur(1050));
  CHECK(a->deductions[0].typology == "ineligible-cost");
  CHECK(a->deductions[0].comment == "Outside scope");
  CHECK(a->pos.line == 3);
  const auto* p1 = std::get_if<PaymentEvent>(&doc->events[1]);
  REQUIRE(p1);
  CHECK(p1->id == "EV-2024-002");
  CHECK(p1->fund == Fund::kErdf);
  CHECK(p1->report == PartnerReportRef{"CB0100123", 1, 2});
  CHECK(p1->payment_ref == "MA-PAY-7781");
  CHECK(p1->date == day(2025, 1, 15));
  CHECK(p1->amount == eur(1000000));
  CHECK(p1->pos.line == 8);
  const auto* s = std::get_if<PaymentEvent>(&doc->events[3]);
  REQUIRE(s);
  CHECK(s->fund == Fund::kState);
  CHECK(s->amount == eur(154321));
}

TEST_CASE("xml approval deduction on a report it does not cover is VALUE-INCONSISTENT", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  const auto file = kSource / "fixtures/xml/bad/events-deduction-not-covered.xml";
  CHECK_FALSE(read_events_xml(env.xml, file, slurp(file), d));
  INFO(dump(d));
  CHECK(has(d, "VALUE-INCONSISTENT", 5));
}

TEST_CASE("xml events with an id twice are rejected", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  const auto file = kSource / "fixtures/xml/bad/events-duplicate-id.xml";
  CHECK_FALSE(read_events_xml(env.xml, file, slurp(file), d));
  INFO(dump(d));
  CHECK(has(d, "XML-SCHEMA", 4));
}
