// The run-local spill file (job/spill_file.h): appended blobs read back exactly from any
// thread, the file has no name in its directory, damage is detected by the checksum.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "job/checksum64.h"
#include "job/errors.h"
#include "job/spill_file.h"
#include "model/line_codec.h"
#include "support/process.h"

using namespace cofin;
using cofin::testing::fresh_dir;

namespace {

std::string blob(std::size_t size, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s(size, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

bool directory_empty(const std::filesystem::path& dir) {
  return std::filesystem::directory_iterator(dir) == std::filesystem::directory_iterator();
}

}  // namespace

TEST_CASE("checksum64 is xxHash64 with seed 0", "[spill]") {
  // Reference values from the system's libxxhash 0.8.1 (XXH64(data, size, 0)).
  CHECK(checksum64("") == 0xEF46DB3751D8E999ULL);
  CHECK(checksum64("a") == 0xD24EC4F1A98C6E5BULL);
  CHECK(checksum64("abc") == 0x44BC2CF5AD770999ULL);
  CHECK(checksum64("spill") == 0x002E5D461E03E0F5ULL);
  CHECK(checksum64("0123456789abcdefghijklmnopqrstuvwxyz") == 0x69196C1B3AF0BFF9ULL);
  std::string bytes(1000, '\0');
  for (std::size_t k = 0; k < bytes.size(); ++k) bytes[k] = static_cast<char>(k * 7);
  CHECK(checksum64(bytes) == 0x25275608A9CFC168ULL);
}

TEST_CASE("checksum64 sees every single flipped bit", "[spill]") {
  const std::string bytes = blob(77, 3);
  const std::uint64_t want = checksum64(bytes);
  for (std::size_t k = 0; k < bytes.size(); ++k) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string damaged = bytes;
      damaged[k] = static_cast<char>(damaged[k] ^ (1 << bit));
      REQUIRE(checksum64(damaged) != want);
    }
  }
}

TEST_CASE("spilled blobs of every size read back exactly, in any order", "[spill]") {
  const auto dir = fresh_dir("spill-roundtrip");
  SpillFile spill(dir);
  CHECK(spill.size() == 0);
  const std::vector<std::size_t> sizes = {0, 1, 7, 8, 31, 32, 33, 0, 4096, 100'000, 3, 1'000'000};
  std::vector<std::string> blobs;
  std::vector<SpillExtent> extents;
  std::uint64_t total = 0;
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    blobs.push_back(blob(sizes[k], k));
    extents.push_back(spill.append(blobs.back()));
    CHECK(extents.back().offset == total);
    CHECK(extents.back().size == sizes[k]);
    total += sizes[k];
    CHECK(spill.size() == total);
  }
  for (std::size_t k = sizes.size(); k-- > 0;) REQUIRE(spill.read(extents[k]).view() == blobs[k]);
  for (std::size_t k = 0; k < sizes.size(); ++k) REQUIRE(spill.read(extents[k]).view() == blobs[k]);
  std::filesystem::remove_all(dir);
}

TEST_CASE("two threads append and read the spill at once", "[spill]") {
  const auto dir = fresh_dir("spill-threads");
  SpillFile spill(dir);
  constexpr int kBlobsPerThread = 400;
  std::atomic<int> mismatches{0};
  std::vector<std::vector<std::pair<std::string, SpillExtent>>> written(2);
  auto work = [&](int thread) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(thread) + 100);
    for (int k = 0; k < kBlobsPerThread; ++k) {
      std::string bytes = blob(rng() % 5000, static_cast<std::uint64_t>(thread * 100000 + k));
      const SpillExtent extent = spill.append(bytes);
      if (spill.read(extent).view() != bytes) ++mismatches;
      // Re-read an earlier blob of this thread while the other keeps appending.
      if (!written[thread].empty()) {
        const auto& [old_bytes, old_extent] = written[thread][rng() % written[thread].size()];
        if (spill.read(old_extent).view() != old_bytes) ++mismatches;
      }
      written[thread].emplace_back(std::move(bytes), extent);
    }
  };
  std::thread a(work, 0);
  std::thread b(work, 1);
  a.join();
  b.join();
  CHECK(mismatches == 0);
  std::uint64_t total = 0;
  for (const auto& list : written) {
    for (const auto& [bytes, extent] : list) {
      total += bytes.size();
      REQUIRE(spill.read(extent).view() == bytes);
    }
  }
  CHECK(spill.size() == total);
  std::filesystem::remove_all(dir);
}

TEST_CASE("the spill file has no name in its directory", "[spill]") {
  const auto dir = fresh_dir("spill-anonymous");
  {
    SpillFile spill(dir);
    CHECK(directory_empty(dir));
    spill.append(blob(10'000, 1));
    CHECK(directory_empty(dir));
    // The descriptor is a real, open file holding the bytes.
    CHECK(::lseek(spill.native_handle(), 0, SEEK_END) == 10'000);
  }
  CHECK(directory_empty(dir));
  std::filesystem::remove_all(dir);
}

TEST_CASE("a damaged spill byte makes the read throw", "[spill]") {
  const auto dir = fresh_dir("spill-damage");
  SpillFile spill(dir);
  const std::string first = blob(500, 1), second = blob(500, 2);
  const SpillExtent a = spill.append(first);
  const SpillExtent b = spill.append(second);
  // Flip one byte in the middle of the second blob, behind the SpillFile's back.
  char byte = 0;
  const off_t at = static_cast<off_t>(b.offset + 250);
  REQUIRE(::pread(spill.native_handle(), &byte, 1, at) == 1);
  byte = static_cast<char>(byte ^ 0x10);
  REQUIRE(::pwrite(spill.native_handle(), &byte, 1, at) == 1);
  CHECK_THROWS_AS(spill.read(b), CorruptSpill);
  CHECK(spill.read(a).view() == first);
  // An extent whose checksum was not the one appended is refused too.
  SpillExtent wrong = a;
  wrong.checksum ^= 1;
  CHECK_THROWS_AS(spill.read(wrong), CorruptSpill);
  std::filesystem::remove_all(dir);
}

TEST_CASE("an extent beyond the appended bytes is refused", "[spill]") {
  const auto dir = fresh_dir("spill-beyond");
  SpillFile spill(dir);
  const SpillExtent a = spill.append("abcdef");
  CHECK_THROWS_AS(spill.read({a.offset + 1, a.size, a.checksum}), CorruptSpill);
  CHECK_THROWS_AS(spill.read({UINT64_MAX, 2, a.checksum}), CorruptSpill);
  CHECK(spill.read(a).view() == "abcdef");
  std::filesystem::remove_all(dir);
}

TEST_CASE("a spill in a missing directory throws IoError naming it", "[spill]") {
  const auto dir = fresh_dir("spill-missing") / "no" / "such" / "dir";
  try {
    SpillFile spill(dir);
    FAIL("no exception");
  } catch (const IoError& e) {
    CHECK(std::string(e.what()).find(dir.string()) != std::string::npos);
  }
  std::filesystem::remove_all(dir.parent_path().parent_path().parent_path());
}
