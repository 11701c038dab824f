#include "calc/finding_source.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "calc/outcome.h"

namespace cofin {

namespace {

void check_range(std::size_t begin, std::size_t end, std::size_t size) {
  if (begin > end || end > size) {
    throw std::out_of_range("finding range outside the run's findings");
  }
}

class HeldFindings final : public FindingSource {
 public:
  explicit HeldFindings(const std::vector<Diagnostic>& findings) : findings_(findings) {}

  std::size_t size() const override { return findings_.size(); }

  void visit(std::size_t begin, std::size_t end,
             const std::function<void(std::size_t, const Diagnostic&)>& visit) const override {
    check_range(begin, end, findings_.size());
    for (std::size_t i = begin; i < end; ++i) visit(i, findings_[i]);
  }

  Money amount(std::size_t begin, std::size_t end) const override {
    check_range(begin, end, findings_.size());
    Money sum;
    for (std::size_t i = begin; i < end; ++i) {
      if (findings_[i].amount) sum += *findings_[i].amount;
    }
    return sum;
  }

 private:
  const std::vector<Diagnostic>& findings_;
};

// Ranges of other sources, one after the other, indexed from 0.
class JoinedRanges final : public FindingSource {
 public:
  struct Part {
    std::shared_ptr<const FindingSource> source;
    FindingRange range;
  };

  explicit JoinedRanges(std::vector<Part> parts) {
    for (Part& part : parts) {
      check_range(part.range.begin, part.range.end, part.source->size());
      // Empty parts would share their start with the next one and confuse the search.
      if (part.range.begin == part.range.end) continue;
      starts_.push_back(size_);
      size_ += part.range.end - part.range.begin;
      parts_.push_back(std::move(part));
    }
  }

  std::size_t size() const override { return size_; }

  void visit(std::size_t begin, std::size_t end,
             const std::function<void(std::size_t, const Diagnostic&)>& visit) const override {
    check_range(begin, end, size_);
    each_piece(begin, end,
               [&](const Part& part, std::size_t start, std::size_t from, std::size_t to) {
                 part.source->visit(from, to, [&](std::size_t i, const Diagnostic& d) {
                   visit(start + (i - part.range.begin), d);
                 });
               });
  }

  Money amount(std::size_t begin, std::size_t end) const override {
    check_range(begin, end, size_);
    Money sum;
    each_piece(begin, end, [&](const Part& part, std::size_t, std::size_t from, std::size_t to) {
      sum += part.source->amount(from, to);
    });
    return sum;
  }

 private:
  // Calls `piece(part, start, from, to)` for each part overlapping [begin, end), in order:
  // `start` is the part's first index here, [from, to) the overlap in the part's source.
  template <typename Piece>
  void each_piece(std::size_t begin, std::size_t end, Piece piece) const {
    if (begin == end) return;
    // The part holding `begin`: the last one starting at or before it (parts are not empty).
    std::size_t k = static_cast<std::size_t>(
                        std::upper_bound(starts_.begin(), starts_.end(), begin) - starts_.begin()) -
                    1;
    for (; k < parts_.size() && starts_[k] < end; ++k) {
      const Part& part = parts_[k];
      const std::size_t length = part.range.end - part.range.begin;
      const std::size_t from = std::max(begin, starts_[k]) - starts_[k];
      const std::size_t to = std::min(end, starts_[k] + length) - starts_[k];
      piece(part, starts_[k], part.range.begin + from, part.range.begin + to);
    }
  }

  std::vector<Part> parts_;
  std::vector<std::size_t> starts_;  // index here of each part's first finding, ascending
  std::size_t size_ = 0;
};

}  // namespace

std::shared_ptr<const FindingSource> held_findings(const std::vector<Diagnostic>& findings) {
  return std::make_shared<HeldFindings>(findings);
}

std::shared_ptr<const FindingSource> finding_ranges(std::shared_ptr<const FindingSource> source,
                                                    const std::vector<FindingRange>& ranges) {
  std::vector<JoinedRanges::Part> parts;
  parts.reserve(ranges.size());
  for (const FindingRange& r : ranges) parts.push_back({source, r});
  return std::make_shared<JoinedRanges>(std::move(parts));
}

std::shared_ptr<const FindingSource> joined_findings(std::shared_ptr<const FindingSource> first,
                                                     std::shared_ptr<const FindingSource> second) {
  std::vector<JoinedRanges::Part> parts;
  const std::size_t first_size = first->size();
  const std::size_t second_size = second->size();
  parts.push_back({std::move(first), {0, first_size}});
  parts.push_back({std::move(second), {0, second_size}});
  return std::make_shared<JoinedRanges>(std::move(parts));
}

std::shared_ptr<const FindingSource> findings_of(const RunOutcome& outcome) {
  if (!outcome.finding_source) return held_findings(outcome.findings);
  if (outcome.findings.empty()) return outcome.finding_source;
  return joined_findings(outcome.finding_source, held_findings(outcome.findings));
}

std::size_t finding_count(const RunOutcome& outcome) {
  return (outcome.finding_source ? outcome.finding_source->size() : 0) + outcome.findings.size();
}

}  // namespace cofin
