// The audit trail's hash chain (spec "Audit chain"):
//   hash_n = SHA-256(hash_{n-1} ‖ be64(n) ‖ payload_n),  hash_0 = 32 zero bytes,
// payload_n the canonical JSON of event n. Changing, removing, inserting or reordering any
// event changes every later hash; the heads recorded outside the chain (run logs, workbooks)
// catch a truncated tail.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "audit/sha256.h"

namespace cofin {

// Returns hash_0: 32 zero bytes.
Digest audit_genesis();

// Returns hash_seq = SHA-256(previous ‖ be64(seq) ‖ payload).
// REQUIRES: seq >= 1.
Digest audit_chain_next(const Digest& previous, std::uint64_t seq, std::string_view payload);

// Returns the digest written as 64 lower-case hex characters, or nullopt for any other text.
std::optional<Digest> digest_from_hex(std::string_view hex);

}  // namespace cofin
