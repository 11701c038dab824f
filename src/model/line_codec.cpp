#include "model/line_codec.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cofin {

namespace {

// The first byte of an encoding: its kind and format version.
constexpr unsigned char kLinesV1 = 0xC1;
constexpr unsigned char kDiagnosticsV1 = 0xD1;
constexpr unsigned char kDecisionsV1 = 0xE1;

// A line's head byte: the category in the low three bits, then one bit per optional field.
constexpr unsigned kCategoryBits = 0x07;
constexpr unsigned kHasUnits = 1u << 3;
constexpr unsigned kHasInvoiceDate = 1u << 4;
constexpr unsigned kHasPaymentDate = 1u << 5;
constexpr unsigned kHasInvoiceTotal = 1u << 6;
constexpr unsigned kHasVat = 1u << 7;
constexpr unsigned kLastCategory = static_cast<unsigned>(Category::kInfrastructure);

// A finding's head byte: the severity in the low two bits, then whether it has an amount.
constexpr unsigned kSeverityBits = 0x03;
constexpr unsigned kHasAmount = 1u << 2;
constexpr unsigned kLastSeverity = static_cast<unsigned>(Severity::kInfo);

// A decision's head byte: whether the line is parked; no other bit is used.
constexpr unsigned kParked = 1u << 0;

// The fewest bytes one record can take (each of its always-present fields takes at least one):
// a count that promises more records than the remaining bytes can hold is corrupt, and is
// refused before it reserves memory for them.
constexpr std::uint64_t kMinLineBytes = 15;
constexpr std::uint64_t kMinDiagnosticBytes = 8;
constexpr std::uint64_t kMinDecisionBytes = 8;

// A date is stored as its day number's difference from the previous date of the encoding;
// decoded day numbers beyond this (about ±27,000 years) cannot be dates std::chrono represents.
constexpr std::int64_t kMaxDayNumber = 10'000'000;

std::uint64_t zigzag(std::int64_t v) {
  const auto u = static_cast<std::uint64_t>(v);
  return (u << 1) ^ (0 - (u >> 63));  // the sign bit spread over all 64, without a signed shift
}

std::int64_t unzigzag(std::uint64_t u) {
  return static_cast<std::int64_t>((u >> 1) ^ (0 - (u & 1)));
}

// The difference a - b modulo 2^64, as a signed value: exact for any two int64 (the decoder adds
// it back modulo 2^64), and small when a and b are close.
std::int64_t wrapping_difference(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b));
}

std::int64_t wrapping_sum(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void byte(unsigned value) { out_.push_back(static_cast<char>(value)); }

  void varint(std::uint64_t value) {
    char buf[10];
    std::size_t n = 0;
    while (value >= 0x80) {
      buf[n++] = static_cast<char>((value & 0x7F) | 0x80);
      value >>= 7;
    }
    buf[n++] = static_cast<char>(value);
    out_.append(buf, n);
  }

  void signed_varint(std::int64_t value) { varint(zigzag(value)); }

  void text(std::string_view value) {
    varint(value.size());
    out_.append(value);
  }

 private:
  std::string& out_;
};

// Copies `n` bytes from `from` to `to`, writing exactly those. Inline up to 16 bytes, by
// fixed-size moves (overlapping when n is not a power of two): a line's texts are mostly empty
// or short, and a call to memcpy cost more than the copy.
inline void copy_bytes(char* to, const char* from, std::size_t n) {
  if (n >= 8) {
    if (n > 16) {
      std::memcpy(to, from, n);
      return;
    }
    std::uint64_t first, last;
    std::memcpy(&first, from, 8);
    std::memcpy(&last, from + n - 8, 8);
    std::memcpy(to, &first, 8);
    std::memcpy(to + n - 8, &last, 8);
  } else if (n >= 4) {
    std::uint32_t first, last;
    std::memcpy(&first, from, 4);
    std::memcpy(&last, from + n - 4, 4);
    std::memcpy(to, &first, 4);
    std::memcpy(to + n - 4, &last, 4);
  } else {
    for (std::size_t k = 0; k < n; ++k) to[k] = from[k];
  }
}

// Writes through a pointer into room made beforehand: a line's encoding is a score of small
// values, and a string call each (capacity check, size update) cost more than the values.
class RawWriter {
 public:
  explicit RawWriter(char* at) : at_(at) {}
  char* at() const { return at_; }

  void byte(unsigned value) { *at_++ = static_cast<char>(value); }
  void varint(std::uint64_t value) {
    while (value >= 0x80) {
      *at_++ = static_cast<char>((value & 0x7F) | 0x80);
      value >>= 7;
    }
    *at_++ = static_cast<char>(value);
  }
  void signed_varint(std::int64_t value) { varint(zigzag(value)); }
  void text(std::string_view value) {
    varint(value.size());
    copy_bytes(at_, value.data(), value.size());
    at_ += value.size();
  }

 private:
  char* at_;
};

// The most bytes a varint takes (64 bits, 7 a byte).
constexpr std::size_t kMaxVarintBytes = 10;

// Returns a == b. Inline, by fixed-size loads up to 16 bytes: the table's values are short (file
// names, ids, supplier names), and a call to memcmp cost more than the compare itself.
inline bool same_text(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (n >= 8) {
    if (n > 16) return std::memcmp(p, q, n) == 0;
    // The first and the last 8 bytes (overlapping when n < 16).
    std::uint64_t p0, p1, q0, q1;
    std::memcpy(&p0, p, 8);
    std::memcpy(&q0, q, 8);
    std::memcpy(&p1, p + n - 8, 8);
    std::memcpy(&q1, q + n - 8, 8);
    return ((p0 ^ q0) | (p1 ^ q1)) == 0;
  }
  if (n >= 4) {
    std::uint32_t p0, p1, q0, q1;
    std::memcpy(&p0, p, 4);
    std::memcpy(&q0, q, 4);
    std::memcpy(&p1, p + n - 4, 4);
    std::memcpy(&q1, q + n - 4, 4);
    return ((p0 ^ q0) | (p1 ^ q1)) == 0;
  }
  for (std::size_t k = 0; k < n; ++k) {
    if (p[k] != q[k]) return false;
  }
  return true;
}

// The distinct values of the table-coded fields of one encoding, in first-use order. Each is
// copied once, when first seen: a LineEncoder is given one line at a time, which does not
// outlive the call.
class TableBuilder {
 public:
  // Remembers the last index a field used: consecutive records mostly repeat it, and a compare
  // costs less than a hash.
  struct Hint {
    std::uint32_t index = std::numeric_limits<std::uint32_t>::max();
  };

  // Returns the index of `value`, adding it when new. The hint's compare is inline in the
  // caller; the lookup is not, so that a hit costs no call.
  std::uint32_t index_of(std::string_view value, Hint& hint) {
    if (hint.index < views_.size() && same_text(views_[hint.index], value)) return hint.index;
    return look_up(value, hint);
  }

  void write(Writer& w) const {
    w.varint(views_.size());
    for (const std::string_view entry : views_) w.text(entry);
  }

 private:
  static constexpr std::size_t kFirstSlots = 64;

  // index_of past its hint: the hash table, then a new entry.
  [[gnu::noinline]] std::uint32_t look_up(std::string_view value, Hint& hint) {
    if (slots_.empty()) slots_.assign(kFirstSlots, 0);
    const std::size_t mask = slots_.size() - 1;
    std::size_t at = hash(value) & mask;
    for (; slots_[at] != 0; at = (at + 1) & mask) {
      const std::uint32_t index = slots_[at] - 1;
      if (same_text(views_[index], value)) {
        hint.index = index;
        return index;
      }
    }
    const auto index = static_cast<std::uint32_t>(views_.size());
    // A deque never moves its elements when it grows: the views stay valid.
    views_.push_back(entries_.emplace_back(value));
    slots_[at] = index + 1;
    if (2 * views_.size() > slots_.size()) grow();
    hint.index = index;
    return index;
  }

  // A multiply-xorshift hash over 8 bytes at a time: the values are short (supplier names and
  // ids, file names), and most lines of a report look up a supplier the line before did not.
  static std::uint64_t hash(std::string_view value) {
    std::uint64_t h = value.size() * 0x9E3779B97F4A7C15u;
    std::size_t k = 0;
    for (; k + 8 <= value.size(); k += 8) {
      std::uint64_t word;
      std::memcpy(&word, value.data() + k, 8);
      h = (h ^ word) * 0xBF58476D1CE4E5B9u;
      h ^= h >> 31;
    }
    // The last 0-7 bytes by fixed-size loads (a copy of a variable length is a library call).
    const std::size_t rest = value.size() - k;
    const char* p = value.data() + k;
    std::uint64_t tail = 0;
    if (rest >= 4) {
      std::uint32_t first, last;
      std::memcpy(&first, p, 4);
      std::memcpy(&last, p + rest - 4, 4);
      tail = (static_cast<std::uint64_t>(first) << 32) | last;
    } else if (rest > 0) {
      tail = static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) << 16 |
             static_cast<std::uint64_t>(static_cast<unsigned char>(p[rest / 2])) << 8 |
             static_cast<unsigned char>(p[rest - 1]);
    }
    h = (h ^ tail) * 0x94D049BB133111EBu;
    return h ^ (h >> 29);
  }

  // Doubles the slots (open addressing, linear probing, at most half full).
  void grow() {
    std::vector<std::uint32_t> slots(2 * slots_.size(), 0);
    const std::size_t mask = slots.size() - 1;
    for (std::uint32_t index = 0; index < views_.size(); ++index) {
      std::size_t at = hash(views_[index]) & mask;
      while (slots[at] != 0) at = (at + 1) & mask;
      slots[at] = index + 1;
    }
    slots_ = std::move(slots);
  }

  std::deque<std::string> entries_;      // the values, owned
  std::vector<std::string_view> views_;  // entries_ by index, for compares without a deque walk
  std::vector<std::uint32_t> slots_;     // index + 1 of the value hashed there; 0 = free
};

class Reader {
 public:
  Reader(std::string_view bytes, const char* what)
      : begin_(bytes.data()), at_(bytes.data()), end_(bytes.data() + bytes.size()), what_(what) {}

  std::uint64_t remaining() const { return static_cast<std::uint64_t>(end_ - at_); }
  bool at_end() const { return at_ == end_; }

  unsigned byte() {
    if (at_ == end_) fail("truncated");
    return static_cast<unsigned char>(*at_++);
  }

  std::uint64_t varint() {
    // Most values of a line fit one byte (differences, lengths, table indexes): that byte
    // without the loop; a longer one is read by varint_of_bytes.
    if (at_ != end_ && static_cast<unsigned char>(*at_) < 0x80) {
      return static_cast<unsigned char>(*at_++);
    }
    return varint_of_bytes();
  }

  std::uint64_t varint_of_bytes() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at_ == end_) fail("truncated varint");
      const auto b = static_cast<unsigned char>(*at_++);
      // The tenth byte holds only the top bit of 64.
      if (shift == 63 && b > 1) fail("varint beyond 64 bits");
      value |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if (b < 0x80) return value;
    }
    fail("varint beyond 64 bits");
  }

  std::int64_t signed_varint() { return unzigzag(varint()); }

  // Returns `base` plus a signed varint, which must fit an int (a line or column number).
  // REQUIRES: base is within int range plus or minus one, so that a sum beyond int64 wraps to a
  // value far outside int range and is refused.
  int int_after(std::int64_t base, const char* field) {
    const std::int64_t value = wrapping_sum(base, signed_varint());
    if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
      fail(std::string(field) + " out of range");
    }
    return static_cast<int>(value);
  }

  std::string_view text() {
    const std::uint64_t size = varint();
    if (size > remaining()) fail("string length past the end");
    const std::string_view value(at_, static_cast<std::size_t>(size));
    at_ += size;
    return value;
  }

  // Returns a record count, refused when the remaining bytes cannot hold that many records.
  std::size_t count(std::uint64_t min_record_bytes) {
    const std::uint64_t n = varint();
    if (n > remaining() / min_record_bytes) fail("record count past the end");
    return static_cast<std::size_t>(n);
  }

  // Out of the decoding loops: a failure's message is built here, not at each call.
  [[noreturn, gnu::cold, gnu::noinline]] void fail(const char* why) const {
    fail(std::string(why));
  }

  [[noreturn]] void fail(const std::string& why) const {
    throw CorruptSpill("spill: corrupt " + std::string(what_) + " encoding: " + why + " at byte " +
                       std::to_string(at_ - begin_) + " of " + std::to_string(end_ - begin_));
  }

 private:
  const char* begin_;
  const char* at_;
  const char* end_;
  const char* what_;
};

class TableReader {
 public:
  explicit TableReader(Reader& r) {
    // Each entry takes at least its length byte.
    const std::size_t n = r.count(1);
    entries_.reserve(n);
    for (std::size_t k = 0; k < n; ++k) entries_.push_back(r.text());
  }

  std::string_view at(Reader& r) const {
    const std::uint64_t index = r.varint();
    if (index >= entries_.size()) r.fail("string table index out of range");
    return entries_[static_cast<std::size_t>(index)];
  }

 private:
  std::vector<std::string_view> entries_;
};

// Appends one encoding to `out`: the kind byte, the string table, the record count and the
// records already written to `body`.
void append_encoding(std::string& out, unsigned char kind, const TableBuilder& table,
                     std::size_t count, std::string_view body) {
  out.reserve(out.size() + body.size() + 64);
  Writer o(out);
  o.byte(kind);
  table.write(o);
  o.varint(count);
  out.append(body);
}

void expect_kind(Reader& r, unsigned kind) {
  if (r.byte() != kind) r.fail("wrong kind or version byte");
}

void write_date(RawWriter& w, const Date& date, std::int64_t& previous_day) {
  const std::int64_t day = date.days_since_epoch();
  w.signed_varint(day - previous_day);
  previous_day = day;
}

// The dates one decoding has built, by day number: a report's lines share a few hundred days,
// and building a date (a calendar conversion there and back) costs ten times a look-up.
class DateCache {
 public:
  DateCache() { days_.fill(kNoDay); }

  // Returns the date of day number `day`, built by `make` when not already there.
  template <typename Make>
  Date get(std::int64_t day, Make&& make) {
    const std::size_t slot = static_cast<std::size_t>(day) & (kSlots - 1);
    if (days_[slot] != day) {
      dates_[slot] = make();
      days_[slot] = day;
    }
    return dates_[slot];
  }

 private:
  static constexpr std::size_t kSlots = 256;  // a power of two
  // No day number a date can have (read_date refuses those beyond ±kMaxDayNumber).
  static constexpr std::int64_t kNoDay = std::numeric_limits<std::int64_t>::min();
  std::array<std::int64_t, kSlots> days_;
  std::array<Date, kSlots> dates_;
};

// Reads a date stored as its day number's difference from `previous_day`.
Date read_date(Reader& r, std::int64_t& previous_day, DateCache& dates) {
  const std::int64_t delta = r.signed_varint();
  if (delta > 2 * kMaxDayNumber || delta < -2 * kMaxDayNumber) r.fail("date out of range");
  const std::int64_t day = previous_day + delta;
  if (day > kMaxDayNumber || day < -kMaxDayNumber) r.fail("date out of range");
  const Date date = dates.get(day, [&r, day] {
    const Date made = Date().plus_days(static_cast<int>(day));
    if (made.days_since_epoch() != day) r.fail("date out of range");
    return made;
  });
  previous_day = day;
  return date;
}

// Sets `to` to `text`, keeping `to`'s capacity. Most of a line's optional texts are empty (a
// unit-cost line has no invoice, supplier or reference): clearing costs no library call.
void assign_text(std::string& to, std::string_view text) {
  to.clear();
  // Appended, not assigned: an append to an empty string is a shorter library path than an
  // assignment (which must allow for `text` lying within `to`).
  if (!text.empty()) to.append(text.data(), text.size());
}

// The records of an encoding written so far, in storage that is never zero-filled: a record's
// room is made before it is written (its size is known only after), and a string would write
// every byte of that room twice, then copy it all again at each doubling.
class RecordBuffer {
 public:
  // `first_bytes`: the least the first allocation takes.
  explicit RecordBuffer(std::size_t first_bytes = 0) : first_bytes_(first_bytes) {}

  // Makes room for at least `bytes` bytes in all; optional.
  void reserve(std::size_t bytes) {
    if (bytes > capacity_) grow(bytes);
  }
  // Returns where `bytes` more bytes may be written; commit() says how many were.
  // Never null, even for no bytes: writers may take its address before knowing they write none.
  char* room(std::size_t bytes) {
    if (bytes > capacity_ - used_ || data_ == nullptr) [[unlikely]] {
      grow(used_ + bytes);
    }
    return data_.get() + used_;
  }
  // Keeps the bytes written from room() up to `end`.
  // REQUIRES: `end` is within the last room() given.
  void commit(const char* end) { used_ = static_cast<std::size_t>(end - data_.get()); }
  std::string_view view() const { return {data_.get(), used_}; }

 private:
  void grow(std::size_t needed) {
    const std::size_t capacity = std::max({needed, 2 * capacity_, first_bytes_});
    std::unique_ptr<char[]> bigger = std::make_unique_for_overwrite<char[]>(capacity);
    if (used_ > 0) std::memcpy(bigger.get(), data_.get(), used_);
    data_ = std::move(bigger);
    capacity_ = capacity;
  }

  std::size_t first_bytes_;
  std::unique_ptr<char[]> data_;
  std::size_t used_ = 0;
  std::size_t capacity_ = 0;
};

// The first block of a line encoding's records: most reports fit it (about 70 bytes a line), and
// never copy their records.
constexpr std::size_t kFirstLineBytes = 64 * 1024;

}  // namespace

struct LineEncoder::State {
  TableBuilder table;
  TableBuilder::Hint file_hint, unit_cost_hint, currency_hint, supplier_hint, supplier_id_hint;
  RecordBuffer body{kFirstLineBytes};
  // The supplier id last written after each supplier (by the supplier's table index), or none:
  // a supplier mostly comes with the same id, which is then found without a lookup.
  std::vector<std::uint32_t> id_after_supplier;
  std::size_t count = 0;
  std::int64_t previous_line = 0, previous_row = 0, previous_day = 0;
};

LineEncoder::LineEncoder() : state_(std::make_unique<State>()) {}
LineEncoder::~LineEncoder() = default;
LineEncoder::LineEncoder(LineEncoder&&) noexcept = default;
LineEncoder& LineEncoder::operator=(LineEncoder&&) noexcept = default;

void LineEncoder::reserve(std::size_t lines) {
  // About 70 bytes a line on the benchmark's data: one allocation for most reports.
  state_->body.reserve(lines * 64);
}

std::size_t LineEncoder::count() const {
  return state_->count;
}

void LineEncoder::add(const ExpenseLine& l) {
  State& s = *state_;
  // Room for the line first: a head byte, at most 20 varints (lengths included) and the texts.
  const std::size_t room = 1 + 20 * kMaxVarintBytes + l.internal_ref.size() + l.invoice_no.size() +
                           l.procurement_ref.size() + l.description.size() +
                           l.reincluded_from.size();
  RawWriter w(s.body.room(room));
  unsigned head = static_cast<unsigned>(l.category);
  if (l.units) head |= kHasUnits;
  if (l.invoice_date) head |= kHasInvoiceDate;
  if (l.payment_date) head |= kHasPaymentDate;
  if (l.invoice_total) head |= kHasInvoiceTotal;
  if (l.vat) head |= kHasVat;
  w.byte(head);
  w.signed_varint(l.line - (s.previous_line + 1));
  s.previous_line = l.line;
  w.varint(s.table.index_of(l.pos.file, s.file_hint));
  w.signed_varint(l.pos.line - (s.previous_row + 1));
  s.previous_row = l.pos.line;
  w.signed_varint(l.pos.column);
  w.varint(s.table.index_of(l.unit_cost, s.unit_cost_hint));
  if (l.units) {
    w.varint(static_cast<std::uint64_t>(l.units->scale()));
    w.signed_varint(l.units->units());
  }
  w.text(l.internal_ref);
  w.text(l.invoice_no);
  if (l.invoice_date) write_date(w, *l.invoice_date, s.previous_day);
  if (l.payment_date) write_date(w, *l.payment_date, s.previous_day);
  const std::uint32_t supplier = s.table.index_of(l.supplier, s.supplier_hint);
  w.varint(supplier);
  if (supplier < s.id_after_supplier.size()) {
    s.supplier_id_hint.index = s.id_after_supplier[supplier];
  } else {
    s.id_after_supplier.resize(supplier + 1, TableBuilder::Hint().index);
  }
  const std::uint32_t supplier_id = s.table.index_of(l.supplier_id, s.supplier_id_hint);
  w.varint(supplier_id);
  s.id_after_supplier[supplier] = supplier_id;
  w.text(l.procurement_ref);
  w.text(l.description);
  w.signed_varint(l.declared.cents());
  if (l.invoice_total) {
    w.signed_varint(wrapping_difference(l.invoice_total->cents(), l.declared.cents()));
  }
  if (l.vat) w.signed_varint(l.vat->cents());
  w.varint(s.table.index_of(l.currency, s.currency_hint));
  w.text(l.reincluded_from);
  s.body.commit(w.at());
  ++s.count;
}

void LineEncoder::finish(std::string& out) {
  append_encoding(out, kLinesV1, state_->table, state_->count, state_->body.view());
  state_ = std::make_unique<State>();
}

void encode_lines(const std::vector<ExpenseLine>& lines, std::string& out) {
  LineEncoder encoder;
  encoder.reserve(lines.size());
  for (const ExpenseLine& l : lines) encoder.add(l);
  encoder.finish(out);
}

void decode_lines_into(std::string_view bytes, std::vector<ExpenseLine>& lines) {
  Reader r(bytes, "lines");
  expect_kind(r, kLinesV1);
  const TableReader table(r);
  const std::size_t n = r.count(kMinLineBytes);
  // Every field of every line is assigned below (the optional ones reset when absent), so a
  // line left from an earlier decoding keeps nothing but its strings' capacity.
  lines.resize(n);
  std::int64_t previous_line = 0, previous_row = 0, previous_day = 0;
  DateCache dates;
  for (ExpenseLine& l : lines) {
    const unsigned head = r.byte();
    if ((head & kCategoryBits) > kLastCategory) r.fail("category out of range");
    l.category = static_cast<Category>(head & kCategoryBits);
    l.line = r.int_after(previous_line + 1, "line number");
    previous_line = l.line;
    assign_text(l.pos.file, table.at(r));
    l.pos.line = r.int_after(previous_row + 1, "physical line");
    previous_row = l.pos.line;
    l.pos.column = r.int_after(0, "column");
    assign_text(l.unit_cost, table.at(r));
    l.units.reset();
    if (head & kHasUnits) {
      const std::uint64_t scale = r.varint();
      if (scale > static_cast<std::uint64_t>(Decimal::kMaxScale))
        r.fail("units scale out of range");
      const std::int64_t units = r.signed_varint();
      l.units = Decimal::from_units(units, static_cast<int>(scale));
    }
    assign_text(l.internal_ref, r.text());
    assign_text(l.invoice_no, r.text());
    l.invoice_date.reset();
    l.payment_date.reset();
    if (head & kHasInvoiceDate) l.invoice_date = read_date(r, previous_day, dates);
    if (head & kHasPaymentDate) l.payment_date = read_date(r, previous_day, dates);
    assign_text(l.supplier, table.at(r));
    assign_text(l.supplier_id, table.at(r));
    assign_text(l.procurement_ref, r.text());
    assign_text(l.description, r.text());
    l.declared = Money::from_cents(r.signed_varint());
    l.invoice_total.reset();
    l.vat.reset();
    if (head & kHasInvoiceTotal) {
      l.invoice_total = Money::from_cents(wrapping_sum(l.declared.cents(), r.signed_varint()));
    }
    if (head & kHasVat) l.vat = Money::from_cents(r.signed_varint());
    assign_text(l.currency, table.at(r));
    assign_text(l.reincluded_from, r.text());
  }
  if (!r.at_end()) r.fail("trailing bytes");
}

std::vector<ExpenseLine> decode_lines(std::string_view bytes) {
  std::vector<ExpenseLine> lines;
  decode_lines_into(bytes, lines);
  return lines;
}

void encode_decisions(const std::vector<LineDecision>& decisions, std::string& out) {
  TableBuilder table;
  TableBuilder::Hint typology_hint, file_hint;
  std::string body;
  body.reserve(decisions.size() * 16);
  Writer w(body);
  // A control decides lines mostly in report order: numbers and rows differ by little.
  std::int64_t previous_line = 0, previous_row = 0;
  for (const LineDecision& d : decisions) {
    w.byte(d.parked ? kParked : 0u);
    w.signed_varint(d.line - (previous_line + 1));
    previous_line = d.line;
    w.signed_varint(d.deducted.cents());
    w.varint(table.index_of(d.typology, typology_hint));
    w.text(d.comment);
    w.varint(table.index_of(d.pos.file, file_hint));
    w.signed_varint(d.pos.line - (previous_row + 1));
    previous_row = d.pos.line;
    w.signed_varint(d.pos.column);
  }
  append_encoding(out, kDecisionsV1, table, decisions.size(), body);
}

std::vector<LineDecision> decode_decisions(std::string_view bytes) {
  Reader r(bytes, "decisions");
  expect_kind(r, kDecisionsV1);
  const TableReader table(r);
  const std::size_t n = r.count(kMinDecisionBytes);
  std::vector<LineDecision> decisions;
  decisions.reserve(n);
  std::int64_t previous_line = 0, previous_row = 0;
  for (std::size_t k = 0; k < n; ++k) {
    LineDecision& d = decisions.emplace_back();
    const unsigned head = r.byte();
    if (head & ~kParked) r.fail("unknown flag bits");
    d.parked = (head & kParked) != 0;
    d.line = r.int_after(previous_line + 1, "line number");
    previous_line = d.line;
    d.deducted = Money::from_cents(r.signed_varint());
    d.typology = table.at(r);
    d.comment = r.text();
    d.pos.file = table.at(r);
    d.pos.line = r.int_after(previous_row + 1, "physical line");
    previous_row = d.pos.line;
    d.pos.column = r.int_after(0, "column");
  }
  if (!r.at_end()) r.fail("trailing bytes");
  return decisions;
}

void encode_diagnostics(const std::vector<Diagnostic>& diagnostics, std::string& out) {
  TableBuilder table;
  TableBuilder::Hint rule_hint, file_hint, field_hint;
  // Sized once and written through a pointer: a finding is a dozen small values and a message.
  // Room for each: a head byte, at most 8 varints (the message's length included), the message.
  std::size_t room = 0;
  for (const Diagnostic& d : diagnostics) room += 1 + 8 * kMaxVarintBytes + d.message.size();
  RecordBuffer body;
  RawWriter w(body.room(room));
  std::int64_t previous_line = 0;
  for (const Diagnostic& d : diagnostics) {
    unsigned head = static_cast<unsigned>(d.severity);
    if (d.amount) head |= kHasAmount;
    w.byte(head);
    w.varint(table.index_of(d.rule_id, rule_hint));
    w.varint(table.index_of(d.file, file_hint));
    // Findings of one report come mostly in line order.
    w.signed_varint(d.line - previous_line);
    previous_line = d.line;
    w.signed_varint(d.column);
    w.varint(table.index_of(d.field, field_hint));
    w.text(d.message);
    if (d.amount) w.signed_varint(d.amount->cents());
    w.signed_varint(d.line_no);
  }
  body.commit(w.at());
  append_encoding(out, kDiagnosticsV1, table, diagnostics.size(), body.view());
}

std::vector<Diagnostic> decode_diagnostics(std::string_view bytes) {
  Reader r(bytes, "findings");
  expect_kind(r, kDiagnosticsV1);
  const TableReader table(r);
  const std::size_t n = r.count(kMinDiagnosticBytes);
  std::vector<Diagnostic> diagnostics;
  diagnostics.reserve(n);
  std::int64_t previous_line = 0;
  for (std::size_t k = 0; k < n; ++k) {
    Diagnostic& d = diagnostics.emplace_back();
    const unsigned head = r.byte();
    if (head & ~(kSeverityBits | kHasAmount)) r.fail("unknown flag bits");
    if ((head & kSeverityBits) > kLastSeverity) r.fail("severity out of range");
    d.severity = static_cast<Severity>(head & kSeverityBits);
    d.rule_id = table.at(r);
    d.file = table.at(r);
    d.line = r.int_after(previous_line, "line");
    previous_line = d.line;
    d.column = r.int_after(0, "column");
    d.field = table.at(r);
    d.message = r.text();
    if (head & kHasAmount) d.amount = Money::from_cents(r.signed_varint());
    d.line_no = r.int_after(0, "line_no");
  }
  if (!r.at_end()) r.fail("trailing bytes");
  return diagnostics;
}

}  // namespace cofin
