#pragma once

#include <string>

namespace cofin {

// Where a record starts in its input file (physical line, 1-based; column 0 = unknown).
struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;
};

}  // namespace cofin
