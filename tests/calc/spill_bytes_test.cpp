#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "calc/spill.h"

using namespace cofin;

TEST_CASE("spill bytes hold what was written and give it up when moved", "[spill]") {
  SpillBytes bytes = SpillBytes::uninitialized(5);
  REQUIRE(bytes.size() == 5);
  std::string("abcde").copy(bytes.data(), 5);
  CHECK(bytes.view() == "abcde");
  SpillBytes moved = std::move(bytes);
  CHECK(moved.view() == "abcde");
  CHECK(bytes.size() == 0);  // NOLINT(bugprone-use-after-move): a moved-from value is empty
  CHECK(bytes.view().empty());
  bytes = SpillBytes::copy_of("xyz");
  CHECK(bytes.view() == "xyz");
  moved = std::move(bytes);
  CHECK(moved.view() == "xyz");
  CHECK(SpillBytes::uninitialized(0).view().empty());
}
