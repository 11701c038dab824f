#include "rules/duplicates.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "job/parallel.h"
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

  // Returns the number of lines added.
  std::size_t size() const { return facts_.size(); }
  // Returns the bytes of the invoice keys written.
  std::size_t key_bytes() const { return arena_.size(); }
  // Makes room for `lines` lines and `key_bytes` bytes of keys in all.
  void reserve(std::size_t lines, std::size_t key_bytes) {
    facts_.reserve(lines);
    arena_.reserve(key_bytes);
  }

  // Adds the lines of `other` after these, as if each had been added here in its order;
  // `other` is left empty, its memory given back.
  void append(InvoiceFacts&& other) {
    const std::size_t shift = arena_.size();
    if (facts_.size() + other.facts_.size() >= kNone || shift + other.arena_.size() >= kNone) {
      throw std::length_error("find_duplicate_invoices: too many lines");
    }
    for (InvoiceFact& fact : other.facts_) {
      if (fact.key_size != 0) fact.key_offset += static_cast<std::uint32_t>(shift);
      facts_.push_back(std::move(fact));
    }
    arena_ += other.arena_;
    other = InvoiceFacts();
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
    // Lines come in LineRef order: each hit goes at the end of the map, found without a search
    // (a line whose ref equals the one before replaces its hit, as hits[ref] = hit did).
    if (!hit.over_total.is_zero() || hit.repeat_of)
      hits.insert_or_assign(hits.end(), line.ref, hit);
  }
  return hits;
}

}  // namespace

std::map<LineRef, DuplicateHit> find_duplicate_invoices(std::vector<InvoiceUse> uses) {
  InvoiceFacts facts;
  for (const InvoiceUse& use : uses) facts.add(use.ref, *use.line);
  return facts.hits();
}

SuspectInvoices::SuspectInvoices(std::vector<std::uint64_t> hashes) : hashes_(std::move(hashes)) {
  if (hashes_.size() >= kNone) {
    throw std::length_error("find_duplicate_invoices: too many suspect invoices");
  }
  // Two to four hashes a bucket: 2^bits buckets, by the hashes' top bits (std::hash values,
  // spread evenly over the 64 bits), so the index takes at most 2 bytes a hash.
  unsigned bits = 1;
  while (bits < 31 && (std::size_t{4} << bits) <= hashes_.size()) ++bits;
  shift_ = 64 - bits;
  start_.assign((std::size_t{1} << (64 - shift_)) + 1, 0);
  std::size_t at = 0;
  for (std::size_t bucket = 0; bucket + 1 < start_.size(); ++bucket) {
    start_[bucket] = static_cast<std::uint32_t>(at);
    while (at < hashes_.size() && (hashes_[at] >> shift_) == bucket) ++at;
  }
  start_.back() = static_cast<std::uint32_t>(hashes_.size());
}

namespace {

// Returns how many workers to use for `items` items when the caller asked for `threads`
// (0: one per core).
unsigned workers_for(std::size_t items, unsigned threads) {
  return worker_count(items, threads != 0 ? threads : std::numeric_limits<unsigned>::max());
}

// Returns the hashes in [low, high) (high 0: no upper end) that occur more than once in
// `hashes` up to bounds.back(), ascending, each once. `hashes` is sorted between each two
// neighbouring `bounds` (the runs the workers sorted): the runs are merged as they are scanned,
// so that no second table of hashes is needed.
std::vector<std::uint64_t> repeated_hashes(const std::uint64_t* hashes,
                                           const std::vector<std::size_t>& bounds,
                                           std::uint64_t low, std::uint64_t high) {
  struct Run {
    const std::uint64_t* at;
    const std::uint64_t* end;
  };
  std::vector<Run> runs;
  for (std::size_t k = 0; k + 1 < bounds.size(); ++k) {
    const std::uint64_t* const first = hashes + bounds[k];
    const std::uint64_t* const last = hashes + bounds[k + 1];
    const Run run{std::lower_bound(first, last, low),
                  high == 0 ? last : std::lower_bound(first, last, high)};
    if (run.at != run.end) runs.push_back(run);
  }
  std::vector<std::uint64_t> repeated;
  std::uint64_t previous = 0;  // no hash is 0 (InvoiceMark::key_hash of a line with a key)
  bool reported = false;
  while (!runs.empty()) {
    // The run with the smallest next hash (there are as few runs as workers).
    std::size_t least = 0;
    for (std::size_t k = 1; k < runs.size(); ++k) {
      if (*runs[k].at < *runs[least].at) least = k;
    }
    Run& run = runs[least];
    // Within a run, a stretch of equal hashes is taken at once.
    const std::uint64_t hash = *run.at;
    const std::uint64_t* past = run.at + 1;
    while (past != run.end && *past == hash) ++past;
    const bool several = past - run.at > 1;
    run.at = past;
    if (run.at == run.end) runs.erase(runs.begin() + static_cast<std::ptrdiff_t>(least));
    if (hash != previous) {
      previous = hash;
      reported = false;
      if (!several) continue;
    }
    if (!reported) {
      repeated.push_back(hash);
      reported = true;
    }
  }
  return repeated;
}

}  // namespace

std::map<LineRef, DuplicateHit> find_duplicate_invoices(const MarkedReports& reports,
                                                        unsigned threads) {
  const std::size_t report_count = reports.size();
  const unsigned workers = workers_for(report_count, threads);
  // A hit needs a second line on the same invoice (a sum over lines, or a repeat), or a line
  // declaring more than its own invoice total. First the hashes of every line with a key, each
  // report's written by a worker into its own stretch of one table, then moved together: the
  // table is sized once from the line counts (8 bytes a line, at 5M lines 40 MB), so no report's
  // marks are read twice here and no growth by doubling holds 1.5 times the table.
  std::vector<std::size_t> first_line(report_count + 1, 0);
  for (std::size_t r = 0; r < report_count; ++r) {
    first_line[r + 1] = first_line[r] + reports.line_count(r);
  }
  // Not zeroed: each report writes the start of its stretch, and only that is read.
  std::unique_ptr<std::uint64_t[]> table =
      std::make_unique_for_overwrite<std::uint64_t[]>(first_line.back());
  // Per report: how many of its lines have a key, and the hashes of its lines above their own
  // totals (rare: most reports have none, and an empty vector allocates nothing).
  std::vector<std::size_t> keyed(report_count, 0);
  std::vector<std::vector<std::uint64_t>> over_own_total(report_count);
  parallel_for(report_count, workers, [&](unsigned, std::size_t r) {
    const std::vector<InvoiceMark> marks = reports.marks(r);
    if (marks.size() != first_line[r + 1] - first_line[r]) {
      throw std::logic_error("find_duplicate_invoices: report " + std::to_string(r) + " has " +
                             std::to_string(marks.size()) + " marks for " +
                             std::to_string(first_line[r + 1] - first_line[r]) + " lines");
    }
    std::uint64_t* const first = table.get() + first_line[r];
    std::uint64_t* out = first;
    for (const InvoiceMark mark : marks) {
      if (!mark.has_key()) continue;
      *out++ = mark.key_hash();
      if (mark.exceeds_own_total()) over_own_total[r].push_back(mark.key_hash());
    }
    keyed[r] = static_cast<std::size_t>(out - first);
  });
  std::size_t hash_count = 0;
  for (std::size_t r = 0; r < report_count; ++r) {
    // Left or in place, never right: a report's hashes land at or before its stretch.
    std::memmove(table.get() + hash_count, table.get() + first_line[r],
                 keyed[r] * sizeof(std::uint64_t));
    hash_count += keyed[r];
  }
  std::uint64_t* const hashes = table.get();

  // Sorted in one run per worker; the runs are merged as the repeats are found.
  const unsigned sorters = workers_for(hash_count, threads);
  std::vector<std::size_t> bounds(sorters + 1);
  for (unsigned w = 0; w <= sorters; ++w) bounds[w] = hash_count * w / sorters;
  parallel_for(sorters, sorters, [&](unsigned, std::size_t w) {
    std::sort(hashes + bounds[w], hashes + bounds[w + 1]);
  });
  // The repeats, found by each worker in its own range of hash values (the hashes spread
  // evenly over them), the ranges' results joined in order.
  std::vector<std::vector<std::uint64_t>> repeated(sorters);
  parallel_for(sorters, sorters, [&](unsigned, std::size_t w) {
    const std::uint64_t step = std::numeric_limits<std::uint64_t>::max() / sorters;
    repeated[w] = repeated_hashes(hashes, bounds, w * step, w + 1 == sorters ? 0 : (w + 1) * step);
  });
  std::vector<std::uint64_t> suspect_hashes;
  for (const std::vector<std::uint64_t>& r : repeated) {
    suspect_hashes.insert(suspect_hashes.end(), r.begin(), r.end());
  }
  std::vector<std::vector<std::uint64_t>>().swap(repeated);
  // Given back before the lines are read: the facts and the hits never share the heap with it.
  table.reset();
  for (const std::vector<std::uint64_t>& over : over_own_total) {
    suspect_hashes.insert(suspect_hashes.end(), over.begin(), over.end());
  }
  std::vector<std::vector<std::uint64_t>>().swap(over_own_total);
  std::sort(suspect_hashes.begin(), suspect_hashes.end());
  suspect_hashes.erase(std::unique(suspect_hashes.begin(), suspect_hashes.end()),
                       suspect_hashes.end());
  const SuspectInvoices suspects(std::move(suspect_hashes));
  if (suspects.empty()) return {};

  // Then the reports that hold a suspect line: only their lines are read back, each report's
  // into a buffer of its own, so that the buffers joined in report order are the facts one
  // thread would have added line after line. hits() orders the lines by LineRef whatever their
  // order here, but a portfolio's reports come in key order: joined so, the facts are already
  // in that order and hits() passes over them once instead of sorting them.
  std::vector<InvoiceFacts> facts_of(report_count);
  parallel_for(report_count, workers, [&](unsigned, std::size_t r) {
    if (!keyed[r]) return;
    const std::vector<InvoiceMark> marks = reports.marks(r);
    const auto suspect = [&suspects](InvoiceMark mark) { return suspects.contains(mark); };
    if (std::none_of(marks.begin(), marks.end(), suspect)) return;
    InvoiceFacts& facts = facts_of[r];
    reports.visit_lines(r, suspects, [&facts](const LineRef& ref, const ExpenseLine& line) {
      facts.add(ref, line);
    });
  });
  std::size_t lines = 0;
  std::size_t key_bytes = 0;
  for (const InvoiceFacts& f : facts_of) {
    lines += f.size();
    key_bytes += f.key_bytes();
  }
  InvoiceFacts facts;
  facts.reserve(lines, key_bytes);
  for (InvoiceFacts& f : facts_of) facts.append(std::move(f));
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
