// A fast 64-bit checksum that guards run-local temporary files (the spill) against damage: a
// flipped or lost byte, not an attacker. Not for anything an adversary may choose (use sha256).
#pragma once

#include <cstdint>
#include <string_view>

namespace cofin {

// Returns XXH64(bytes, seed 0): Yann Collet's xxHash64, written out here (no new library); it
// reads 32 bytes a step in four independent lanes, several GB/s on one core.
std::uint64_t checksum64(std::string_view bytes);

}  // namespace cofin
