#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "io/bytes.h"

using namespace cofin;

TEST_CASE("bytes hold what was written and give it up when moved", "[bytes]") {
  Bytes bytes = Bytes::uninitialized(5);
  REQUIRE(bytes.size() == 5);
  std::string("abcde").copy(bytes.data(), 5);
  CHECK(bytes.view() == "abcde");
  Bytes moved = std::move(bytes);
  CHECK(moved.view() == "abcde");
  CHECK(bytes.size() == 0);  // NOLINT(bugprone-use-after-move): a moved-from value is empty
  CHECK(bytes.view().empty());
  bytes = Bytes::copy_of("xyz");
  CHECK(bytes.view() == "xyz");
  moved = std::move(bytes);
  CHECK(moved.view() == "xyz");
  CHECK(Bytes::uninitialized(0).view().empty());
}

TEST_CASE("bytes resized keep what they had, and truncated keep their start", "[bytes]") {
  Bytes bytes = Bytes::copy_of("abc");
  bytes.resize_uninitialized(6);
  REQUIRE(bytes.size() == 6);
  std::string("def").copy(bytes.data() + 3, 3);
  CHECK(bytes.view() == "abcdef");
  bytes.resize_uninitialized(2);
  CHECK(bytes.view() == "ab");
  bytes.resize_uninitialized(4);
  CHECK(bytes.view().substr(0, 2) == "ab");
  bytes.truncate(1);
  CHECK(bytes.view() == "a");
  bytes.truncate(3);  // never grows
  CHECK(bytes.view() == "a");
}
