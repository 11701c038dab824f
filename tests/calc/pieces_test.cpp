#include "calc/pieces.h"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <vector>

using cofin::Pieces;

namespace {

std::vector<int> read_in_order(const Pieces<int>& pieces) {
  std::vector<int> out;
  for (const int v : pieces) out.push_back(v);
  return out;
}

}  // namespace

TEST_CASE("Pieces reads its pieces as one sequence, empty pieces adding nothing", "[calc]") {
  Pieces<int> pieces;
  CHECK(pieces.empty());
  CHECK(pieces.begin() == pieces.end());
  pieces.append({});
  pieces.append({1, 2, 3});
  pieces.append({});
  pieces.append({4});
  pieces.append({5, 6});
  REQUIRE(pieces.size() == 6);
  CHECK_FALSE(pieces.empty());
  CHECK(read_in_order(pieces) == std::vector<int>{1, 2, 3, 4, 5, 6});
  // Indexing crosses piece boundaries: the first and last element of every piece.
  for (std::size_t i = 0; i < pieces.size(); ++i) CHECK(pieces[i] == static_cast<int>(i) + 1);
  CHECK(pieces.at(5) == 6);
  CHECK_THROWS_AS(pieces.at(6), std::out_of_range);
}

TEST_CASE("Pieces::push_back appends to the last piece, also before any piece", "[calc]") {
  Pieces<int> pieces;
  pieces.push_back(1);
  pieces.push_back(2);
  pieces.append({3});
  pieces.push_back(4);
  REQUIRE(pieces.size() == 4);
  CHECK(read_in_order(pieces) == std::vector<int>{1, 2, 3, 4});
  CHECK(pieces[1] == 2);
  CHECK(pieces[2] == 3);
  CHECK(pieces[3] == 4);
  const Pieces<int> listed{7, 8};
  CHECK(read_in_order(listed) == std::vector<int>{7, 8});
}

TEST_CASE("Pieces keeps a piece's elements where they are", "[calc]") {
  std::vector<int> piece{10, 20, 30};
  piece.reserve(100);
  const int* first = nullptr;
  Pieces<int> pieces;
  {
    std::vector<int> exact{1, 2};
    first = exact.data();
    pieces.append(std::move(exact));
  }
  // The vector itself is kept (no copy): its storage is the element's address.
  CHECK(&pieces[0] == first);
  pieces.append(std::move(piece));
  CHECK(pieces[4] == 30);
}
