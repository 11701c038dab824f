#include "audit/canonical_json.h"

namespace cofin {

std::string json_string(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    switch (ch) {
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
        if (byte < 0x20) {
          out += "\\u00";
          out.push_back(kHex[byte >> 4]);
          out.push_back(kHex[byte & 15]);
        } else {
          out.push_back(ch);  // UTF-8 as given: canonical form never escapes non-ASCII
        }
    }
  }
  out.push_back('"');
  return out;
}

JsonObject& JsonObject::set(const std::string& key, std::string_view text) {
  members_[key] = json_string(text);
  return *this;
}
JsonObject& JsonObject::set(const std::string& key, const char* text) {
  return set(key, std::string_view(text));
}
JsonObject& JsonObject::set(const std::string& key, std::int64_t number) {
  members_[key] = std::to_string(number);
  return *this;
}
JsonObject& JsonObject::set(const std::string& key, int number) {
  return set(key, std::int64_t{number});
}
JsonObject& JsonObject::set(const std::string& key, Money amount) {
  return set(key, amount.cents());
}
JsonObject& JsonObject::set(const std::string& key, bool flag) {
  members_[key] = flag ? "true" : "false";
  return *this;
}
JsonObject& JsonObject::set(const std::string& key, const JsonObject& object) {
  members_[key] = object.str();
  return *this;
}
JsonObject& JsonObject::set(const std::string& key, const JsonArray& array) {
  members_[key] = array.str();
  return *this;
}

std::string JsonObject::str() const {
  std::string out = "{";
  bool first = true;
  for (const auto& [key, value] : members_) {
    if (!first) out.push_back(',');
    first = false;
    out += json_string(key);
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
  std::string out = "[";
  for (std::size_t i = 0; i < elements_.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += elements_[i];
  }
  out.push_back(']');
  return out;
}

}  // namespace cofin
