// 128-bit intermediates for exact products of cents and scaled rates.
#pragma once

namespace cofin {

// g++ rejects a bare __int128 under -Wpedantic; declared once here.
__extension__ typedef __int128 i128;

}  // namespace cofin
