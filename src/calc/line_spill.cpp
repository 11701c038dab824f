#include "calc/line_spill.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "calc/invoice_records.h"
#include "model/line_codec.h"
#include "rules/invoice_key.h"

namespace cofin {
namespace {

constexpr std::size_t kMarkBytes = 8;
// The lines of a report LineSpiller makes room for at its first line.
constexpr std::size_t kFirstLines = 512;

// Appends `mark` to `out` as 8 bytes, little-endian. Read back by the same run only.
void encode_mark(InvoiceMark mark, std::string& out) {
  const std::uint64_t bits = mark.bits();
  char bytes[kMarkBytes];
  for (std::size_t b = 0; b < kMarkBytes; ++b) {
    bytes[b] = static_cast<char>((bits >> (8 * b)) & 0xFF);
  }
  out.append(bytes, kMarkBytes);
}

// Returns the `count` marks encode_mark wrote into `bytes`; throws CorruptSpill when `bytes`
// is not exactly that.
std::vector<InvoiceMark> decode_marks(std::string_view bytes, std::size_t count) {
  if (bytes.size() != count * kMarkBytes) {
    throw CorruptSpill("spilled invoice marks read back as " + std::to_string(bytes.size()) +
                       " bytes instead of " + std::to_string(count * kMarkBytes));
  }
  std::vector<InvoiceMark> marks;
  marks.reserve(count);
  for (std::size_t at = 0; at < bytes.size(); at += kMarkBytes) {
    std::uint64_t bits = 0;
    if constexpr (std::endian::native == std::endian::little) {
      // One load a mark: the duplicate check reads every line's mark three times, on one thread.
      std::memcpy(&bits, bytes.data() + at, kMarkBytes);
    } else {
      for (std::size_t b = 0; b < kMarkBytes; ++b) {
        bits |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[at + b])) << (8 * b);
      }
    }
    marks.push_back(InvoiceMark::from_bits(bits));
  }
  return marks;
}

// A report's lines in the spill, and beside them (separate extents) their invoice marks and the
// invoice records of the lines with a key: the duplicate check reads 8 bytes a line, then the
// records of the few lines it suspects, and never decodes the lines.
class LinesInSpill final : public SpilledLines {
 public:
  LinesInSpill(std::shared_ptr<Spill> spill, std::size_t count, SpillExtent lines,
               SpillExtent marks, SpillExtent records)
      : spill_(std::move(spill)), count_(count), lines_(lines), marks_(marks), records_(records) {}
  std::size_t count() const override { return count_; }
  std::vector<ExpenseLine> read() const override {
    std::vector<ExpenseLine> lines;
    read_into(lines);
    return lines;
  }
  void read_into(std::vector<ExpenseLine>& lines) const override {
    decode_lines_into(spill_->read(lines_).view(), lines);
    if (lines.size() != count_) {
      throw CorruptSpill("spilled lines read back as " + std::to_string(lines.size()) +
                         " instead of " + std::to_string(count_));
    }
  }
  std::vector<InvoiceMark> invoice_marks() const override {
    return decode_marks(spill_->read(marks_).view(), count_);
  }
  std::vector<ExpenseLine> invoice_lines(
      const std::function<bool(InvoiceMark)>& keep) const override {
    return decode_invoice_records(spill_->read(records_).view(), invoice_marks(), keep);
  }

 private:
  std::shared_ptr<Spill> spill_;
  std::size_t count_;
  SpillExtent lines_;
  SpillExtent marks_;
  SpillExtent records_;
};

}  // namespace

LineSpiller::LineSpiller() = default;
LineSpiller::~LineSpiller() = default;

void LineSpiller::add(const ExpenseLine& line) {
  if (count_ == 0) {
    // A report's first line: room for the marks and invoice records of a few hundred lines,
    // so that most reports never copy them as they grow.
    marks_.reserve(kFirstLines * kMarkBytes);
    records_.reserve(kFirstLines * 48);
  }
  // Marks and records are made here, on the parse worker, while the line is a parsed value.
  const InvoiceMark mark = invoice_mark(line, key_scratch_);
  encode_mark(mark, marks_);
  encode_invoice_record(line, mark, records_);
  lines_.add(line);
  ++count_;
}

std::shared_ptr<const SpilledLines> LineSpiller::finish(const std::shared_ptr<Spill>& file) {
  const SpillExtent marks_at = file->append(marks_);
  const SpillExtent records_at = file->append(records_);
  std::string lines;
  lines_.finish(lines);
  const SpillExtent lines_at = file->append(lines);
  const std::size_t count = count_;
  marks_.clear();
  records_.clear();
  count_ = 0;
  return std::make_shared<const LinesInSpill>(file, count, lines_at, marks_at, records_at);
}

std::shared_ptr<const SpilledLines> spill_lines(const std::shared_ptr<Spill>& file,
                                                PartnerReport& report) {
  LineSpiller spiller;
  for (const ExpenseLine& line : report.lines) spiller.add(line);
  std::vector<ExpenseLine>().swap(report.lines);
  return spiller.finish(file);
}

}  // namespace cofin
