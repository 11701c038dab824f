// A finding's identity in the ledger: the SHA-256 of its canonical JSON (audit/canonical_json.h)
// over severity, rule id, file, line, column, field and message. The amount affected is not part
// of it: the same finding quoted again with the same message is the same finding. Every ledger
// since schema 2 stores this digest (hex) in findings.fingerprint, so it must never change.
#pragma once

#include <string>

#include "audit/sha256.h"
#include "model/diagnostic.h"

namespace cofin {

// Returns the canonical JSON the fingerprint hashes, byte for byte what JsonObject gives for
// {severity, rule, file, line, column, field, message}:
//   {"column":C,"field":"…","file":"…","line":L,"message":"…","rule":"…","severity":"…"}
std::string finding_identity(const Diagnostic& finding);

// Returns sha256(finding_identity(finding)).
Digest finding_fingerprint(const Diagnostic& finding);

}  // namespace cofin
