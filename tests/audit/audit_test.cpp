// The audit trail's building blocks: canonical JSON and the hash chain, checked against an
// independent implementation (Python's hashlib and json) where it matters.
#include <catch2/catch.hpp>

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
