// Findings read through a source (calc/finding_source.h): held, as views of ranges, and a run's
// source followed by its held rejections (findings_of).
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "calc/finding_source.h"
#include "calc/outcome.h"

using namespace cofin;

namespace {

Diagnostic finding(const std::string& rule_id, std::optional<std::int64_t> cents) {
  Diagnostic d;
  d.rule_id = rule_id;
  d.file = "r.xml";
  if (cents) d.amount = Money::from_cents(*cents);
  return d;
}

// F0 … F(n-1), finding i affecting i × 100 + 1 cents; every third has no amount.
std::vector<Diagnostic> numbered(std::size_t n) {
  std::vector<Diagnostic> out;
  for (std::size_t i = 0; i < n; ++i) {
    const auto cents = static_cast<std::int64_t>(i) * 100 + 1;
    out.push_back(
        finding("F" + std::to_string(i), i % 3 == 2 ? std::nullopt : std::optional(cents)));
  }
  return out;
}

// Returns "index:rule_id" of every finding `source` visits in [begin, end).
std::vector<std::string> seen(const FindingSource& source, std::size_t begin, std::size_t end) {
  std::vector<std::string> out;
  source.visit(begin, end, [&](std::size_t i, const Diagnostic& d) {
    out.push_back(std::to_string(i) + ":" + d.rule_id);
  });
  return out;
}

// A source that records the ranges it is asked to sum, and never lets itself be visited for a sum.
class RecordingSource final : public FindingSource {
 public:
  explicit RecordingSource(std::vector<Diagnostic> findings) : findings_(std::move(findings)) {}
  std::size_t size() const override { return findings_.size(); }
  void visit(std::size_t begin, std::size_t end,
             const std::function<void(std::size_t, const Diagnostic&)>& visit) const override {
    visited.push_back({begin, end});
    for (std::size_t i = begin; i < end; ++i) visit(i, findings_[i]);
  }
  Money amount(std::size_t begin, std::size_t end) const override {
    summed.push_back({begin, end});
    return Money::from_cents(1000 * static_cast<std::int64_t>(end - begin));
  }
  mutable std::vector<FindingRange> visited;
  mutable std::vector<FindingRange> summed;

 private:
  std::vector<Diagnostic> findings_;
};

}  // namespace

TEST_CASE("a held finding source visits a range in order and sums its amounts",
          "[findings-source]") {
  const std::vector<Diagnostic> findings = numbered(6);
  const auto source = held_findings(findings);
  CHECK(source->size() == 6);
  CHECK(seen(*source, 1, 4) == std::vector<std::string>{"1:F1", "2:F2", "3:F3"});
  CHECK(seen(*source, 3, 3).empty());
  // 101 + (F2 has none) + 301 + 401.
  CHECK(source->amount(1, 5).cents() == 803);
  CHECK(source->amount(0, 6).cents() == 1 + 101 + 301 + 401);
  CHECK(source->amount(2, 3).cents() == 0);
  CHECK_THROWS_AS(source->amount(4, 7), std::out_of_range);
  CHECK_THROWS_AS(seen(*source, 4, 3), std::out_of_range);
}

TEST_CASE("a view of finding ranges shows them one after the other, indexed from 0",
          "[findings-source]") {
  const std::vector<Diagnostic> findings = numbered(10);
  const auto view = finding_ranges(held_findings(findings), {{1, 3}, {4, 4}, {5, 6}, {6, 9}});
  REQUIRE(view->size() == 6);
  CHECK(seen(*view, 0, 6) ==
        std::vector<std::string>{"0:F1", "1:F2", "2:F5", "3:F6", "4:F7", "5:F8"});
  // A range of the view across its parts, starting and ending inside them.
  CHECK(seen(*view, 1, 4) == std::vector<std::string>{"1:F2", "2:F5", "3:F6"});
  CHECK(seen(*view, 2, 3) == std::vector<std::string>{"2:F5"});
  CHECK(view->amount(0, 6).cents() == 101 + 601 + 701);  // F2, F5 and F8 have none
  CHECK(view->amount(1, 4).cents() == 601);
  CHECK_THROWS_AS(view->amount(0, 7), std::out_of_range);
  CHECK_THROWS_AS(finding_ranges(held_findings(findings), {{8, 11}}), std::out_of_range);
  CHECK(finding_ranges(held_findings(findings), {})->size() == 0);
}

TEST_CASE("a view of finding ranges passes whole ranges on to its source", "[findings-source]") {
  auto recording = std::make_shared<RecordingSource>(numbered(100));
  const auto view = finding_ranges(recording, {{10, 40}, {60, 90}});
  // The first Findings page's total of a project: two sums, not sixty findings read.
  CHECK(view->amount(0, view->size()).cents() == 60 * 1000);
  CHECK(recording->summed == std::vector<FindingRange>{{10, 40}, {60, 90}});
  CHECK(recording->visited.empty());
  // A page from the middle of the first range into the second: one read per range.
  CHECK(seen(*view, 25, 35).size() == 10);
  CHECK(recording->visited == std::vector<FindingRange>{{35, 40}, {60, 65}});
}

TEST_CASE("a run's findings are its source's, then its held ones", "[findings-source]") {
  RunOutcome outcome;
  outcome.findings = {finding("REJ-1", 7), finding("REJ-2", std::nullopt)};
  // No source: the held findings, all of them.
  CHECK(finding_count(outcome) == 2);
  CHECK(seen(*findings_of(outcome), 0, 2) == std::vector<std::string>{"0:REJ-1", "1:REJ-2"});

  const std::vector<Diagnostic> computed = numbered(3);
  outcome.finding_source = held_findings(computed);
  CHECK(finding_count(outcome) == 5);
  const auto all = findings_of(outcome);
  REQUIRE(all->size() == 5);
  CHECK(seen(*all, 0, 5) == std::vector<std::string>{"0:F0", "1:F1", "2:F2", "3:REJ-1", "4:REJ-2"});
  CHECK(seen(*all, 2, 4) == std::vector<std::string>{"2:F2", "3:REJ-1"});
  CHECK(all->amount(0, 5).cents() == 1 + 101 + 7);

  // A source and nothing held: the source itself.
  outcome.findings.clear();
  CHECK(findings_of(outcome) == outcome.finding_source);
  CHECK(finding_count(outcome) == 3);
}
