// A control result's decisions in the run's spill file (calc/control_spill.h): the accepted
// result keeps its header, with_decisions() brings back exactly what was spilled, and a damaged
// file stops the read instead of computing with other decisions.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "calc/control_spill.h"
#include "job/job_context.h"
#include "job/spill_file.h"
#include "job/state.h"
#include "model/line_codec.h"
#include "support/builders.h"
#include "support/process.h"

using namespace cofin;
using namespace cofin::testing;

namespace {

ControlResult control_of(int decisions) {
  ControlResult c;
  c.id = "CTL-1";
  c.project = "CB0100123";
  c.partner = 2;
  c.report = 3;
  c.controller = "Kontrolieris";
  c.certified_on = day("2024-09-01");
  c.replaces = "CTL-0";
  c.pos = {"inbox/ctl.xml", 2, 1};
  for (int n = 1; n <= decisions; ++n) {
    LineDecision d;
    d.line = n * 2;
    d.parked = n % 5 == 0;
    d.deducted = d.parked ? eur(0) : eur(1000 + n);
    d.typology = d.parked ? "" : "ineligible-cost";
    d.comment = "line " + std::to_string(n);
    d.pos = {"inbox/ctl.xml", 10 + n, 5};
    c.decisions.push_back(d);
  }
  return c;
}

bool same_decisions(const std::vector<LineDecision>& a, const std::vector<LineDecision>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (a[k].line != b[k].line || a[k].parked != b[k].parked ||
        a[k].deducted.cents() != b[k].deducted.cents() || a[k].typology != b[k].typology ||
        a[k].comment != b[k].comment || a[k].pos.file != b[k].pos.file ||
        a[k].pos.line != b[k].pos.line || a[k].pos.column != b[k].pos.column) {
      return false;
    }
  }
  return true;
}

}  // namespace

TEST_CASE("a control's spilled decisions come back with its header", "[spill][control]") {
  const auto dir = fresh_dir("control-spill");
  const auto spill = std::make_shared<SpillFile>(dir);
  for (const int count : {0, 1, 250}) {
    INFO(count << " decisions");
    const ControlResult original = control_of(count);
    auto header = std::make_shared<ControlResult>(original);
    const std::shared_ptr<const SpilledDecisions> spilled = spill_decisions(spill, *header);
    CHECK(header->decisions.empty());
    CHECK(header->decisions.capacity() == 0);  // the memory is given back, not only cleared
    CHECK(spilled->count() == original.decisions.size());
    const AcceptedControl accepted{header, "ctl.xml", spilled};
    CHECK(accepted.decision_count() == original.decisions.size());
    const std::shared_ptr<const ControlResult> full = accepted.with_decisions();
    CHECK(same_decisions(full->decisions, original.decisions));
    CHECK(full->id == original.id);
    CHECK(full->replaces == original.replaces);
    CHECK(full->controller == original.controller);
    CHECK(full->certified_on == original.certified_on);
    CHECK(accepted.control->decisions.empty());  // read back into a copy, the header kept
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("a control whose decisions are held is returned as it is", "[control]") {
  const auto held = std::make_shared<const ControlResult>(control_of(3));
  const AcceptedControl accepted{held, "ctl.xml", nullptr};
  CHECK(accepted.decision_count() == 3);
  CHECK(accepted.with_decisions() == held);  // shared, not copied
}

TEST_CASE("damaged spilled decisions stop the read", "[spill][control]") {
  const auto dir = fresh_dir("control-spill-damage");
  const auto spill = std::make_shared<SpillFile>(dir);
  ControlResult control = control_of(40);
  const std::shared_ptr<const SpilledDecisions> spilled = spill_decisions(spill, control);
  REQUIRE(spilled->read().size() == 40);
  // Flip a byte behind the SpillFile's back: the checksum tells.
  char byte = 0;
  const off_t at = static_cast<off_t>(spill->size() / 2);
  REQUIRE(::pread(spill->native_handle(), &byte, 1, at) == 1);
  byte = static_cast<char>(byte ^ 0x01);
  REQUIRE(::pwrite(spill->native_handle(), &byte, 1, at) == 1);
  CHECK_THROWS_AS(spilled->read(), CorruptSpill);
  const AcceptedControl accepted{std::make_shared<const ControlResult>(control), "c.xml", spilled};
  CHECK_THROWS_AS(accepted.with_decisions(), CorruptSpill);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a control spilled by its parse worker is absorbed without writing it again",
          "[spill][control]") {
  const auto dir = fresh_dir("control-absorb");
  const auto spill = std::make_shared<SpillFile>(dir);
  const JobContext ctx;
  AcceptedState state(ctx, day("2024-12-31"), spill);
  const ControlResult original = control_of(40);
  ControlResult parsed = original;
  const std::shared_ptr<const SpilledDecisions> spilled = spill_decisions(spill, parsed);
  // Read back to be validated, as the inbox does; re-read archived results are not.
  parsed.decisions = spilled->read();
  const std::uint64_t spilled_bytes = spill->size();
  state.absorb_control(std::move(parsed), "ctl.xml", spilled);
  CHECK(spill->size() == spilled_bytes);  // nothing appended: the parse worker's extent serves
  const AcceptedControl* accepted = state.portfolio().control_in_force({"CB0100123", 2, 3});
  REQUIRE(accepted != nullptr);
  CHECK(accepted->spilled == spilled);
  CHECK(accepted->control->decisions.empty());
  CHECK(accepted->control->decisions.capacity() == 0);
  CHECK(same_decisions(accepted->with_decisions()->decisions, original.decisions));

  // Without an extent, absorbing spills the decisions itself.
  ControlResult held = control_of(5);
  held.id = "CTL-2";
  held.report = 4;
  state.absorb_control(std::move(held), "ctl2.xml", nullptr);
  CHECK(spill->size() > spilled_bytes);
  const AcceptedControl* second = state.portfolio().control_in_force({"CB0100123", 2, 4});
  REQUIRE(second != nullptr);
  CHECK(second->spilled != nullptr);
  CHECK(second->control->decisions.empty());
  CHECK(second->with_decisions()->decisions.size() == 5);
  std::filesystem::remove_all(dir);
}
