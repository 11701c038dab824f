#include "audit/canonical_json.h"

#include <algorithm>

namespace cofin {

namespace {

// Returns true for the bytes a JSON string literal must escape: `"`, `\` and controls.
constexpr bool needs_escape(unsigned char byte) {
  return byte < 0x20 || byte == '"' || byte == '\\';
}

}  // namespace

// Runs of bytes that need no escape are copied whole; UTF-8 is copied as given: canonical form
// never escapes non-ASCII.
void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the bytes not yet appended
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (!needs_escape(byte)) continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (byte) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out.push_back(kHex[byte >> 4]);
        out.push_back(kHex[byte & 15]);
    }
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
}

std::string json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_string(out, text);
  return out;
}

JsonObject& JsonObject::set(const std::string& key, std::string_view text) {
  put(key, json_string(text));
  return *this;
}
JsonObject& JsonObject::set(const std::string& key, const char* text) {
  return set(key, std::string_view(text));
}
JsonObject& JsonObject::set(const std::string& key, std::int64_t number) {
  put(key, std::to_string(number));
  return *this;
}
JsonObject& JsonObject::set(const std::string& key, int number) {
  return set(key, std::int64_t{number});
}
JsonObject& JsonObject::set(const std::string& key, Money amount) {
  return set(key, amount.cents());
}
JsonObject& JsonObject::set(const std::string& key, bool flag) {
  put(key, flag ? "true" : "false");
  return *this;
}
JsonObject& JsonObject::set(const std::string& key, const JsonObject& object) {
  put(key, object.str());
  return *this;
}
JsonObject& JsonObject::set(const std::string& key, const JsonArray& array) {
  put(key, array.str());
  return *this;
}

void JsonObject::put(const std::string& key, std::string value) {
  if (members_.empty()) members_.reserve(8);  // most payloads: one allocation
  auto it =
      std::lower_bound(members_.begin(), members_.end(), key,
                       [](const auto& member, const std::string& k) { return member.first < k; });
  if (it != members_.end() && it->first == key) {
    it->second = std::move(value);  // set twice: the last value stays
  } else {
    members_.emplace(it, key, std::move(value));
  }
}

std::string JsonObject::str() const {
  std::size_t size = 2;
  for (const auto& [key, value] : members_) size += key.size() + value.size() + 4;
  std::string out;
  out.reserve(size);
  out.push_back('{');
  bool first = true;
  for (const auto& [key, value] : members_) {
    if (!first) out.push_back(',');
    first = false;
    append_json_string(out, key);
    out.push_back(':');
    out += value;
  }
  out.push_back('}');
  return out;
}

JsonArray& JsonArray::push(std::string_view text) {
  elements_.push_back(json_string(text));
  return *this;
}
JsonArray& JsonArray::push(std::int64_t number) {
  elements_.push_back(std::to_string(number));
  return *this;
}
JsonArray& JsonArray::push(Money amount) {
  return push(amount.cents());
}
JsonArray& JsonArray::push(const JsonObject& object) {
  elements_.push_back(object.str());
  return *this;
}

std::string JsonArray::str() const {
  std::size_t size = 2;
  for (const std::string& e : elements_) size += e.size() + 1;
  std::string out;
  out.reserve(size);
  out.push_back('[');
  for (std::size_t i = 0; i < elements_.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += elements_[i];
  }
  out.push_back(']');
  return out;
}

}  // namespace cofin
