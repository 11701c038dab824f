#include "job/crash_point.h"

#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace cofin {
namespace {

struct CrashSettings {
  long target = 0;  // 0: never
  bool trace = false;
};

CrashSettings read_settings() {
  CrashSettings s;
  if (const char* at = std::getenv("COFIN_CRASH_AT")) s.target = std::strtol(at, nullptr, 10);
  if (const char* trace = std::getenv("COFIN_CRASH_TRACE")) s.trace = std::string(trace) == "1";
  return s;
}

}  // namespace

void durable_step(std::string_view what) {
  static const CrashSettings settings = read_settings();
  static long count = 0;
  ++count;
  if (settings.trace) {
    std::fprintf(stderr, "durable step %ld: %.*s\n", count, static_cast<int>(what.size()),
                 what.data());
  }
  if (settings.target > 0 && count == settings.target) {
    std::fflush(stderr);
    // SIGKILL, not abort(): no handler, no atexit, no stdio flush — as `kill -9` would.
    ::raise(SIGKILL);
  }
}

}  // namespace cofin
