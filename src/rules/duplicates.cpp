#include "rules/duplicates.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "money/rounding.h"

namespace cofin {
namespace {

constexpr std::uint32_t kNone = static_cast<std::uint32_t>(-1);

// What the check keeps of a line: its place, its amounts, and where its invoice key lies in the
// keys' arena (size 0: no invoice key, or a re-included line). Not the line itself: at 5M lines
// the 94k lines that can take part in a hit, held whole, were 41 MB at the run's peak.
struct InvoiceFact {
  LineRef ref;
  Money declared;
  std::optional<Money> invoice_total;
  std::uint32_t key_offset = 0;
  std::uint32_t key_size = 0;
};

// Returns the positions of `uses` in LineRef order. The project strings are ranked once, so
// the sort compares four integers instead of a string per comparison. Equal refs keep their
// input order.
std::vector<std::size_t> lineref_order(const std::vector<InvoiceFact>& uses) {
  // Distinct projects, in order of first appearance; uses come grouped by report in practice.
  std::unordered_map<std::string_view, std::uint32_t> project_index;
  std::vector<std::string_view> projects;
  std::vector<std::uint32_t> project_of(uses.size());
  for (std::size_t k = 0; k < uses.size(); ++k) {
    const std::string_view p = uses[k].ref.project;
    if (k > 0 && p == uses[k - 1].ref.project) {
      project_of[k] = project_of[k - 1];
      continue;
    }
    const auto [it, inserted] =
        project_index.try_emplace(p, static_cast<std::uint32_t>(projects.size()));
    if (inserted) projects.push_back(p);
    project_of[k] = it->second;
  }
  std::vector<std::uint32_t> by_name(projects.size());
  for (std::uint32_t k = 0; k < by_name.size(); ++k) by_name[k] = k;
  std::sort(by_name.begin(), by_name.end(),
            [&](std::uint32_t a, std::uint32_t b) { return projects[a] < projects[b]; });
  std::vector<std::uint32_t> rank(projects.size());
  for (std::uint32_t r = 0; r < by_name.size(); ++r) rank[by_name[r]] = r;

  struct SortKey {
    std::uint32_t project;
    int partner, report, line;
    std::size_t index;
    auto operator<=>(const SortKey&) const = default;
  };
  std::vector<SortKey> keys(uses.size());
  for (std::size_t k = 0; k < uses.size(); ++k) {
    const LineRef& r = uses[k].ref;
    keys[k] = SortKey{rank[project_of[k]], r.partner, r.report, r.line, k};
  }
  // The portfolio hands its lines in report order already: then this is one linear pass.
  if (!std::is_sorted(keys.begin(), keys.end())) std::sort(keys.begin(), keys.end());
  std::vector<std::size_t> order(uses.size());
  for (std::size_t k = 0; k < keys.size(); ++k) order[k] = keys[k].index;
  return order;
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

namespace {

// The lines of the check as facts, their invoice keys written once into one arena.
class InvoiceFacts {
 public:
  // Adds `line`, at `ref`.
  void add(const LineRef& ref, const ExpenseLine& line) {
    // Positions and arena offsets are 32-bit: 4 billion lines is far beyond any programme.
    if (facts_.size() + 1 >= kNone) {
      throw std::length_error("find_duplicate_invoices: too many lines");
    }
    InvoiceFact fact{ref, line.declared, line.invoice_total, 0, 0};
    if (line.reincluded_from.empty()) {
      const std::size_t at = arena_.size();
      if (at + invoice_key_detail::capacity(line) >= kNone) {
        throw std::length_error("find_duplicate_invoices: invoice keys beyond 4 GB");
      }
      arena_.resize(at + invoice_key_detail::capacity(line));
      const std::size_t length = invoice_key_detail::write(line, arena_.data() + at);
      arena_.resize(at + length);
      fact.key_offset = static_cast<std::uint32_t>(at);
      fact.key_size = static_cast<std::uint32_t>(length);
    }
    facts_.push_back(std::move(fact));
  }

  // Returns the hits of every line added (find_duplicate_invoices).
  std::map<LineRef, DuplicateHit> hits() const;

 private:
  std::string_view key_of(std::size_t u) const {
    return std::string_view(arena_).substr(facts_[u].key_offset, facts_[u].key_size);
  }

  std::vector<InvoiceFact> facts_;
  std::string arena_;
};

std::map<LineRef, DuplicateHit> InvoiceFacts::hits() const {
  const std::vector<InvoiceFact>& uses = facts_;
  // The invoices: an open-addressing table of invoice ids (power-of-two size, at most half
  // full, linear probing), so that a line costs one hash and no allocation.
  struct Seen {
    std::uint32_t first_use;  // the use whose key names the invoice
    Money sum;
    // Earlier positive lines, for exact repeats: a list threaded through next_positive
    // (positions in `uses`), oldest first.
    std::uint32_t first_positive = kNone;
    std::uint32_t last_positive = kNone;
  };
  std::vector<Seen> invoices;
  std::size_t slots = 16;
  while (slots < 2 * uses.size()) slots *= 2;
  std::vector<std::uint32_t> table(slots, kNone);
  const std::hash<std::string_view> hash;
  std::vector<std::uint32_t> next_positive(uses.size(), kNone);

  std::map<LineRef, DuplicateHit> hits;
  for (const std::size_t u : lineref_order(uses)) {
    const std::string_view key = key_of(u);
    if (key.empty()) continue;
    std::size_t slot = hash(key) & (slots - 1);
    while (table[slot] != kNone && key_of(invoices[table[slot]].first_use) != key) {
      slot = (slot + 1) & (slots - 1);
    }
    if (table[slot] == kNone) {
      table[slot] = static_cast<std::uint32_t>(invoices.size());
      invoices.push_back(Seen{static_cast<std::uint32_t>(u), Money(), kNone, kNone});
    }
    Seen& s = invoices[table[slot]];
    const InvoiceFact& line = uses[u];
    s.sum += line.declared;
    if (line.declared.is_negative() || line.declared.is_zero()) continue;
    DuplicateHit hit;
    hit.declared_so_far = s.sum;
    if (line.invoice_total) {
      hit.invoice_total = line.invoice_total->abs();
      const Money over = s.sum - hit.invoice_total;
      if (over > Money()) hit.over_total = std::min(over, line.declared);
    }
    for (std::uint32_t e = s.first_positive; e != kNone; e = next_positive[e]) {
      const InvoiceFact& earlier = uses[e];
      if (earlier.declared == line.declared && earlier.invoice_total == line.invoice_total) {
        hit.repeat_of = earlier.ref;
        break;
      }
    }
    if (s.last_positive == kNone) {
      s.first_positive = static_cast<std::uint32_t>(u);
    } else {
      next_positive[s.last_positive] = static_cast<std::uint32_t>(u);
    }
    s.last_positive = static_cast<std::uint32_t>(u);
    if (!hit.over_total.is_zero() || hit.repeat_of) hits[line.ref] = hit;
  }
  return hits;
}

}  // namespace

std::map<LineRef, DuplicateHit> find_duplicate_invoices(std::vector<InvoiceUse> uses) {
  InvoiceFacts facts;
  for (const InvoiceUse& use : uses) facts.add(use.ref, *use.line);
  return facts.hits();
}

std::map<LineRef, DuplicateHit> find_duplicate_invoices(const MarkedReports& reports) {
  // A hit needs a second line on the same invoice (a sum over lines, or a repeat), or a line
  // declaring more than its own invoice total. First the hashes of every line with a key.
  // Counted first and sized once: at 5M lines the hashes are 40 MB, and growing by doubling
  // held up to 1.5 times that, then left freed blocks the rest of the run kept resident.
  std::size_t keyed = 0;
  for (std::size_t r = 0; r < reports.size(); ++r) {
    const std::vector<InvoiceMark> marks = reports.marks(r);
    keyed += static_cast<std::size_t>(
        std::count_if(marks.begin(), marks.end(), [](InvoiceMark m) { return m.has_key(); }));
  }
  std::vector<std::uint64_t> hashes;
  hashes.reserve(keyed);
  std::vector<std::uint64_t> suspects;
  for (std::size_t r = 0; r < reports.size(); ++r) {
    for (const InvoiceMark mark : reports.marks(r)) {
      if (!mark.has_key()) continue;
      hashes.push_back(mark.key_hash());
      if (mark.exceeds_own_total()) suspects.push_back(mark.key_hash());
    }
  }
  std::sort(hashes.begin(), hashes.end());
  for (std::size_t k = 1; k < hashes.size(); ++k) {
    // The first repeat of each run of equal hashes.
    const bool repeat = hashes[k] == hashes[k - 1];
    if (repeat && (k == 1 || hashes[k - 2] != hashes[k])) suspects.push_back(hashes[k]);
  }
  std::vector<std::uint64_t>().swap(hashes);
  std::sort(suspects.begin(), suspects.end());
  suspects.erase(std::unique(suspects.begin(), suspects.end()), suspects.end());
  auto suspect = [&suspects](InvoiceMark mark) {
    return mark.has_key() && std::binary_search(suspects.begin(), suspects.end(), mark.key_hash());
  };

  // Then the reports that hold a suspect line: only their lines are read back.
  std::vector<std::size_t> wanted;
  if (!suspects.empty()) {
    for (std::size_t r = 0; r < reports.size(); ++r) {
      const std::vector<InvoiceMark> marks = reports.marks(r);
      if (std::any_of(marks.begin(), marks.end(), suspect)) wanted.push_back(r);
    }
  }
  InvoiceFacts facts;
  if (!wanted.empty()) {
    reports.visit_lines(wanted, suspect, [&facts](const LineRef& ref, const ExpenseLine& line) {
      facts.add(ref, line);
    });
  }
  return facts.hits();
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
