#!/bin/sh
# Usage: tests/hostile/no-network.sh [COFIN]      (COFIN: the binary, default build/cofin)
#
# Proves that no XML input makes cofin touch the network or read a file it was not given
# (issue #7): runs `cofin check`, `cofin check --job` and `cofin run` under
#   strace -f -e trace=network,openat,open,creat,execve
# over every XML file of the repository's fixtures, job and rule sets, the fuzz regressions, and
# XXE / XInclude / schemaLocation documents generated here that point at a canary file and at a
# local URL, and fails when the trace shows
#   - any network system call (socket, connect, sendto, ...; sendfile, which strace counts as
#     network, is the quarantine's file copy and allowed),
#   - any open of a path other than: the inputs, the job's rule sets, registry and rates, the run's
#     own directory (ledger, logs, archive, quarantine, reports), system libraries and
#     configuration (/etc/ld.so.cache, /lib, /usr/lib, /etc/localtime, /dev/urandom, /proc/self,
#     /proc/sys/vm/overcommit_memory: glibc's malloc reads it before shrinking a thread's heap),
#     and freshly created temporary files (O_CREAT|O_EXCL under /tmp: libxlsxwriter's),
#   - any program started besides cofin itself,
#   - the canary's path anywhere in the trace.
# Needs strace. Takes a few seconds; not part of ctest (strace needs ptrace rights that CI
# containers may lack); run it by hand or from CI where ptrace is allowed.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
cofin=${1:-$repo/build/cofin}
case $cofin in /*) ;; *) cofin=$PWD/$cofin ;; esac
if [ ! -x "$cofin" ]; then
  echo "no cofin binary at $cofin (build first, or pass its path)" >&2
  exit 2
fi
command -v strace > /dev/null || { echo "strace is not installed" >&2; exit 2; }

work=$(mktemp -d)
canary_dir=$(mktemp -d)
trap 'rm -rf "$work" "$canary_dir"' EXIT
canary=$canary_dir/canary-secret.txt
echo "CANARY-5e1f" > "$canary"

# Generated hostile documents that name the canary and a local URL.
gen=$work/generated
mkdir -p "$gen"
head='<partner-report xmlns="urn:cofin:report:1"><project>P</project><partner>1</partner><report>1</report><period-start>2024-01-01</period-start><period-end>2024-06-30</period-end><submitted-on>2024-07-01</submitted-on>'
line='<line line="1" category="external" declared="1.00" currency="EUR" description="x"/>'
printf '<!DOCTYPE partner-report [<!ENTITY s SYSTEM "file://%s">]>%s%s<x>&s;</x></partner-report>' "$canary" "$head" "$line" > "$gen/xxe-canary.xml"
printf '<!DOCTYPE partner-report [<!ENTITY %% p SYSTEM "file://%s"> %%p;]>%s%s</partner-report>' "$canary" "$head" "$line" > "$gen/xxe-parameter-canary.xml"
printf '<!DOCTYPE partner-report SYSTEM "http://127.0.0.1:9/evil.dtd">%s%s</partner-report>' "$head" "$line" > "$gen/external-dtd-url.xml"
printf '%s%s<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://%s" parse="text"/></partner-report>' "$head" "$line" "$canary" > "$gen/xinclude-canary.xml"
printf '<partner-report xmlns="urn:cofin:report:1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:cofin:report:1 file://%s">%s</partner-report>' "$canary" "$line" > "$gen/schema-location-canary.xml"
printf '<partner-report xmlns="urn:cofin:report:1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://127.0.0.1:9/r.xsd">%s</partner-report>' "$line" > "$gen/schema-location-url.xml"
printf '<?xml-stylesheet type="text/xsl" href="http://127.0.0.1:9/evil.xsl"?>%s%s</partner-report>' "$head" "$line" > "$gen/stylesheet-url.xml"

inputs=$work/inputs.txt
{
  cd "$repo"
  find fixtures jobs tests/fuzz/regressions -name '*.xml' -type f | sed "s|^|$repo/|"
  find "$gen" -name '*.xml' -type f
} | sort > "$inputs"
count=$(wc -l < "$inputs")

# Fails unless the log shows cofin opening `path`: a trace that recorded nothing (no ptrace
# rights, strace missing a syscall) must not pass for a clean one.
saw_open() {
  if ! grep -q "open[a-z]*(.*\"$2\"" "$1"; then
    echo "no-network: the trace $1 does not show $2 being opened: is strace working?" >&2
    exit 1
  fi
}

# Checks one strace log; `allowed` holds the exact paths and path prefixes (ending in /) that may
# be opened besides the system's.
verify() {
  log=$1
  allowed=$2
  awk -v allowed="$allowed" -v canary="$canary" -v cofin="$cofin" '
    BEGIN {
      n = split(allowed, a, "\n")
      for (i = 1; i <= n; i++) if (a[i] != "") ok[a[i]] = 1
      bad = 0
    }
    function allowed_path(p, line,   k, prefix) {
      if (p in ok) return 1
      if (p ~ /^\/(lib|lib64|usr\/lib)\//) return 1
      if (p == "/etc/ld.so.cache" || p == "/etc/localtime" || p == "/dev/urandom") return 1
      if (p == "/proc/sys/vm/overcommit_memory") return 1
      if (p ~ /^\/proc\/self\// || p ~ /^\/sys\/devices\/system\/cpu/) return 1
      if (p ~ /^\/tmp\/[^\/]*$/ && line ~ /O_CREAT/ && line ~ /O_EXCL/) return 1
      for (k in ok) if (k ~ /\/$/ && index(p, k) == 1) return 1
      return 0
    }
    index($0, canary) { print "canary named: " $0; bad = 1; next }
    / (openat|open|creat)\(/ {
      match($0, /"[^"]*"/)
      p = substr($0, RSTART + 1, RLENGTH - 2)
      if (!allowed_path(p, $0)) { print "unexpected open: " $0; bad = 1 }
      next
    }
    / execve\(/ {
      match($0, /"[^"]*"/)
      if (substr($0, RSTART + 1, RLENGTH - 2) != cofin) { print "program started: " $0; bad = 1 }
      next
    }
    / sendfile\(/ || /\+\+\+ / || /--- SIG/ || /<unfinished|resumed>/ { next }
    /[a-z_0-9]+\(/ { print "network call: " $0; bad = 1 }
    END { exit bad }
  ' "$log"
}

failed=0

# The checker itself must catch what it is for: a connect, a read of /etc/passwd, the canary.
for bad in '4242  connect(3, {sa_family=AF_INET, sin_port=htons(9)}, 16) = -1 ECONNREFUSED' \
           '4242  openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3' \
           "4242  openat(AT_FDCWD, \"$canary\", O_RDONLY) = -1 ENOENT" \
           '4242  execve("/bin/sh", ["sh"], 0x0 /* 1 var */) = 0'; do
  printf '%s\n' "$bad" > "$work/selftest.log"
  if verify "$work/selftest.log" "" > /dev/null; then
    echo "no-network: the trace checker missed: $bad" >&2
    exit 1
  fi
done

# 1. cofin check on every XML input (one process: one trace).
allowed=$(cat "$inputs")
# shellcheck disable=SC2046
strace -f -qq -e trace=network,openat,open,creat,execve -o "$work/check.log" \
  "$cofin" check $(cat "$inputs") > "$work/check.out" 2>&1 || true
saw_open "$work/check.log" "$(tail -n 1 "$inputs")"
verify "$work/check.log" "$allowed" || failed=1

# 2. cofin check --job: the job's rule sets, registry and rates may be read too.
job_refs=$(cd "$repo" && printf '%s\n' "$repo/jobs/demo.xml" "$repo"/jobs/programmes/*.xml \
  "$repo/fixtures/demo/registry.xml" "$repo/fixtures/demo/rates-sek-2024.csv")
# shellcheck disable=SC2046
(cd "$repo" && strace -f -qq -e trace=network,openat,open,creat,execve -o "$work/check-job.log" \
  "$cofin" check --job jobs/demo.xml $(cat "$inputs") > "$work/check-job.out" 2>&1) || true
saw_open "$work/check-job.log" "$repo/fixtures/demo/registry.xml"
verify "$work/check-job.log" "$allowed
$job_refs
jobs/demo.xml" || failed=1

# 3. cofin run over an inbox holding every XML input.
run=$work/run
mkdir -p "$run/inbox"
k=0
while read -r f; do
  k=$((k + 1))
  cp "$f" "$run/inbox/$k-$(basename "$f")"
done < "$inputs"
cat > "$run/job.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<job xmlns="urn:cofin:job:1">
  <name>no-network</name>
  <inbox dir="inbox" mode="move" settle-seconds="0"/>
  <archive dir="archive"/>
  <quarantine dir="quarantine"/>
  <programme file="$repo/jobs/programmes/central-baltic-2021-2027.xml"/>
  <programme file="$repo/jobs/programmes/baltic-sea-region-2014-2020.xml"/>
  <registry file="$repo/fixtures/demo/registry.xml"/>
  <rates file="$repo/fixtures/demo/rates-sek-2024.csv"/>
  <ledger>sqlite:var/ledger.sqlite</ledger>
  <output dir="reports"/>
</job>
EOF
(cd "$run" && strace -f -qq -e trace=network,openat,open,creat,execve -o "$work/run.log" \
  "$cofin" run job.xml --as-of 2025-03-01 > "$work/run.out" 2>&1) || true
saw_open "$work/run.log" "$repo/fixtures/demo/registry.xml"
verify "$work/run.log" "$job_refs
$run/" || failed=1
if [ ! -d "$run/quarantine" ] || [ -z "$(ls "$run/quarantine")" ]; then
  echo "cofin run quarantined nothing: the run did not get through the inputs" >&2
  cat "$work/run.out" >&2
  failed=1
fi

if [ "$failed" -ne 0 ]; then
  echo "no-network: FAILED" >&2
  exit 1
fi
echo "no-network: $count XML inputs through check, check --job and run: no network call, no file" \
  "opened beyond inputs, job files, the run's own directory and system libraries"
