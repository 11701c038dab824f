#!/bin/sh
# Rewrites tests/golden/bad-corpus.txt from the current binary. Review the diff before committing:
# a changed line is a changed message that scripts and controllers may rely on.
set -eu
cd "$(dirname "$0")/../.."
cofin=${COFIN:-build/cofin}
{
  echo "# Golden output of \`cofin check FILE\` (no --job) for every bad fixture: each block is"
  echo "# '== FILE' then the exact lines cofin prints on stdout. Every file must exit 1."
  echo "# Regenerate with tests/golden/update-bad-corpus.sh after a deliberate message change."
  for f in fixtures/csv/bad/* fixtures/xml/bad/*; do
    echo "== $f"
    "$cofin" check "$f" 2>/dev/null || true
  done
} > tests/golden/bad-corpus.txt
