// A job with its configuration documents loaded: rule sets, registry, exchange rates.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "calc/outcome.h"
#include "ingest/xml_parser.h"
#include "model/diagnostic.h"
#include "model/job.h"
#include "model/programme.h"
#include "model/rates.h"
#include "model/registry.h"

namespace cofin {

struct JobContext {
  Job job;
  std::vector<ProgrammeRules> programmes;
  Registry registry;
  RateTable rates;                   // the job's rate tables (inbox rate tables add to them)
  std::vector<InputOutcome> inputs;  // the job file and every configuration document
  std::vector<RuleSetOutcome> rule_sets;

  // Returns `path` relative to the job file's directory's parent where possible, for messages.
  std::string display(const std::filesystem::path& path) const;
};

// Returns the job at `job_file` with its configuration documents. Errors in any of them are
// written to `diags` and raise ConfigError (exit 2): a job cannot run on a broken rule set.
JobContext load_job(const XmlContext& xml, const std::filesystem::path& job_file,
                    Diagnostics& diags);

}  // namespace cofin
