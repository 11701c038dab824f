#!/bin/sh
# Usage: tests/fuzz/inputs.sh TARGET
# Prints, one per line and relative to the repository root, every input file of TARGET: its
# seeds from the fixtures (tests/fuzz/seeds.txt), then tests/fuzz/corpus/TARGET and
# tests/fuzz/regressions/TARGET.
set -eu
target=$1
cd "$(dirname "$0")/../.."
grep -v '^#' tests/fuzz/seeds.txt | while read -r name dir pattern; do
  [ "$name" = "$target" ] && [ -d "$dir" ] || continue
  find "$dir" -maxdepth 1 -type f -name "$pattern" | sort
done
for dir in tests/fuzz/corpus/"$target" tests/fuzz/regressions/"$target"; do
  [ -d "$dir" ] && find "$dir" -type f ! -name 'README*' | sort
done
exit 0
