// The streamed file hash is the hash of the whole content, across block boundaries.
#include <catch2/catch.hpp>

#include <fstream>

#include "audit/sha256.h"
#include "support/process.h"

using namespace cofin;

TEST_CASE("sha256_file_hex hashes a file in blocks as sha256_hex hashes its bytes", "[audit]") {
  const std::filesystem::path dir = testing::fresh_dir("sha256-file");
  for (const std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{1} << 20,
                                 (std::size_t{1} << 20) + 1, std::size_t{3} * (1 << 20) + 12345}) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 131 + 7) % 251);
    const std::filesystem::path p = dir / ("f" + std::to_string(size));
    std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(size));
    INFO(size);
    CHECK(sha256_file_hex(p) == sha256_hex(bytes));
  }
  // The empty file's hash, as sha256sum prints it.
  CHECK(sha256_file_hex(dir / "f0") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK_THROWS_WITH(sha256_file_hex(dir / "missing"), Catch::Contains("missing"));
}
