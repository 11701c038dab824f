#include "audit/verify.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <stdexcept>

#include "audit/chain.h"
#include "audit/json_fields.h"

namespace cofin {
namespace fs = std::filesystem;

namespace {

// Returns the file's hash, or nullopt when it is not a regular file or cannot be read (verify
// reports that file as missing or changed). Read in blocks: workbooks run to hundreds of MB.
std::optional<std::string> sha256_of_file(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(path, ec))) return std::nullopt;
  try {
    return sha256_file_hex(path);
  } catch (const std::runtime_error&) {
    return std::nullopt;
  }
}

struct FileReference {
  std::int64_t seq = 0;
  std::string kind;
  std::string sha256;
};

}  // namespace

std::vector<RecordedHead> read_log_heads(const fs::path& logs_dir) {
  std::vector<RecordedHead> out;
  std::error_code ec;
  if (!fs::is_directory(logs_dir, ec)) return out;
  std::vector<fs::path> logs;
  for (const auto& entry : fs::directory_iterator(logs_dir)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("run-") && name.ends_with(".log")) logs.push_back(entry.path());
  }
  std::sort(logs.begin(), logs.end());
  const std::string marker = "audit head ";
  for (const fs::path& log : logs) {
    std::ifstream in(log);
    if (!in) throw std::runtime_error("cannot read the run log " + log.string());
    for (std::string line; std::getline(in, line);) {
      const auto at = line.find(marker);
      if (at == std::string::npos) continue;
      const auto seq_at = line.find(" seq=", at);
      const auto hash_at = line.find(" hash=", at);
      if (seq_at == std::string::npos || hash_at == std::string::npos) continue;
      RecordedHead h;
      h.where = log.filename().string();
      try {
        h.seq = std::stoll(line.substr(seq_at + 5));
      } catch (const std::exception&) {
        continue;  // not a head line cofin wrote
      }
      h.hash = line.substr(hash_at + 6, 64);
      out.push_back(std::move(h));
    }
  }
  return out;
}

VerifyResult verify_audit_trail(Ledger& ledger, const std::vector<RecordedHead>& recorded) {
  VerifyResult result;
  std::vector<std::string> hashes;  // hashes[seq - 1]: the stored hash of each event
  std::vector<std::string> kinds;
  std::map<std::string, FileReference> files;  // path -> the last event naming it
  Digest previous = audit_genesis();
  std::int64_t expected = 1;
  bool chain_broken = false;
  auto problem = [&](std::int64_t seq, std::string kind, std::string reason) {
    result.problems.push_back({seq, std::move(kind), std::move(reason)});
  };

  ledger.for_each_audit_event([&](const AuditEvent& e) {
    ++result.events;
    result.head = e;
    if (!chain_broken) {
      if (e.seq != expected) {
        problem(expected, "",
                e.seq > expected
                    ? "event " + std::to_string(expected) +
                          " is missing: the next stored event is " + std::to_string(e.seq)
                    : "event " + std::to_string(e.seq) + " is out of order after event " +
                          std::to_string(expected - 1));
        chain_broken = true;
      } else {
        const Digest computed =
            audit_chain_next(previous, static_cast<std::uint64_t>(e.seq), e.payload);
        if (to_hex(computed) != e.hash) {
          problem(e.seq, e.kind,
                  "its hash does not match SHA-256(previous hash, seq, payload): the event or an "
                  "adjacent one was changed, inserted or moved (stored " +
                      e.hash.substr(0, 16) + "…, recomputed " + to_hex(computed).substr(0, 16) +
                      "…)");
          chain_broken = true;
        }
        previous = computed;
      }
      ++expected;
    }
    while (static_cast<std::int64_t>(hashes.size()) < e.seq) {
      hashes.emplace_back();
      kinds.emplace_back();
    }
    if (e.seq >= 1) {
      hashes[static_cast<std::size_t>(e.seq - 1)] = e.hash;
      kinds[static_cast<std::size_t>(e.seq - 1)] = e.kind;
    }
    const auto fields = json_top_level_fields(e.payload);
    if (!fields) {
      problem(e.seq, e.kind, "its payload is not a JSON object");
      return true;
    }
    auto field = [&](const char* name) {
      auto it = fields->find(name);
      return it == fields->end() ? std::string() : it->second;
    };
    if (field("event") != e.kind) {
      problem(
          e.seq, e.kind,
          "its kind column says '" + e.kind + "' but its payload says '" + field("event") + "'");
    }
    if (e.kind == "document-accepted" || e.kind == "document-rejected" ||
        e.kind == "duplicate-received") {
      // An input's original is kept where its event says; another input's bytes at the same
      // place mean the earlier original is gone (the file was replaced).
      const std::string path = field("stored_path");
      auto earlier = files.find(path);
      if (!path.empty() && earlier != files.end() && earlier->second.kind != "workbook-written" &&
          earlier->second.sha256 != field("sha256")) {
        problem(earlier->second.seq, earlier->second.kind,
                path + " was replaced: event " + std::to_string(e.seq) + " (" + e.kind +
                    ") keeps other bytes there (" + field("sha256").substr(0, 16) +
                    "…), the original is gone");
      }
      files[path] = {e.seq, e.kind, field("sha256")};
    } else if (e.kind == "workbook-written") {
      files[field("path")] = {e.seq, e.kind, field("sha256")};  // the last write stands
    }
    return true;
  });

  // Heads recorded outside the chain: a trail cut short, or rewritten, no longer reaches them.
  std::vector<RecordedHead> heads = recorded;
  for (const RunHead& r : ledger.run_heads()) {
    if (r.finished && r.audit_seq > 0) {
      heads.push_back({"run " + std::to_string(r.run_id) + " in the ledger's runs table",
                       r.audit_seq, r.audit_head});
    }
  }
  const auto last = static_cast<std::int64_t>(hashes.size());
  for (const RecordedHead& h : heads) {
    ++result.heads_checked;
    if (h.seq > last || (h.seq >= 1 && hashes[static_cast<std::size_t>(h.seq - 1)].empty())) {
      const std::int64_t first_missing = h.seq > last ? last + 1 : h.seq;
      problem(first_missing, "",
              h.where + " recorded the head at event " + std::to_string(h.seq) + " (" +
                  h.hash.substr(0, 16) + "…) but the trail " +
                  (h.seq > last ? "ends at event " + std::to_string(last) : "lacks that event") +
                  ": events were removed");
    } else if (h.seq >= 1 && hashes[static_cast<std::size_t>(h.seq - 1)] != h.hash) {
      problem(h.seq, kinds[static_cast<std::size_t>(h.seq - 1)],
              "its hash differs from the head " + h.where + " recorded (" + h.hash.substr(0, 16) +
                  "…)");
    }
  }

  // Originals and workbooks: the bytes the trail names must still be there.
  std::map<std::string, PendingMove> pending;
  for (const PendingMove& m : ledger.pending_moves()) pending[m.destination] = m;
  for (const auto& [path, ref] : files) {
    if (path.empty()) continue;
    ++result.files_checked;
    std::optional<std::string> actual = sha256_of_file(path);
    if (!actual) {
      // A crash may have left the move to be done by the next run: the original is at its
      // source then.
      auto p = pending.find(path);
      if (p != pending.end()) actual = sha256_of_file(p->second.source);
    }
    if (!actual) {
      problem(ref.seq, ref.kind, path + " is missing");
    } else if (*actual != ref.sha256) {
      problem(ref.seq, ref.kind,
              path + " was changed: its SHA-256 is now " + actual->substr(0, 16) +
                  "…, the trail recorded " + ref.sha256.substr(0, 16) + "…");
    }
  }

  std::stable_sort(result.problems.begin(), result.problems.end(),
                   [](const VerifyProblem& a, const VerifyProblem& b) { return a.seq < b.seq; });
  return result;
}

}  // namespace cofin
