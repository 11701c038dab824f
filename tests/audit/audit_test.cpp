// The audit trail's building blocks: canonical JSON and the hash chain, checked against an
// independent implementation (Python's hashlib and json) where it matters.
#include <catch2/catch.hpp>
#include <map>
#include <random>

#include "audit/canonical_json.h"
#include "audit/chain.h"
#include "audit/json_fields.h"
#include "support/process.h"

using namespace cofin;
using namespace cofin::testing;
namespace fs = std::filesystem;

TEST_CASE("canonical JSON sorts keys, keeps UTF-8 and writes money as cents", "[audit]") {
  JsonObject inner;
  inner.set("z", 1).set("a", "x");
  JsonArray list;
  list.push(Money::from_cents(-5)).push("Limbažu \"novada\"\n");
  JsonObject o;
  o.set("b", Money::from_cents(123457))
      .set("a", "Pärnu")
      .set("nested", inner)
      .set("list", list)
      .set("flag", true)
      .set("ctl", std::string_view("\x01", 1));
  CHECK(o.str() ==
        "{\"a\":\"Pärnu\",\"b\":123457,\"ctl\":\"\\u0001\",\"flag\":true,\"list\":[-5,"
        "\"Limbažu \\\"novada\\\"\\n\"],\"nested\":{\"a\":\"x\",\"z\":1}}");
}

TEST_CASE("canonical JSON equals Python's sorted compact serialisation", "[audit]") {
  JsonObject o;
  o.set("sha256", std::string(64, 'f')).set("name", "Dzērvē ž.csv").set("size", 1234);
  o.set("amount", Money::from_cents(-99)).set("tab", "a\tb");
  const fs::path dir = fresh_dir("audit-json");
  std::ofstream(dir / "payload.json") << o.str();
  const auto r = run_shell(
      "/usr/bin/python3 -c \"import json,sys; s=open(sys.argv[1],encoding='utf-8').read(); "
      "print(json.dumps(json.loads(s), sort_keys=True, separators=(',',':'), "
      "ensure_ascii=False) == s)\" '" +
          (dir / "payload.json").string() + "'",
      dir);
  CHECK(r.out == "True\n");
}

TEST_CASE("the chain hash is SHA-256 of previous hash, big-endian seq and payload", "[audit]") {
  const std::string payload = "{\"event\":\"file-received\",\"run\":1}";
  const Digest h1 = audit_chain_next(audit_genesis(), 1, payload);
  const Digest h2 = audit_chain_next(h1, 2, payload);
  const fs::path dir = fresh_dir("audit-chain");
  const auto r = run_shell(
      "/usr/bin/python3 -c \"import hashlib,sys; p=sys.argv[1].encode(); "
      "h1=hashlib.sha256(bytes(32)+(1).to_bytes(8,'big')+p).digest(); "
      "h2=hashlib.sha256(h1+(2).to_bytes(8,'big')+p).hexdigest(); print(h1.hex(), h2)\" '" +
          payload + "'",
      dir);
  CHECK(r.out == to_hex(h1) + " " + to_hex(h2) + "\n");
  CHECK(audit_chain_next(audit_genesis(), 2, payload) != h1);  // seq is part of the hash
  CHECK(digest_from_hex(to_hex(h2)) == h2);
  CHECK_FALSE(digest_from_hex("xyz"));
}

TEST_CASE("payload fields read back, nested values skipped, malformed refused", "[audit]") {
  JsonObject o;
  JsonArray a;
  a.push(JsonObject().set("path", "inner"));
  o.set("event", "document-accepted").set("stored_path", "a \"b\"\n").set("list", a).set("n", 7);
  auto fields = json_top_level_fields(o.str());
  REQUIRE(fields);
  CHECK((*fields)["event"] == "document-accepted");
  CHECK((*fields)["stored_path"] == "a \"b\"\n");
  CHECK((*fields)["n"] == "7");
  CHECK(fields->count("path") == 0);
  CHECK_FALSE(json_top_level_fields("{\"a\":1"));
  CHECK_FALSE(json_top_level_fields("{\"a\":1} x"));
  CHECK_FALSE(json_top_level_fields("[1]"));
}

namespace {

// The canonical form as first written (std::map of members, one byte at a time), kept here as
// the reference the faster JsonObject must match byte for byte: fingerprints and the audit chain
// hash these bytes.
std::string reference_string(const std::string& text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    if (ch == '"') {
      out += "\\\"";
    } else if (ch == '\\') {
      out += "\\\\";
    } else if (ch == '\b') {
      out += "\\b";
    } else if (ch == '\f') {
      out += "\\f";
    } else if (ch == '\n') {
      out += "\\n";
    } else if (ch == '\r') {
      out += "\\r";
    } else if (ch == '\t') {
      out += "\\t";
    } else if (byte < 0x20) {
      out += "\\u00";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 15]);
    } else {
      out.push_back(ch);
    }
  }
  return out + "\"";
}

std::string reference_object(const std::map<std::string, std::string>& members) {
  std::string out = "{";
  bool first = true;
  for (const auto& [key, value] : members) {
    if (!first) out += ",";
    first = false;
    out += reference_string(key) + ":" + value;
  }
  return out + "}";
}

}  // namespace

TEST_CASE("canonical JSON matches the reference serialisation on random members", "[audit]") {
  std::mt19937 random(20261123);  // fixed seed: the same cases every run
  // Bytes that matter: escapes, controls, ASCII, DEL, UTF-8 lead and continuation bytes, 0xFF.
  const std::string alphabet =
      std::string("\"\\\b\f\n\r\t\x01\x1f aZ_~\x7f\xc3\xa4\xe2\x82\xac\xff") + std::string(1, '\0');
  auto random_text = [&](std::size_t max) {
    std::string s(random() % (max + 1), ' ');
    for (char& c : s) c = alphabet[random() % alphabet.size()];
    return s;
  };
  for (int round = 0; round < 2000; ++round) {
    JsonObject o;
    std::map<std::string, std::string> reference;
    const int members = static_cast<int>(random() % 14);
    for (int m = 0; m < members; ++m) {
      // Short keys from a small set, so that keys repeat (the last value must win) and sort on
      // bytes above 0x7F.
      const std::string key = random_text(2);
      switch (random() % 4) {
        case 0: {
          const std::string text = random_text(40);
          o.set(key, std::string_view(text));
          reference[key] = reference_string(text);
          break;
        }
        case 1: {
          const std::int64_t n = static_cast<std::int64_t>(random()) - (std::int64_t{1} << 31);
          o.set(key, n);
          reference[key] = std::to_string(n);
          break;
        }
        case 2: {
          const bool flag = random() % 2 == 0;
          o.set(key, flag);
          reference[key] = flag ? "true" : "false";
          break;
        }
        default: {
          JsonArray a;
          std::string expected = "[";
          const int n = static_cast<int>(random() % 3);
          for (int i = 0; i < n; ++i) {
            const std::string text = random_text(5);
            a.push(text);
            expected += (i > 0 ? "," : "") + reference_string(text);
          }
          o.set(key, a);
          reference[key] = expected + "]";
        }
      }
    }
    INFO("round " << round);
    REQUIRE(o.str() == reference_object(reference));
  }
  CHECK(json_string("") == "\"\"");
  CHECK(json_string(std::string_view()) == "\"\"");
  CHECK(json_string(std::string("a\0b", 3)) == "\"a\\u0000b\"");
}
