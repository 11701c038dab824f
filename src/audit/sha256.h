// SHA-256 of bytes (OpenSSL libcrypto), for document identity and the audit trail.
#pragma once

#include <array>
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

}  // namespace cofin
