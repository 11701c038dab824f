#include "calc/line_source.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "calc/outcome.h"

namespace cofin {

namespace {

// Returns the index of the line numbered `line_no` among `lines` [begin, end), usually sorted by
// line number; a linear scan keeps the answer right when they are not.
template <typename Lines>
std::optional<std::size_t> find_in(const Lines& lines, std::size_t begin, std::size_t end,
                                   int line_no, int (*number)(const typename Lines::value_type&)) {
  if (line_no <= 0) return std::nullopt;
  const auto b = lines.begin() + static_cast<std::ptrdiff_t>(begin);
  const auto e = lines.begin() + static_cast<std::ptrdiff_t>(end);
  auto hit =
      std::lower_bound(b, e, line_no, [number](const auto& l, int n) { return number(l) < n; });
  if (hit == e || number(*hit) != line_no) {
    hit = std::find_if(b, e, [&](const auto& l) { return number(l) == line_no; });
  }
  if (hit == e) return std::nullopt;
  return static_cast<std::size_t>(hit - lines.begin());
}

void check_range(std::size_t begin, std::size_t end, std::size_t size) {
  if (begin > end || end > size) throw std::out_of_range("line range outside the run's lines");
}

class HeldLines final : public LineSource {
 public:
  explicit HeldLines(const std::vector<LineOutcome>& lines) : lines_(lines) {}

  std::size_t size() const override { return lines_.size(); }

  void visit(std::size_t begin, std::size_t end,
             const std::function<void(std::size_t, const LineOutcome&)>& visit) const override {
    check_range(begin, end, lines_.size());
    for (std::size_t i = begin; i < end; ++i) visit(i, lines_[i]);
  }

  LineAmounts amounts(std::size_t begin, std::size_t end) const override {
    check_range(begin, end, lines_.size());
    LineAmounts sum;
    for (std::size_t i = begin; i < end; ++i) sum.add(lines_[i]);
    return sum;
  }

  std::optional<std::size_t> find(std::size_t begin, std::size_t end, int line_no) const override {
    check_range(begin, end, lines_.size());
    return find_in(
        lines_, begin, end, line_no, +[](const LineOutcome& l) { return l.line.line; });
  }

 private:
  const std::vector<LineOutcome>& lines_;
};

class LineRange final : public LineSource {
 public:
  LineRange(std::shared_ptr<const LineSource> source, std::size_t offset, std::size_t count)
      : source_(std::move(source)), offset_(offset), count_(count) {
    check_range(offset, offset + count, source_->size());
  }

  std::size_t size() const override { return count_; }

  void visit(std::size_t begin, std::size_t end,
             const std::function<void(std::size_t, const LineOutcome&)>& visit) const override {
    check_range(begin, end, count_);
    source_->visit(offset_ + begin, offset_ + end,
                   [&](std::size_t i, const LineOutcome& l) { visit(i - offset_, l); });
  }

  LineAmounts amounts(std::size_t begin, std::size_t end) const override {
    check_range(begin, end, count_);
    return source_->amounts(offset_ + begin, offset_ + end);
  }

  std::optional<std::size_t> find(std::size_t begin, std::size_t end, int line_no) const override {
    check_range(begin, end, count_);
    const auto hit = source_->find(offset_ + begin, offset_ + end, line_no);
    if (!hit) return std::nullopt;
    return *hit - offset_;
  }

 private:
  std::shared_ptr<const LineSource> source_;
  std::size_t offset_;
  std::size_t count_;
};

}  // namespace

void LineAmounts::add(const LineOutcome& line) {
  eur += line.eur;
  ineligible += line.ineligible;
  deducted += line.deducted;
  parked += line.parked_eur;
  certified += line.certified;
}

void LineAmounts::add(const LineAmounts& other) {
  eur += other.eur;
  ineligible += other.ineligible;
  deducted += other.deducted;
  parked += other.parked;
  certified += other.certified;
}

std::shared_ptr<const LineSource> held_lines(const std::vector<LineOutcome>& lines) {
  return std::make_shared<HeldLines>(lines);
}

std::shared_ptr<const LineSource> line_range(std::shared_ptr<const LineSource> source,
                                             std::size_t offset, std::size_t count) {
  return std::make_shared<LineRange>(std::move(source), offset, count);
}

std::shared_ptr<const LineSource> lines_of(const RunOutcome& outcome) {
  return outcome.line_source ? outcome.line_source : held_lines(outcome.lines);
}

std::size_t line_count(const RunOutcome& outcome) {
  return outcome.line_source ? outcome.line_source->size() : outcome.lines.size();
}

}  // namespace cofin
