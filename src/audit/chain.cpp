#include "audit/chain.h"

#include <string>

namespace cofin {

Digest audit_genesis() {
  return Digest{};
}

Digest audit_chain_next(const Digest& previous, std::uint64_t seq, std::string_view payload) {
  std::string message;
  message.reserve(previous.size() + 8 + payload.size());
  message.append(reinterpret_cast<const char*>(previous.data()), previous.size());
  for (int shift = 56; shift >= 0; shift -= 8) {  // be64: most significant byte first
    message.push_back(static_cast<char>((seq >> shift) & 0xFF));
  }
  message.append(payload);
  return sha256(message);
}

std::optional<Digest> digest_from_hex(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  Digest out{};
  for (std::size_t i = 0; i < 32; ++i) {
    unsigned value = 0;
    for (std::size_t j = 0; j < 2; ++j) {
      const char h = hex[2 * i + j];
      value <<= 4;
      if (h >= '0' && h <= '9') {
        value |= static_cast<unsigned>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        value |= static_cast<unsigned>(h - 'a' + 10);
      } else {
        return std::nullopt;
      }
    }
    out[i] = static_cast<unsigned char>(value);
  }
  return out;
}

}  // namespace cofin
