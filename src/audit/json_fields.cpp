#include "audit/json_fields.h"

#include <cctype>

namespace cofin {
namespace {

// A recursive-descent reader over `text`; every method returns false on malformed input.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool object(std::map<std::string, std::string>* fields, int depth) {
    if (depth > 64 || !eat('{')) return false;
    skip_space();
    if (eat('}')) return true;
    for (;;) {
      std::string key;
      skip_space();
      if (!string(&key)) return false;
      skip_space();
      if (!eat(':')) return false;
      skip_space();
      std::string scalar;
      bool is_scalar = false;
      if (!value(&scalar, &is_scalar, depth)) return false;
      if (fields != nullptr && is_scalar) (*fields)[key] = scalar;
      skip_space();
      if (eat('}')) return true;
      if (!eat(',')) return false;
    }
  }

  bool at_end() {
    skip_space();
    return pos_ == text_.size();
  }

 private:
  bool value(std::string* scalar, bool* is_scalar, int depth) {
    *is_scalar = false;
    if (pos_ >= text_.size()) return false;
    const char c = text_[pos_];
    if (c == '{') return object(nullptr, depth + 1);
    if (c == '[') return array(depth + 1);
    *is_scalar = true;
    if (c == '"') return string(scalar);
    const std::size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '-' ||
            text_[pos_] == '+' || text_[pos_] == '.')) {
      ++pos_;
    }
    *scalar = std::string(text_.substr(start, pos_ - start));
    return pos_ > start;
  }

  bool array(int depth) {
    if (depth > 64 || !eat('[')) return false;
    skip_space();
    if (eat(']')) return true;
    for (;;) {
      skip_space();
      std::string ignored;
      bool is_scalar = false;
      if (!value(&ignored, &is_scalar, depth)) return false;
      skip_space();
      if (eat(']')) return true;
      if (!eat(',')) return false;
    }
  }

  bool string(std::string* out) {
    if (!eat('"')) return false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return true;
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) return false;
      const char e = text_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out->push_back(e);
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          if (pos_ + 4 > text_.size()) return false;
          unsigned code = 0;
          for (int i = 0; i < 4; ++i) {
            const char h = text_[pos_++];
            code <<= 4;
            if (h >= '0' && h <= '9') {
              code |= static_cast<unsigned>(h - '0');
            } else if (h >= 'a' && h <= 'f') {
              code |= static_cast<unsigned>(h - 'a' + 10);
            } else if (h >= 'A' && h <= 'F') {
              code |= static_cast<unsigned>(h - 'A' + 10);
            } else {
              return false;
            }
          }
          // The canonical writer escapes only control characters; others are kept as UTF-8.
          if (code < 0x80) {
            out->push_back(static_cast<char>(code));
          } else if (code < 0x800) {
            out->push_back(static_cast<char>(0xC0 | (code >> 6)));
            out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
          } else {
            out->push_back(static_cast<char>(0xE0 | (code >> 12)));
            out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
            out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
          }
          break;
        }
        default:
          return false;
      }
    }
    return false;
  }

  bool eat(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<std::map<std::string, std::string>> json_top_level_fields(std::string_view json) {
  std::map<std::string, std::string> fields;
  Reader reader(json);
  if (!reader.object(&fields, 0) || !reader.at_end()) return std::nullopt;
  return fields;
}

}  // namespace cofin
