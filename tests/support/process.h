// Runs a command in a shell for end-to-end tests, capturing its exit code and output.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace cofin::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Returns a fresh, empty directory under the system temp dir, unique to `name` and to this
// process, so suites running at once in several build trees never share a folder.
inline std::filesystem::path fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("cofin-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Runs `command` with `sh -c`, stdout and stderr captured through files in `scratch`.
inline CommandResult run_shell(const std::string& command, const std::filesystem::path& scratch) {
  const auto out = scratch / "stdout.txt";
  const auto err = scratch / "stderr.txt";
  const std::string full = command + " >'" + out.string() + "' 2>'" + err.string() + "'";
  const int status = std::system(full.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

// Runs the cofin binary under test with `args` (already shell-quoted where needed).
inline CommandResult run_cofin(const std::string& args, const std::filesystem::path& scratch) {
  return run_shell(std::string("'") + COFIN_BINARY + "' " + args, scratch);
}

}  // namespace cofin::testing
