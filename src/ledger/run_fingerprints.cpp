#include "ledger/run_fingerprints.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <queue>
#include <stdexcept>
#include <string_view>

#include "ledger/ledger.h"

namespace cofin {

namespace {

static_assert(sizeof(Digest) == 32, "a vector of fingerprints is contiguous bytes");

// What the merge may hold in read blocks, all chunks together.
constexpr std::size_t kMergeBytes = std::size_t{1} << 20;
// Fingerprints per read block: no fewer (a read per 4 KiB), no more (a read per 256 KiB).
constexpr std::size_t kMinBlock = 128;
constexpr std::size_t kMaxBlock = 8192;

// FNV-1a over 64-bit words: guards the scratch file against damage (a flipped or lost byte),
// not against an attacker; the chunks only feed a digest computed in this process.
constexpr std::uint64_t kChecksumSeed = 0xcbf29ce484222325ULL;
void mix(std::uint64_t& checksum, const Digest& fingerprint) {
  for (std::size_t at = 0; at < fingerprint.size(); at += sizeof(std::uint64_t)) {
    std::uint64_t word = 0;
    std::memcpy(&word, fingerprint.data() + at, sizeof word);
    checksum = (checksum ^ word) * 0x100000001b3ULL;
  }
}

void sort_distinct(std::vector<Digest>& fingerprints) {
  std::sort(fingerprints.begin(), fingerprints.end());
  fingerprints.erase(std::unique(fingerprints.begin(), fingerprints.end()), fingerprints.end());
}

std::string_view bytes_of(const std::vector<Digest>& fingerprints) {
  return {reinterpret_cast<const char*>(fingerprints.data()), fingerprints.size() * sizeof(Digest)};
}

[[noreturn]] void damaged(const char* what) {
  throw LedgerError(std::string("ledger: the run's finding fingerprints came back from the scratch "
                                "file damaged (") +
                    what + ")");
}

// One sorted source of the merge: a chunk read block by block, or the buffer held whole.
class Cursor {
 public:
  // The buffer's fingerprints, sorted and distinct.
  explicit Cursor(std::vector<Digest> held) : block_(std::move(held)) {}
  Cursor(const ScratchFile& file, std::uint64_t offset, std::size_t count, std::uint64_t checksum,
         std::size_t block_size)
      : file_(&file),
        offset_(offset),
        count_(count),
        expected_checksum_(checksum),
        block_size_(block_size) {
    refill();
  }

  bool done() const { return at_ == block_.size(); }
  const Digest& head() const { return block_[at_]; }

  // Moves past head(). Throws LedgerError when a chunk is not ascending or not as written.
  void advance() {
    const Digest previous = head();
    if (++at_ == block_.size()) refill();
    if (!done() && !(previous < head())) damaged("out of order");
  }

 private:
  void refill() {
    block_.clear();
    at_ = 0;
    if (file_ == nullptr || read_ == count_) return;
    const std::size_t n = std::min(block_size_, count_ - read_);
    block_.resize(n);
    file_->read_at(offset_ + read_ * sizeof(Digest), reinterpret_cast<char*>(block_.data()),
                   n * sizeof(Digest));
    for (const Digest& fingerprint : block_) mix(checksum_, fingerprint);
    read_ += n;
    if (read_ == count_ && checksum_ != expected_checksum_) damaged("checksum");
  }

  const ScratchFile* file_ = nullptr;  // null for the held buffer
  std::uint64_t offset_ = 0;
  std::size_t count_ = 0;
  std::size_t read_ = 0;
  std::uint64_t expected_checksum_ = 0;
  std::uint64_t checksum_ = kChecksumSeed;
  std::size_t block_size_ = 0;
  std::vector<Digest> block_;
  std::size_t at_ = 0;
};

}  // namespace

RunFingerprints::RunFingerprints(std::filesystem::path dir, std::size_t buffer_capacity)
    : dir_(std::move(dir)), buffer_capacity_(std::max<std::size_t>(buffer_capacity, 1)) {}

void RunFingerprints::add(const Digest& fingerprint) {
  buffer_.push_back(fingerprint);
  if (buffer_.size() < buffer_capacity_) return;
  try {
    flush();
  } catch (...) {
    buffer_.pop_back();  // as if never noted: the caller's transaction rolls back
    throw;               // rethrown unchanged: the caller maps it to an exit code
  }
}

RunFingerprints::Mark RunFingerprints::mark() {
  latest_ = Mark{++generation_, chunks_.size(), buffer_.size()};
  return latest_;
}

void RunFingerprints::roll_back_to(const Mark& mark) {
  if (mark.generation != generation_ || generation_ == 0) {
    throw std::logic_error("RunFingerprints: rolling back to a mark that is not the latest");
  }
  if (chunks_.size() == mark.chunks) {  // nothing written since: the buffer holds it all
    buffer_.resize(std::min(buffer_.size(), mark.buffered));
    return;
  }
  // Written since: the first flush after the mark wrote what was buffered before it as a chunk
  // of its own (flush()), which stays; everything after it goes.
  chunks_.resize(mark.chunks + (mark.buffered > 0 ? 1 : 0));
  buffer_.clear();
}

void RunFingerprints::flush() {
  if (!file_) file_ = std::make_unique<ScratchFile>(dir_);
  const std::uint64_t end =
      chunks_.empty() ? 0 : chunks_.back().offset + chunks_.back().count * sizeof(Digest);
  // Split at the latest mark when it lies inside this buffer: the part before it is then a
  // chunk of its own, what roll_back_to keeps. (A mark is taken with the buffer not full, so
  // the part after it is never empty.)
  const bool split = generation_ > 0 && latest_.chunks == chunks_.size() && latest_.buffered > 0;
  const auto middle =
      buffer_.begin() + static_cast<std::ptrdiff_t>(split ? latest_.buffered : std::size_t{0});
  std::vector<Chunk> written;
  if (split) written.push_back(write_chunk({buffer_.begin(), middle}, end));
  const std::uint64_t rest_at =
      written.empty() ? end : written.back().offset + written.back().count * sizeof(Digest);
  written.push_back(write_chunk({middle, buffer_.end()}, rest_at));
  // Only now, every write done: a failed one leaves the chunks and the buffer as they were.
  chunks_.insert(chunks_.end(), written.begin(), written.end());
  buffer_.clear();
}

RunFingerprints::Chunk RunFingerprints::write_chunk(std::vector<Digest> fingerprints,
                                                    std::uint64_t offset) {
  sort_distinct(fingerprints);
  std::uint64_t checksum = kChecksumSeed;
  for (const Digest& fingerprint : fingerprints) mix(checksum, fingerprint);
  file_->write_at(offset, bytes_of(fingerprints));
  return Chunk{offset, fingerprints.size(), checksum};
}

std::pair<std::int64_t, Digest> RunFingerprints::digest() const {
  std::vector<Cursor> cursors;
  cursors.reserve(chunks_.size() + 1);
  if (!chunks_.empty()) {
    const std::size_t block =
        std::clamp(kMergeBytes / sizeof(Digest) / chunks_.size(), kMinBlock, kMaxBlock);
    std::transform(chunks_.begin(), chunks_.end(), std::back_inserter(cursors),
                   [this, block](const Chunk& chunk) {
                     return Cursor(*file_, chunk.offset, chunk.count, chunk.checksum, block);
                   });
  }
  std::vector<Digest> held = buffer_;  // a copy: the buffer's order is what a roll back keeps
  sort_distinct(held);
  cursors.emplace_back(std::move(held));

  // A k-way merge, hashing as it goes: the smallest head first, repeats (across chunks and
  // buffer) once.
  const auto later = [&cursors](std::size_t a, std::size_t b) {
    return cursors[b].head() < cursors[a].head();
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> heads(later);
  for (std::size_t k = 0; k < cursors.size(); ++k) {
    if (!cursors[k].done()) heads.push(k);
  }
  Sha256Stream hash;
  std::int64_t count = 0;
  Digest last{};
  while (!heads.empty()) {
    const std::size_t k = heads.top();
    heads.pop();
    const Digest& head = cursors[k].head();
    if (count == 0 || head != last) {
      hash.update(std::string_view(reinterpret_cast<const char*>(head.data()), head.size()));
      last = head;
      ++count;
    }
    cursors[k].advance();
    if (!cursors[k].done()) heads.push(k);
  }
  return {count, hash.finish()};
}

}  // namespace cofin
