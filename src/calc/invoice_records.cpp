#include "calc/invoice_records.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>

#include "model/line_codec.h"

namespace cofin {
namespace {

// Returns how many bytes `value` takes as LEB128.
std::size_t varint_size(std::uint64_t value) {
  std::size_t size = 1;
  for (; value >= 0x80; value >>= 7) ++size;
  return size;
}

// Zigzag without a signed shift: small magnitudes of either sign take few bytes.
std::uint64_t zigzag(std::int64_t value) {
  const auto bits = static_cast<std::uint64_t>(value);
  return (bits << 1) ^ (value < 0 ? ~std::uint64_t{0} : std::uint64_t{0});
}

std::int64_t unzigzag(std::uint64_t value) {
  return static_cast<std::int64_t>((value >> 1) ^ (~(value & 1) + 1));
}

// Reads what encode_invoice_records wrote, from a position that only moves forward; every read
// past the end or of a malformed value is CorruptSpill.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool done() const { return at_ == bytes_.size(); }
  std::size_t at() const { return at_; }

  std::uint64_t varint() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at_ == bytes_.size()) fail("a record is cut short");
      const auto byte = static_cast<unsigned char>(bytes_[at_++]);
      if (shift == 63 && byte > 1) fail("a number is too large");
      value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    fail("a number is too long");
  }
  std::int64_t signed_varint() { return unzigzag(varint()); }
  std::string text() {
    const std::uint64_t size = varint();
    if (size > bytes_.size() - at_) fail("a text is cut short");
    std::string out(bytes_.substr(at_, size));
    at_ += size;
    return out;
  }
  void skip(std::uint64_t size) {
    if (size > bytes_.size() - at_) fail("a record is cut short");
    at_ += size;
  }
  [[noreturn]] static void fail(const char* what) {
    throw CorruptSpill(std::string("spilled invoice records: ") + what);
  }

 private:
  std::string_view bytes_;
  std::size_t at_ = 0;
};

}  // namespace

void encode_invoice_record(const ExpenseLine& line, InvoiceMark mark, std::string& out) {
  if (!mark.has_key()) return;
  // This runs on every line a run parses: the record's size is summed first, and it is written
  // in place through a pointer, without a string call a byte.
  const std::uint64_t number = zigzag(line.line);
  const std::uint64_t declared = zigzag(line.declared.cents());
  const std::uint64_t total = line.invoice_total ? zigzag(line.invoice_total->cents()) : 0;
  auto text_size = [](const std::string& text) { return varint_size(text.size()) + text.size(); };
  const std::size_t body = varint_size(number) + varint_size(declared) + 1 +
                           (line.invoice_total ? varint_size(total) : 0) +
                           text_size(line.supplier_id) + text_size(line.invoice_no) +
                           text_size(line.currency);
  const std::size_t start = out.size();
  out.resize(start + varint_size(body) + body);
  char* at = out.data() + start;
  auto put = [&at](std::uint64_t value) {
    for (; value >= 0x80; value >>= 7) *at++ = static_cast<char>((value & 0x7F) | 0x80);
    *at++ = static_cast<char>(value);
  };
  auto put_text = [&](const std::string& text) {
    put(text.size());
    at = std::copy(text.begin(), text.end(), at);
  };
  put(body);
  put(number);
  put(declared);
  *at++ = line.invoice_total ? '\1' : '\0';
  if (line.invoice_total) put(total);
  put_text(line.supplier_id);
  put_text(line.invoice_no);
  put_text(line.currency);
  if (at != out.data() + out.size()) {
    throw std::logic_error("encode_invoice_record wrote another size than it summed");
  }
}

void encode_invoice_records(const std::vector<ExpenseLine>& lines,
                            const std::vector<InvoiceMark>& marks, std::string& out) {
  const std::size_t count = std::min(lines.size(), marks.size());
  for (std::size_t k = 0; k < count; ++k) encode_invoice_record(lines[k], marks[k], out);
}

std::vector<ExpenseLine> decode_invoice_records(std::string_view bytes,
                                                const std::vector<InvoiceMark>& marks,
                                                const std::function<bool(InvoiceMark)>& keep) {
  std::vector<ExpenseLine> out;
  Reader in(bytes);
  for (const InvoiceMark mark : marks) {
    if (!mark.has_key()) continue;
    const std::uint64_t size = in.varint();
    if (!keep(mark)) {
      in.skip(size);
      continue;
    }
    const std::size_t start = in.at();
    ExpenseLine& line = out.emplace_back();
    const std::int64_t number = in.signed_varint();
    if (number < std::numeric_limits<int>::min() || number > std::numeric_limits<int>::max()) {
      Reader::fail("a line number is out of range");
    }
    line.line = static_cast<int>(number);
    line.declared = Money::from_cents(in.signed_varint());
    const std::uint64_t has_total = in.varint();
    if (has_total > 1) Reader::fail("an invoice total flag is neither 0 nor 1");
    if (has_total == 1) line.invoice_total = Money::from_cents(in.signed_varint());
    line.supplier_id = in.text();
    line.invoice_no = in.text();
    line.currency = in.text();
    if (in.at() - start != size) Reader::fail("a record's length does not match its fields");
  }
  if (!in.done()) Reader::fail("bytes remain after the last record");
  return out;
}

}  // namespace cofin
