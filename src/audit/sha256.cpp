#include "audit/sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace cofin {

namespace {

// Returns OpenSSL's SHA-256, fetched once. EVP_sha256() makes every digest look the algorithm up
// in the default provider again (an implicit fetch: a lock and a property query), which cost
// about as much as hashing a short audit payload. The fetched object is shared by all threads
// (OpenSSL 3: fetched algorithms are immutable and reference-counted) and never freed: OpenSSL
// may already be cleaned up when static destructors run.
const EVP_MD* sha256_algorithm() {
  static EVP_MD* const md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) throw std::runtime_error("OpenSSL has no SHA-256");
    return fetched;
  }();
  return md;
}

}  // namespace

Digest sha256(std::string_view bytes) {
  Digest out{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out.data(), &length, sha256_algorithm(), nullptr) !=
          1 ||
      length != out.size()) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  return out;
}

std::string to_hex(const Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (unsigned char b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  return to_hex(sha256(bytes));
}

}  // namespace cofin
