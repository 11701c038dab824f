#include "job/progress.h"

#include <fmt/core.h>

namespace cofin {

Progress::Progress(bool enabled, bool overwrite, std::uint64_t total_files,
                   std::uint64_t total_bytes)
    : enabled_(enabled),
      overwrite_(overwrite),
      total_files_(total_files),
      total_bytes_(total_bytes),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_) {}

void Progress::file_done(std::uint64_t bytes, std::uint64_t lines) {
  ++files_;
  bytes_ += bytes;
  lines_ += lines;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  // A terminal redraws often enough to look alive; a log gets a line every few seconds.
  const auto every = overwrite_ ? std::chrono::milliseconds(200) : std::chrono::seconds(5);
  if (now - last_print_ >= every) {
    last_print_ = now;
    print(false);
  }
}

void Progress::finish() {
  if (!enabled_) return;
  print(true);
}

void Progress::print(bool final) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(lines_) / seconds : 0.0;
  std::string eta = "-";
  if (final) {
    eta = "done";
  } else if (bytes_ > 0 && seconds > 0) {
    const double left =
        static_cast<double>(total_bytes_ - bytes_) * seconds / static_cast<double>(bytes_);
    eta = fmt::format("{:.0f} s", left);
  }
  fmt::print(stderr, "{}files {}/{}, lines {}, {:.0f} lines/s, ETA {}{}", overwrite_ ? "\r" : "",
             files_, total_files_, lines_, rate, eta, overwrite_ && !final ? "" : "\n");
  std::fflush(stderr);
}

}  // namespace cofin
