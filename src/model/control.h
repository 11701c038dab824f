// A first-level control result for one partner report.
#pragma once

#include <string>
#include <vector>

#include "model/date.h"
#include "model/source.h"
#include "money/money.h"

namespace cofin {

struct LineDecision {
  int line = 0;
  bool parked = false;   // parked: certified 0, not deducted; may be re-included later
  Money deducted;        // in EUR; zero when parked
  std::string typology;  // error typology id from the rule set (required when deducted)
  std::string comment;
  SourcePos pos;
};

struct ControlResult {
  std::string id;  // the result's own id
  std::string project;
  int partner = 0;
  int report = 0;
  std::string controller;
  Date certified_on;
  std::string replaces;  // id of the result this one re-issues, or empty
  std::vector<LineDecision> decisions;
  SourcePos pos;
};

}  // namespace cofin
