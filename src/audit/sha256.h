// SHA-256 of bytes (OpenSSL libcrypto), for document identity and the audit trail.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <string_view>

namespace cofin {

using Digest = std::array<unsigned char, 32>;

// Returns the SHA-256 digest of `bytes`.
Digest sha256(std::string_view bytes);
// Returns the lower-case hex form of `digest` (64 characters).
std::string to_hex(const Digest& digest);
// Returns to_hex(sha256(bytes)).
std::string sha256_hex(std::string_view bytes);

// SHA-256 over bytes given piece by piece, for what is too large to hold at once.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  // Adds `bytes` to what is hashed.
  void update(std::string_view bytes);
  // Returns the digest of everything added. REQUIRES: called once, last.
  Digest finish();

 private:
  struct Context;
  Context* context_;
};

// Returns the hex SHA-256 of the file at `path`, read in blocks: a workbook of a million lines
// is 150 MB, which reading whole would add to the run's peak memory. Throws std::runtime_error
// naming the file when it cannot be read.
std::string sha256_file_hex(const std::filesystem::path& path);

}  // namespace cofin
