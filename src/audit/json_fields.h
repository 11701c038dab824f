// Reads back the top-level scalar fields of a JSON object: what `audit verify` needs from a
// payload (the event kind, the paths and hashes of the files it names). Not a general parser:
// nested objects and arrays are checked for syntax and skipped.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cofin {

// Returns the object's top-level string fields (unescaped) and number / true / false / null
// fields (as their literal text), or nullopt when `json` is not a single well-formed JSON object.
std::optional<std::map<std::string, std::string>> json_top_level_fields(std::string_view json);

}  // namespace cofin
