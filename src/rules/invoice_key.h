// The identity of an invoice (domain §4, no double funding): the key that tells two lines on the
// same invoice, and its 8-byte mark, which the duplicate check reads for every line of the
// portfolio before it reads back the few lines that can take part in a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model/report.h"

namespace cofin {

// Returns the invoice key of `line`: supplier id and invoice number with case, spaces and
// punctuation removed (Excel and people write "LV-4000 300 0000" and "lv40003000000"), joined
// with the currency. Returns "" for lines without both (staff, unit costs): those have no
// invoice to fund twice.
std::string invoice_key(const ExpenseLine& line);

// What the duplicate check needs to know of a line before it reads the line itself: a hash of
// its invoice key and whether the line alone declares more than its invoice total. 8 bytes, so
// that a run can keep one per line beside the spilled lines and read them all cheaply.
// A hash is stable within a run only (std::hash): never persist one.
class InvoiceMark {
 public:
  // A line the duplicate check skips: no invoice key, or re-included (domain §4: a re-included
  // line is its parked origin's cost again, not a second use of the invoice).
  constexpr InvoiceMark() = default;
  // Returns the mark whose bits() are `bits`. For decoding a stored mark.
  static constexpr InvoiceMark from_bits(std::uint64_t bits) { return InvoiceMark(bits); }

  // Returns the 8 bytes, for storing.
  constexpr std::uint64_t bits() const { return bits_; }
  // Returns whether the line takes part in the duplicate check.
  constexpr bool has_key() const { return key_hash() != 0; }
  // Returns a hash of the invoice key, never 0 for a line with a key; 0 without one. Equal keys
  // have equal hashes; equal hashes almost always mean equal keys (the check compares keys).
  constexpr std::uint64_t key_hash() const { return bits_ & ~kExceedsOwnTotal; }
  // Returns whether the line declares a positive amount above its own invoice total: a finding
  // even when no other line uses the invoice.
  constexpr bool exceeds_own_total() const { return (bits_ & kExceedsOwnTotal) != 0; }

  constexpr bool operator==(const InvoiceMark&) const = default;

 private:
  friend InvoiceMark invoice_mark(const ExpenseLine& line, std::string& scratch);
  static constexpr std::uint64_t kExceedsOwnTotal = 1;
  constexpr explicit InvoiceMark(std::uint64_t bits) : bits_(bits) {}
  std::uint64_t bits_ = 0;
};

// Returns the mark of `line`. `scratch` is a buffer for the key, reused between calls so that a
// line costs no allocation.
InvoiceMark invoice_mark(const ExpenseLine& line, std::string& scratch);

// Returns the marks of `lines`, in order (one per line, InvoiceMark() for those without a key).
std::vector<InvoiceMark> invoice_marks(const std::vector<ExpenseLine>& lines);

namespace invoice_key_detail {
// Returns the most bytes write_invoice_key writes for `line`.
std::size_t capacity(const ExpenseLine& line);
// Writes invoice_key(line) to `out` and returns its length (0: the line has no invoice key).
// REQUIRES: `out` has room for capacity(line) bytes.
std::size_t write(const ExpenseLine& line, char* out);
}  // namespace invoice_key_detail

}  // namespace cofin
