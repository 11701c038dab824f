#include "audit/sha256.h"

#include <openssl/evp.h>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <vector>

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

struct Sha256Stream::Context {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
};

Sha256Stream::Sha256Stream() : context_(new Context) {
  if (!context_->ctx || EVP_DigestInit_ex(context_->ctx.get(), sha256_algorithm(), nullptr) != 1) {
    delete context_;
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
}

Sha256Stream::~Sha256Stream() {
  delete context_;
}

void Sha256Stream::update(std::string_view bytes) {
  if (!bytes.empty() && EVP_DigestUpdate(context_->ctx.get(), bytes.data(), bytes.size()) != 1) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
}

Digest Sha256Stream::finish() {
  Digest out{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context_->ctx.get(), out.data(), &length) != 1 || length != out.size()) {
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  return out;
}

std::string sha256_file_hex(const std::filesystem::path& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) throw std::runtime_error("cannot open " + path.string() + " to hash it");
  Sha256Stream hash;
  std::vector<char> block(1 << 20);
  for (;;) {
    const std::size_t n = std::fread(block.data(), 1, block.size(), file.get());
    hash.update(std::string_view(block.data(), n));
    if (n < block.size()) break;
  }
  if (std::ferror(file.get()))
    throw std::runtime_error("cannot read " + path.string() + " to hash it");
  return to_hex(hash.finish());
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
