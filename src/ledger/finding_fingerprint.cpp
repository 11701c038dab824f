#include "ledger/finding_fingerprint.h"

#include <charconv>

#include "audit/canonical_json.h"

namespace cofin {

namespace {

void append_integer(std::string& out, int value) {
  char digits[16];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

}  // namespace

// Written straight into one string, keys already in canonical (byte) order, instead of through
// JsonObject (a sorted vector of seven serialised members): the ledger fingerprints every
// finding of the portfolio every night, and JsonObject cost about 7,800 instructions of it.
std::string finding_identity(const Diagnostic& d) {
  const std::string_view severity = severity_name(d.severity);
  std::string out;
  out.reserve(96 + d.field.size() + d.file.size() + d.message.size() + d.rule_id.size());
  out += "{\"column\":";
  append_integer(out, d.column);
  out += ",\"field\":";
  append_json_string(out, d.field);
  out += ",\"file\":";
  append_json_string(out, d.file);
  out += ",\"line\":";
  append_integer(out, d.line);
  out += ",\"message\":";
  append_json_string(out, d.message);
  out += ",\"rule\":";
  append_json_string(out, d.rule_id);
  out += ",\"severity\":";
  append_json_string(out, severity);
  out += '}';
  return out;
}

Digest finding_fingerprint(const Diagnostic& d) {
  return sha256(finding_identity(d));
}

}  // namespace cofin
