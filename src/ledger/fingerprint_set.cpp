#include "ledger/fingerprint_set.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string_view>

namespace cofin {

namespace {

// Returns SHA-256 over `sorted` as contiguous bytes. REQUIRES: ascending, no repeats.
Digest digest_of_sorted(const std::vector<Digest>& sorted) {
  // Digest is std::array<unsigned char, 32>: a vector of them is contiguous bytes.
  static_assert(sizeof(Digest) == 32);
  return sha256(std::string_view(reinterpret_cast<const char*>(sorted.data()),
                                 sorted.size() * sizeof(Digest)));
}

}  // namespace

FingerprintSet::FingerprintSet(std::vector<Digest> sorted) : loaded_(std::move(sorted)) {}

std::optional<std::size_t> FingerprintSet::loaded_index(const Digest& fingerprint) const {
  const auto it = std::lower_bound(loaded_.begin(), loaded_.end(), fingerprint);
  if (it == loaded_.end() || *it != fingerprint) return std::nullopt;
  return static_cast<std::size_t>(it - loaded_.begin());
}

void RunFingerprints::add_loaded(std::size_t index, std::size_t loaded_size) {
  if (marks_.size() != loaded_size) marks_.resize(loaded_size, 0);
  if (marks_[index] != 0) return;
  marks_[index] = 1;
  marked_order_.push_back(static_cast<std::uint32_t>(index));
}

void RunFingerprints::roll_back_to(const Mark& mark) {
  for (std::size_t i = mark.marked; i < marked_order_.size(); ++i) marks_[marked_order_[i]] = 0;
  marked_order_.resize(std::min(marked_order_.size(), mark.marked));
  others_.resize(std::min(others_.size(), mark.others));
}

std::pair<std::int64_t, Digest> RunFingerprints::digest(const std::vector<Digest>& loaded) const {
  // Hashed as merged, not merged into a copy of the run's set: at 5M lines a first night notes
  // 2M new fingerprints (64 MB each time they are held).
  // Sorted as positions (4 bytes each), not as a copy of the fingerprints.
  if (others_.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("RunFingerprints: too many fingerprints");
  }
  std::vector<std::uint32_t> order(others_.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = static_cast<std::uint32_t>(k);
  std::sort(order.begin(), order.end(),
            [this](std::uint32_t a, std::uint32_t b) { return others_[a] < others_[b]; });
  order.erase(
      std::unique(order.begin(), order.end(),
                  [this](std::uint32_t a, std::uint32_t b) { return others_[a] == others_[b]; }),
      order.end());
  // Merge the marked loaded ones (in order already) with the others (none of them is loaded),
  // hashing as they come.
  Sha256Stream hash;
  std::int64_t count = 0;
  auto add = [&](const Digest& d) {
    hash.update(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
    ++count;
  };
  auto other = order.begin();
  for (std::size_t i = 0; i < marks_.size(); ++i) {
    if (marks_[i] == 0) continue;
    for (; other != order.end() && others_[*other] < loaded[i]; ++other) add(others_[*other]);
    add(loaded[i]);
  }
  for (; other != order.end(); ++other) add(others_[*other]);
  return {count, hash.finish()};
}

Digest fingerprint_set_digest(std::vector<Digest>& fingerprints) {
  std::sort(fingerprints.begin(), fingerprints.end());
  fingerprints.erase(std::unique(fingerprints.begin(), fingerprints.end()), fingerprints.end());
  return digest_of_sorted(fingerprints);
}

}  // namespace cofin
