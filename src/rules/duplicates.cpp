#include "rules/duplicates.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "money/rounding.h"

namespace cofin {
namespace {

// What normalisation makes of each byte: ASCII letters upper-cased, digits kept, bytes of
// UTF-8 sequences (>= 0x80) kept as written, everything else (spaces, punctuation, control
// characters) dropped (0). The "C" locale's isalnum/toupper, which is what cofin runs under (it
// never calls setlocale), as a table: this runs on every line.
constexpr std::array<char, 256> kNormalised = [] {
  std::array<char, 256> table{};
  for (int c = 0; c < 256; ++c) {
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c >= 0x80) {
      table[static_cast<std::size_t>(c)] = static_cast<char>(c);
    } else if (c >= 'a' && c <= 'z') {
      table[static_cast<std::size_t>(c)] = static_cast<char>(c - 'a' + 'A');
    }
  }
  return table;
}();

// Writes `text` to `out` without ASCII case, spaces and punctuation; returns the end.
char* write_normalised(std::string_view text, char* out) {
  for (const char ch : text) {
    const char n = kNormalised[static_cast<unsigned char>(ch)];
    *out = n;
    out += n != 0;  // branch-free: a dropped byte is overwritten by the next
  }
  return out;
}

// Returns the most bytes write_invoice_key writes for `line`.
std::size_t invoice_key_capacity(const ExpenseLine& line) {
  return line.supplier_id.size() + line.invoice_no.size() + line.currency.size() + 2;
}

// Writes invoice_key(line) to `out` and returns its length (0: the line has no invoice key).
// REQUIRES: `out` has room for invoice_key_capacity(line) bytes.
std::size_t write_invoice_key(const ExpenseLine& line, char* out) {
  char* end = write_normalised(line.supplier_id, out);
  if (end == out) return 0;
  *end++ = '|';
  char* const number = end;
  end = write_normalised(line.invoice_no, end);
  if (end == number) return 0;
  *end++ = '|';
  end = std::copy(line.currency.begin(), line.currency.end(), end);
  return static_cast<std::size_t>(end - out);
}

// Returns the positions of `uses` in LineRef order. The project strings are ranked once, so
// the sort compares four integers instead of a string per comparison. Equal refs keep their
// input order.
std::vector<std::size_t> lineref_order(const std::vector<InvoiceUse>& uses) {
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

std::string invoice_key(const ExpenseLine& line) {
  std::string key(invoice_key_capacity(line), '\0');
  key.resize(write_invoice_key(line, key.data()));
  return key;
}

std::map<LineRef, DuplicateHit> find_duplicate_invoices(std::vector<InvoiceUse> uses) {
  constexpr std::uint32_t kNone = static_cast<std::uint32_t>(-1);
  // Positions and arena offsets are 32-bit: 4 billion lines is far beyond any programme.
  if (uses.size() >= kNone) throw std::length_error("find_duplicate_invoices: too many lines");
  // Each use's invoice key, once, in one arena (empty = no invoice, or re-included).
  std::string arena;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> key_span(uses.size());  // offset, size
  for (std::size_t u = 0; u < uses.size(); ++u) {
    const ExpenseLine& line = *uses[u].line;
    if (!line.reincluded_from.empty()) continue;
    const std::size_t at = arena.size();
    if (at + invoice_key_capacity(line) >= kNone) {
      throw std::length_error("find_duplicate_invoices: invoice keys beyond 4 GB");
    }
    arena.resize(at + invoice_key_capacity(line));
    const std::size_t length = write_invoice_key(line, arena.data() + at);
    arena.resize(at + length);
    key_span[u] = {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(length)};
  }
  auto key_of = [&](std::size_t u) {
    return std::string_view(arena).substr(key_span[u].first, key_span[u].second);
  };

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
    const InvoiceUse& use = uses[u];
    const ExpenseLine& line = *use.line;
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
      const ExpenseLine& earlier = *uses[e].line;
      if (earlier.declared == line.declared && earlier.invoice_total == line.invoice_total) {
        hit.repeat_of = uses[e].ref;
        break;
      }
    }
    if (s.last_positive == kNone) {
      s.first_positive = static_cast<std::uint32_t>(u);
    } else {
      next_positive[s.last_positive] = static_cast<std::uint32_t>(u);
    }
    s.last_positive = static_cast<std::uint32_t>(u);
    if (!hit.over_total.is_zero() || hit.repeat_of) hits[use.ref] = hit;
  }
  return hits;
}

std::map<LineRef, DuplicateHit> find_duplicate_invoices(const ForEachLine& for_each_line) {
  const std::hash<std::string_view> hash;
  std::string key;
  // Returns the hash of `line`'s invoice key, or nullopt when it has none (find_duplicate_
  // invoices skips those and re-included lines).
  auto key_hash = [&](const ExpenseLine& line) -> std::optional<std::size_t> {
    if (!line.reincluded_from.empty()) return std::nullopt;
    key.resize(invoice_key_capacity(line));
    key.resize(write_invoice_key(line, key.data()));
    if (key.empty()) return std::nullopt;
    return hash(key);
  };
  // A hit needs a second line on the same invoice (a sum over lines, or a repeat), or a line
  // declaring more than its own invoice total.
  std::vector<std::size_t> hashes;
  std::vector<std::size_t> suspects;
  for_each_line([&](const LineRef&, const ExpenseLine& line) {
    const std::optional<std::size_t> h = key_hash(line);
    if (!h) return;
    hashes.push_back(*h);
    if (line.declared > Money() && line.invoice_total &&
        line.declared > line.invoice_total->abs()) {
      suspects.push_back(*h);
    }
  });
  std::sort(hashes.begin(), hashes.end());
  for (std::size_t k = 1; k < hashes.size(); ++k) {
    // The first repeat of each run of equal hashes.
    const bool repeat = hashes[k] == hashes[k - 1];
    if (repeat && (k == 1 || hashes[k - 2] != hashes[k])) {
      suspects.push_back(hashes[k]);
    }
  }
  std::vector<std::size_t>().swap(hashes);
  std::sort(suspects.begin(), suspects.end());
  suspects.erase(std::unique(suspects.begin(), suspects.end()), suspects.end());
  // Equal hashes of different keys only keep a line more: the exact check compares keys.
  std::deque<ExpenseLine> kept;
  std::vector<InvoiceUse> uses;
  for_each_line([&](const LineRef& ref, const ExpenseLine& line) {
    const std::optional<std::size_t> h = key_hash(line);
    if (!h || !std::binary_search(suspects.begin(), suspects.end(), *h)) return;
    uses.push_back({ref, &kept.emplace_back(line)});
  });
  return find_duplicate_invoices(std::move(uses));
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
