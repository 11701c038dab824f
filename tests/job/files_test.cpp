// File moves never replace a file that is already there.
#include <catch2/catch.hpp>

#include <fstream>

#include "job/errors.h"
#include "job/files.h"
#include "support/process.h"

using namespace cofin;
using namespace cofin::testing;
namespace fs = std::filesystem;

TEST_CASE("move_file moves, and refuses to replace an existing file", "[job]") {
  const fs::path dir = fresh_dir("move-file");
  std::ofstream(dir / "a") << "first";
  std::ofstream(dir / "b") << "second";
  CHECK_THROWS_AS(move_file(dir / "a", dir / "b"), IoError);
  CHECK(slurp(dir / "a") == "first");  // both still where they were
  CHECK(slurp(dir / "b") == "second");
  move_file(dir / "a", dir / "c");
  CHECK_FALSE(fs::exists(dir / "a"));
  CHECK(slurp(dir / "c") == "first");
}
