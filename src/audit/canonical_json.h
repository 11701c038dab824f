// Canonical JSON for audit payloads (spec "Audit chain"): object keys sorted by their UTF-8
// bytes, no insignificant whitespace, integers only (money as integer cents), strings as given
// in UTF-8 with only the escapes JSON requires. The same values always give the same bytes, so
// a payload's hash can be recomputed by anyone who re-serialises the same facts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "money/money.h"

namespace cofin {

class JsonArray;

// A JSON object under construction. Setting a key twice keeps the last value.
class JsonObject {
 public:
  JsonObject& set(const std::string& key, std::string_view text);
  JsonObject& set(const std::string& key, const char* text);
  JsonObject& set(const std::string& key, std::int64_t number);
  JsonObject& set(const std::string& key, int number);
  JsonObject& set(const std::string& key, Money amount);  // integer cents
  JsonObject& set(const std::string& key, bool flag);
  JsonObject& set(const std::string& key, const JsonObject& object);
  JsonObject& set(const std::string& key, const JsonArray& array);

  // Returns the canonical serialisation.
  std::string str() const;

 private:
  // Sets `key` to the serialised `value`, keeping members_ sorted.
  void put(const std::string& key, std::string value);

  // (key, serialised value), kept sorted by key with std::string's operator<, which compares
  // bytes as unsigned char. A payload has a dozen keys at most: a sorted vector costs one
  // allocation where a std::map costs one per key.
  std::vector<std::pair<std::string, std::string>> members_;
};

// A JSON array under construction; elements keep their order.
class JsonArray {
 public:
  JsonArray& push(std::string_view text);
  JsonArray& push(std::int64_t number);
  JsonArray& push(Money amount);  // integer cents
  JsonArray& push(const JsonObject& object);
  bool empty() const { return elements_.empty(); }

  // Returns the canonical serialisation.
  std::string str() const;

 private:
  std::vector<std::string> elements_;
};

// Returns `text` as a JSON string literal: `"` and `\` escaped, control characters as \b \f \n
// \r \t or \u00XX (lower-case hex), every other byte as given.
std::string json_string(std::string_view text);
// Appends json_string(text) to `out`: for canonical forms written straight into one buffer.
void append_json_string(std::string& out, std::string_view text);

}  // namespace cofin
