// Progress of a run on a terminal: files and lines processed, rate, ETA. Silent unless enabled.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace cofin {

class Progress {
 public:
  // `enabled`: print at all; `overwrite`: stderr is a terminal, so one line is redrawn in place
  // (otherwise a new line at most every few seconds, for logs). `total_bytes` of `total_files`
  // are to be processed: the ETA is measured on bytes, which track the work better than files.
  Progress(bool enabled, bool overwrite, std::uint64_t total_files, std::uint64_t total_bytes);

  // Records one more file of `bytes` bytes with `lines` expenditure lines done.
  void file_done(std::uint64_t bytes, std::uint64_t lines);
  // Prints the final state (when enabled) and ends the line.
  void finish();

 private:
  void print(bool final);

  bool enabled_;
  bool overwrite_;
  std::uint64_t total_files_;
  std::uint64_t total_bytes_;
  std::uint64_t files_ = 0;
  std::uint64_t bytes_ = 0;
  std::uint64_t lines_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_print_;
};

}  // namespace cofin
