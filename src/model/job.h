// A job file (jobs/*.xml): what one nightly run reads, where it keeps state and writes output.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "model/enums.h"

namespace cofin {

struct EncodingDeclaration {
  std::string pattern;  // file-name glob inside the inbox, e.g. "*-1257.csv"
  std::string charset;  // "utf-8" or "windows-1257"
};

struct Job {
  std::string name;
  std::filesystem::path file;  // the job file itself; relative paths below are already resolved
  std::filesystem::path inbox;
  InboxMode inbox_mode = InboxMode::kMove;
  int settle_seconds = 60;
  std::filesystem::path archive;
  std::filesystem::path quarantine;
  std::vector<std::filesystem::path> programmes;
  std::filesystem::path registry;
  std::vector<std::filesystem::path> rates;
  std::string ledger;  // "sqlite:PATH" (PATH resolved)
  std::filesystem::path output_dir;
  // `<workbooks per-project="true"/>`: one workbook per project besides the programme-wide one.
  bool per_project_workbooks = false;
  std::vector<EncodingDeclaration> encodings;

  // Returns the declared charset for an inbox file name ("utf-8" when none is declared).
  std::string charset_for(const std::string& file_name) const;
};

}  // namespace cofin
