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

// Returns the hex SHA-256 of the file at `path`, read in blocks: a workbook of a million lines
// is 150 MB, which reading whole would add to the run's peak memory. Throws std::runtime_error
// naming the file when it cannot be read.
std::string sha256_file_hex(const std::filesystem::path& path);

}  // namespace cofin
