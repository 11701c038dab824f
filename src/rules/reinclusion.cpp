#include "rules/reinclusion.h"

#include <charconv>

#include "money/rounding.h"

namespace cofin {
namespace {

Diagnostic finding(const ExpenseLine& line, const char* id, std::string message, Money amount) {
  Diagnostic d;
  d.severity = Severity::kError;
  d.rule_id = id;
  d.file = line.pos.file;
  d.line = line.pos.line;
  d.column = line.pos.column;
  d.field = "reincluded-from";
  d.message = "line " + std::to_string(line.line) + ": " + std::move(message);
  d.amount = amount;
  d.line_no = line.line;
  return d;
}

bool parse_int(std::string_view text, int& out) {
  if (text.empty()) return false;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && p == text.data() + text.size() && out > 0;
}

}  // namespace

std::string origin_label(int report, int line) {
  // One string, no temporaries: the portfolio labels every line it computes. An int takes at
  // most 11 characters; std::to_chars writes it as std::to_string does.
  constexpr int kIntChars = 11;
  char buf[1 + kIntChars + 1 + kIntChars];
  buf[0] = 'R';
  char* end = std::to_chars(buf + 1, buf + 1 + kIntChars, report).ptr;
  *end++ = '.';
  end = std::to_chars(end, end + kIntChars, line).ptr;
  return std::string(buf, end);
}

std::string canonical_origin(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.size() < 4 || (text[0] != 'R' && text[0] != 'r')) return "";
  text.remove_prefix(1);
  const auto dot = text.find('.');
  if (dot == std::string_view::npos) return "";
  int report = 0;
  int line = 0;
  if (!parse_int(text.substr(0, dot), report) || !parse_int(text.substr(dot + 1), line)) return "";
  return origin_label(report, line);
}

ReinclusionCheck check_reinclusion(const ExpenseLine& line, const ParkedOrigins& origins,
                                   const std::set<std::string>& already_reincluded, Money eur) {
  ReinclusionCheck out;
  const std::string label = canonical_origin(line.reincluded_from);
  auto it = label.empty() ? origins.end() : origins.find(label);
  if (it == origins.end()) {
    out.findings.push_back(finding(line, "REINCLUDED-ORIGIN",
                                   "re-included from " + quote(line.reincluded_from) +
                                       ", which is no line of an earlier report of the partner",
                                   eur));
    return out;
  }
  const ParkedOrigin& origin = it->second;
  if (!origin.parked) {
    out.findings.push_back(finding(line, "REINCLUDED-ORIGIN",
                                   "re-included from " + label +
                                       ", which the controller did not park (it was certified or "
                                       "deducted there: claiming it again is double funding)",
                                   eur));
    return out;
  }
  if (origin.currency != line.currency) {
    out.findings.push_back(finding(line, "REINCLUDED-ORIGIN",
                                   "re-included from " + label + " in " + line.currency +
                                       ", but the parked line was in " + origin.currency,
                                   eur));
    return out;
  }
  if (already_reincluded.count(label)) {
    out.findings.push_back(finding(
        line, "REINCLUDED-TWICE", "parked line " + label + " was already re-included before", eur));
    return out;
  }
  out.origin = &origin;
  if (line.declared.abs() > origin.declared.abs()) {
    const Money excess = line.declared.abs() - origin.declared.abs();
    // The excess in EUR at the line's own ratio, HALF_UP (never more than the line).
    const i128 numerator = static_cast<i128>(excess.cents()) * eur.abs().cents();
    const Money excess_eur =
        Money::from_i128(divide_rounded(numerator, line.declared.abs().cents(), Rounding::kHalfUp));
    out.findings.push_back(finding(line, "REINCLUDED-AMOUNT",
                                   "re-includes " + line.declared.to_string() + " " +
                                       line.currency + " but " + origin.declared.to_string() +
                                       " was parked in " + label,
                                   line.declared.is_negative() ? -excess_eur : excess_eur));
  }
  return out;
}

}  // namespace cofin
