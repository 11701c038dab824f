#include "rules/duplicates.h"

#include <algorithm>
#include <cctype>

#include "money/rounding.h"

namespace cofin {
namespace {

std::string normalise(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) {
      out += static_cast<char>(std::toupper(c));
    } else if (c >= 0x80) {
      out += ch;  // UTF-8 letters kept as written
    }
  }
  return out;
}

// Converts `part` of a line from its currency to EUR at the line's own ratio declared -> eur
// (HALF_UP), so that an affected part never exceeds the line.
Money part_in_eur(Money part, const ExpenseLine& line, Money eur) {
  if (line.declared.is_zero()) return Money();
  const i128 numerator = static_cast<i128>(part.cents()) * eur.cents();
  return Money::from_i128(divide_rounded(numerator, line.declared.cents(), Rounding::kHalfUp));
}

}  // namespace

std::string LineRef::to_string() const {
  return project + "/P" + std::to_string(partner) + "/R" + std::to_string(report) + "." +
         std::to_string(line);
}

std::string invoice_key(const ExpenseLine& line) {
  const std::string supplier = normalise(line.supplier_id);
  const std::string number = normalise(line.invoice_no);
  if (supplier.empty() || number.empty()) return "";
  return supplier + "|" + number + "|" + line.currency;
}

std::map<LineRef, DuplicateHit> find_duplicate_invoices(std::vector<InvoiceUse> uses) {
  std::sort(uses.begin(), uses.end(),
            [](const InvoiceUse& a, const InvoiceUse& b) { return a.ref < b.ref; });
  struct Seen {
    Money sum;
    std::vector<const InvoiceUse*> positive;  // earlier positive lines, for exact repeats
  };
  std::map<std::string, Seen> seen;
  std::map<LineRef, DuplicateHit> hits;
  for (const InvoiceUse& use : uses) {
    const ExpenseLine& line = *use.line;
    if (!line.reincluded_from.empty()) continue;
    const std::string key = invoice_key(line);
    if (key.empty()) continue;
    Seen& s = seen[key];
    s.sum += line.declared;
    if (line.declared.is_negative() || line.declared.is_zero()) continue;
    DuplicateHit hit;
    hit.declared_so_far = s.sum;
    if (line.invoice_total) {
      hit.invoice_total = line.invoice_total->abs();
      const Money over = s.sum - hit.invoice_total;
      if (over > Money()) hit.over_total = std::min(over, line.declared);
    }
    for (const InvoiceUse* earlier : s.positive) {
      const ExpenseLine& e = *earlier->line;
      if (e.declared == line.declared && e.invoice_total == line.invoice_total) {
        hit.repeat_of = earlier->ref;
        break;
      }
    }
    s.positive.push_back(&use);
    if (!hit.over_total.is_zero() || hit.repeat_of) hits[use.ref] = hit;
  }
  return hits;
}

std::vector<Diagnostic> duplicate_findings(const DuplicateHit& hit, const ExpenseLine& line,
                                           Money eur) {
  std::vector<Diagnostic> out;
  auto make = [&](Severity severity, const char* id, std::string message, Money amount) {
    Diagnostic d;
    d.severity = severity;
    d.rule_id = id;
    d.file = line.pos.file;
    d.line = line.pos.line;
    d.column = line.pos.column;
    d.field = "invoice-no";
    d.message = "line " + std::to_string(line.line) + ": " + std::move(message);
    d.amount = amount;
    d.line_no = line.line;
    out.push_back(std::move(d));
  };
  const std::string invoice =
      "invoice " + quote(line.invoice_no) + " of supplier " + quote(line.supplier_id);
  if (!hit.over_total.is_zero()) {
    make(Severity::kError, "DUP-INVOICE",
         invoice + " is declared " + hit.declared_so_far.to_string() + " " + line.currency +
             " in all reports, above its total " + hit.invoice_total.to_string() + " by " +
             (hit.declared_so_far - hit.invoice_total).to_string(),
         part_in_eur(hit.over_total, line, eur));
  }
  if (hit.repeat_of) {
    make(Severity::kWarning, "DUP-INVOICE-REPEAT",
         invoice + " with the same amounts was declared before as " + hit.repeat_of->to_string(),
         Money());
  }
  return out;
}

}  // namespace cofin
