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

TEST_CASE("read_file returns every byte, empty and large files alike", "[job]") {
  const fs::path dir = fresh_dir("read-file");
  std::ofstream(dir / "empty");
  CHECK(read_file(dir / "empty").empty());
  std::string big;
  for (int i = 0; i < 300000; ++i) big += static_cast<char>(i * 7 % 256);
  std::ofstream(dir / "big", std::ios::binary) << big;
  CHECK(read_file(dir / "big") == big);
  CHECK_THROWS_AS(read_file(dir / "missing"), IoError);
}
