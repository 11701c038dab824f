// libFuzzer entry point, compiled once per target with COFIN_FUZZ_TARGET naming it. A violated
// property aborts, so libFuzzer saves the input as a crash reproducer.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz/targets.h"

namespace {

// Xerces and the grammar pool live for the whole process and are never torn down: libFuzzer
// exits from inside its loop, and the pool is read-only after it is locked.
// Both are kept in globals so that LeakSanitizer sees them as reachable at exit.
const cofin::XercesRuntime* xerces_runtime = nullptr;
const cofin::XmlContext* xml_context = nullptr;
const cofin::fuzz::Target* target = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  target = cofin::fuzz::find_target(COFIN_FUZZ_TARGET);
  if (target == nullptr) {
    std::fprintf(stderr, "unknown fuzz target %s\n", COFIN_FUZZ_TARGET);
    std::abort();
  }
  xerces_runtime = new cofin::XercesRuntime();
  xml_context = new cofin::XmlContext(*xerces_runtime);
  cofin::fuzz::documented_rule_ids();  // read once, before the first input
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const cofin::fuzz::Violation v = target->run(*xml_context, input);
  if (!v.empty()) {
    std::fprintf(stderr, "property violated in %s: %s\n", COFIN_FUZZ_TARGET, v.c_str());
    std::abort();
  }
  return 0;
}
