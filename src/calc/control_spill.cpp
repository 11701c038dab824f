#include "calc/control_spill.h"

#include <string>
#include <utility>
#include <vector>

#include "model/line_codec.h"

namespace cofin {
namespace {

class FileDecisions final : public SpilledDecisions {
 public:
  FileDecisions(std::shared_ptr<Spill> file, SpillExtent extent, std::size_t count)
      : file_(std::move(file)), extent_(extent), count_(count) {}

  std::size_t count() const override { return count_; }

  std::vector<LineDecision> read() const override {
    std::vector<LineDecision> decisions = decode_decisions(file_->read(extent_));
    if (decisions.size() != count_) {
      throw CorruptSpill("spilled decisions read back as " + std::to_string(decisions.size()) +
                         " instead of " + std::to_string(count_));
    }
    return decisions;
  }

 private:
  std::shared_ptr<Spill> file_;
  SpillExtent extent_;
  std::size_t count_;
};

}  // namespace

std::shared_ptr<const SpilledDecisions> spill_decisions(const std::shared_ptr<Spill>& file,
                                                        ControlResult& control) {
  std::string bytes;
  encode_decisions(control.decisions, bytes);
  const SpillExtent extent = file->append(bytes);
  auto spilled = std::make_shared<const FileDecisions>(file, extent, control.decisions.size());
  std::vector<LineDecision>().swap(control.decisions);
  return spilled;
}

}  // namespace cofin
