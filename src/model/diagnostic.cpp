#include "model/diagnostic.h"

#include <cstdio>

namespace cofin {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "info";
  }
  return "?";
}

namespace {

// A file name is bytes from the inbox: control characters in it are escaped so that a name
// holding a newline cannot forge a diagnostic line that scripts filter on.
std::string escaped_file_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (const char ch : name) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

}  // namespace

std::string format_diagnostic(const Diagnostic& d) {
  std::string out = escaped_file_name(d.file);
  if (d.line > 0) {
    out += ':' + std::to_string(d.line);
    if (d.column > 0) out += ':' + std::to_string(d.column);
  }
  out += ": ";
  out += severity_name(d.severity);
  out += ' ';
  out += d.rule_id;
  out += ": ";
  out += d.message;
  return out;
}

std::string quote(std::string_view text) {
  constexpr std::size_t kMax = 60;
  std::string out = "'";
  std::size_t shown = 0;
  for (std::size_t k = 0; k < text.size(); ++k) {
    const unsigned char c = static_cast<unsigned char>(text[k]);
    if (shown >= kMax && (c & 0xC0) != 0x80) {
      out += "...";
      break;
    }
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
    if ((c & 0xC0) != 0x80) ++shown;
  }
  out += "'";
  return out;
}

void Diagnostics::error(std::string rule_id, std::string file, int line, int column,
                        std::string field, std::string message) {
  add(Diagnostic{Severity::kError, std::move(rule_id), std::move(file), line, column,
                 std::move(field), std::move(message), std::nullopt, 0});
}

void Diagnostics::warning(std::string rule_id, std::string file, int line, int column,
                          std::string field, std::string message) {
  add(Diagnostic{Severity::kWarning, std::move(rule_id), std::move(file), line, column,
                 std::move(field), std::move(message), std::nullopt, 0});
}

void Diagnostics::append(const Diagnostics& other) {
  for (const auto& d : other.items_) add(d);
}

}  // namespace cofin
