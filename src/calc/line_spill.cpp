#include "calc/line_spill.h"

#include <string>
#include <utility>
#include <vector>

#include "model/line_codec.h"

namespace cofin {
namespace {

class FileLines final : public SpilledLines {
 public:
  FileLines(std::shared_ptr<Spill> file, SpillExtent extent, std::size_t count)
      : file_(std::move(file)), extent_(extent), count_(count) {}

  std::size_t count() const override { return count_; }

  std::vector<ExpenseLine> read() const override {
    std::vector<ExpenseLine> lines = decode_lines(file_->read(extent_));
    if (lines.size() != count_) {
      throw CorruptSpill("spilled lines read back as " + std::to_string(lines.size()) +
                         " instead of " + std::to_string(count_));
    }
    return lines;
  }

 private:
  std::shared_ptr<Spill> file_;
  SpillExtent extent_;
  std::size_t count_;
};

}  // namespace

std::shared_ptr<const SpilledLines> spill_lines(const std::shared_ptr<Spill>& file,
                                                PartnerReport& report) {
  std::string bytes;
  encode_lines(report.lines, bytes);
  const SpillExtent extent = file->append(bytes);
  auto spilled = std::make_shared<const FileLines>(file, extent, report.lines.size());
  std::vector<ExpenseLine>().swap(report.lines);
  return spilled;
}

}  // namespace cofin
