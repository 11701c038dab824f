#!/usr/bin/python3
"""Crash-safety harness for `cofin run` (issue #5).

A trial copies a prepared workload into a fresh job, runs `cofin run` and kills it -- either
with the environment hook COFIN_CRASH_AT=K (SIGKILL right after the K-th durable step: commit,
fsync, rename) or with `kill -9` after a random delay -- then reruns the job once, normally,
and checks the oracle:
  (i)   PRAGMA integrity_check = ok;
  (ii)  every input is in exactly one final place (archive, archive/duplicates, quarantine;
        the inbox is empty) and has exactly one ledger state (one document row per hash, one
        duplicate row per extra copy), no move left pending, no run left unrecovered;
  (iii) no duplicate reports, lines or computed amounts;
  (iv)  the ledger's lines and latest amounts equal a recomputation from the archived
        originals (a fresh keep-mode job over copies of them);
  (v)   `cofin audit verify` reports OK.

Usage:
  crash.py prepare DIR [--large LINES]     build a workload in DIR (demo inbox + duplicates +
                                           rejected files; --large adds 3 reports of LINES lines)
  crash.py steps DIR                       number of durable steps of an uninterrupted run
  crash.py trial DIR K                     kill after durable step K, rerun, check
  crash.py trial DIR random:SECONDS        kill -9 after a random delay up to SECONDS, rerun, check
Environment: COFIN_BINARY (default build/cofin), COFIN_SOURCE_DIR (default: the repository).
Exit code 0 when the oracle holds, 1 with the violations printed otherwise.
"""
import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

REPO = os.environ.get("COFIN_SOURCE_DIR",
                      os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
COFIN = os.environ.get("COFIN_BINARY", os.path.join(REPO, "build", "cofin"))
AS_OF = "2025-03-31"


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def job_xml(inbox, mode):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<job xmlns="urn:cofin:job:1">
  <name>crash</name>
  <inbox dir="{inbox}" mode="{mode}" settle-seconds="0"/>
  <archive dir="archive"/>
  <quarantine dir="quarantine"/>
  <programme file="{REPO}/jobs/programmes/central-baltic-2021-2027.xml"/>
  <programme file="{REPO}/jobs/programmes/baltic-sea-region-2014-2020.xml"/>
  <registry file="{REPO}/fixtures/demo/registry.xml"/>
  <rates file="{REPO}/fixtures/demo/rates-sek-2024.csv"/>
  <ledger>sqlite:var/ledger.sqlite</ledger>
  <output dir="reports"/>
  <encoding pattern="*-1257.csv" charset="windows-1257"/>
</job>
"""


HEADER = ("project,partner,report,period-start,period-end,submitted-on,line,category,unit-cost,"
          "units,internal-ref,invoice-no,invoice-date,payment-date,supplier,supplier-id,"
          "procurement-ref,description,invoice-total,vat,declared,currency,reincluded-from\n")


def large_report(path, partner, lines):
    rng = random.Random(partner)
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER)
        for n in range(1, lines + 1):
            cents = rng.randint(100, 500000)
            amount = f"{cents // 100}.{cents % 100:02d}"
            f.write(f"CB0100123,{partner},2,2024-07-01,2024-12-31,2025-01-15,{n},external,,,"
                    f"R-{n},INV-{partner}-{n},2024-08-{1 + n % 28:02d},2024-09-{1 + n % 28:02d},"
                    f"Supplier {n % 97},LV{40000000000 + n % 97},,Service {n},{amount},0.00,"
                    f"{amount},EUR,\n")


def prepare(directory, large):
    pristine = os.path.join(directory, "pristine")
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(pristine)
    demo = os.path.join(REPO, "fixtures", "demo", "inbox")
    for name in sorted(os.listdir(demo)):
        shutil.copy(os.path.join(demo, name), pristine)
    shutil.copy(os.path.join(demo, "lars-r1.xml"), os.path.join(pristine, "lars-r1-resent.xml"))
    shutil.copy(os.path.join(demo, "cb-events.xml"), os.path.join(pristine, "zz-events-again.xml"))
    with open(os.path.join(pristine, "broken.xml"), "w") as f:
        f.write('<partner-report xmlns="urn:cofin:report:1"><project>')
    with open(os.path.join(pristine, "unknown-project.csv"), "w") as f:
        f.write(HEADER + "NOPE,1,1,2024-01-01,2024-06-30,2024-07-15,1,external,,,,I-1,"
                "2024-02-01,2024-02-10,S,1,,x,10.00,0.00,10.00,EUR,\n")
    if large:
        for partner in (1, 2, 3):
            large_report(os.path.join(pristine, f"big-p{partner}-r2.csv"), partner, large)
            shutil.copy(os.path.join(pristine, f"big-p{partner}-r2.csv"),
                        os.path.join(pristine, f"big-p{partner}-r2-resent.csv"))
        for k in range(10):
            with open(os.path.join(pristine, f"junk-{k}.csv"), "w") as f:
                f.write(f"not,a,report\n{k}\n")
    print(f"prepared {len(os.listdir(pristine))} inputs in {pristine}")


def fresh_job(directory, work, mode="move"):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "inbox"))
    for name in os.listdir(os.path.join(directory, "pristine")):
        shutil.copy(os.path.join(directory, "pristine", name), os.path.join(work, "inbox"))
    with open(os.path.join(work, "job.xml"), "w") as f:
        f.write(job_xml("inbox", mode))


def run(work, env_extra=None, kill_after=None):
    env = dict(os.environ)
    env.pop("COFIN_CRASH_AT", None)
    env.update(env_extra or {})
    p = subprocess.Popen([COFIN, "run", "job.xml", "--as-of", AS_OF, "--quiet"], cwd=work,
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if kill_after is not None:
        try:
            out, err = p.communicate(timeout=kill_after)
        except subprocess.TimeoutExpired:
            p.send_signal(signal.SIGKILL)
            out, err = p.communicate()
    else:
        out, err = p.communicate()
    return p.returncode, err.decode("utf-8", "replace")


def steps(directory):
    work = os.path.join(directory, "steps")
    fresh_job(directory, work)
    env = dict(os.environ, COFIN_CRASH_TRACE="1")
    p = subprocess.run([COFIN, "run", "job.xml", "--as-of", AS_OF, "--quiet"], cwd=work, env=env,
                       capture_output=True, text=True)
    return sum(1 for line in p.stderr.splitlines() if line.startswith("durable step "))


def files_under(root):
    for base, _, names in os.walk(root):
        for name in names:
            yield os.path.join(base, name)


def latest_amounts(db):
    return sorted(db.execute(
        "SELECT project, partner, report, status, declared_cents, deducted_cents, parked_cents, "
        "eligible_cents, erdf_cents, state_cents, own_cents, erdf_due_cents, state_due_cents, "
        "erdf_paid_cents, state_paid_cents FROM report_amounts WHERE run_id = "
        "(SELECT max(run_id) FROM report_amounts)").fetchall())


def all_lines(db):
    return sorted(db.execute(
        "SELECT r.project, r.partner, r.report, l.line, l.declared_cents, l.rate_units_per_eur, "
        "l.eur_cents FROM lines l JOIN reports r ON r.document_seq = l.report_seq").fetchall())


def oracle(directory, work):
    bad = []
    pristine = os.path.join(directory, "pristine")
    inputs = {}
    for name in os.listdir(pristine):
        inputs.setdefault(sha(os.path.join(pristine, name)), []).append(name)
    db = sqlite3.connect(os.path.join(work, "var", "ledger.sqlite"))
    # (i)
    check = db.execute("PRAGMA integrity_check").fetchall()
    if check != [("ok",)]:
        bad.append(f"integrity_check: {check}")
    # (ii) places
    left = os.listdir(os.path.join(work, "inbox"))
    if left:
        bad.append(f"inbox not empty: {left}")
    placed = {}
    for root in ("archive", "quarantine"):
        for path in files_under(os.path.join(work, root)):
            if path.endswith(".reason.txt"):
                continue
            placed.setdefault(sha(path), []).append(os.path.relpath(path, work))
    for h, names in inputs.items():
        where = placed.get(h, [])
        if len(where) != len(names):
            bad.append(f"{names}: {len(names)} input(s) but {len(where)} final place(s): {where}")
    for h in placed:
        if h not in inputs:
            bad.append(f"unknown file(s) in final places: {placed[h]}")
    for path in files_under(os.path.join(work, "quarantine")):
        if not path.endswith(".reason.txt") and not os.path.exists(path + ".reason.txt"):
            bad.append(f"{path} has no reason file")
    # (ii) ledger states
    docs = dict(db.execute("SELECT sha256, count(*) FROM documents GROUP BY sha256").fetchall())
    dups = dict(db.execute("SELECT sha256, count(*) FROM duplicates GROUP BY sha256").fetchall())
    for h, names in inputs.items():
        if docs.get(h, 0) != 1:
            bad.append(f"{names}: {docs.get(h, 0)} document rows")
        if dups.get(h, 0) != len(names) - 1:
            bad.append(f"{names}: {dups.get(h, 0)} duplicate rows for {len(names) - 1} re-sends")
    pending = db.execute("SELECT count(*) FROM pending_moves WHERE done_by IS NULL").fetchone()[0]
    if pending:
        bad.append(f"{pending} moves still pending")
    open_runs = db.execute(
        "SELECT count(*) FROM runs WHERE finished = 0 AND recovered_by IS NULL").fetchone()[0]
    if open_runs:
        bad.append(f"{open_runs} runs neither finished nor recovered")
    # (iii)
    for table, key in (("reports", "project, partner, report"), ("lines", "report_seq, line"),
                       ("report_amounts", "run_id, project, partner, report"),
                       ("events", "id")):
        n = db.execute(f"SELECT count(*) FROM (SELECT {key} FROM {table} GROUP BY {key} "
                       "HAVING count(*) > 1)").fetchone()[0]
        if n:
            bad.append(f"{n} duplicated keys in {table}")
    # (iv) recomputation from the archived originals
    recompute = os.path.join(work, "recompute")
    shutil.rmtree(recompute, ignore_errors=True)
    os.makedirs(os.path.join(recompute, "inbox"))
    for name, stored in db.execute(
            "SELECT original_name, stored_path FROM documents WHERE status = 'accepted'"):
        if not os.path.isfile(stored):
            bad.append(f"accepted original {name} missing at {stored}")
            continue
        shutil.copy(stored, os.path.join(recompute, "inbox", name))
    with open(os.path.join(recompute, "job.xml"), "w") as f:
        f.write(job_xml("inbox", "keep"))
    code, err = run(recompute)
    if code != 0:
        bad.append(f"recomputation exited {code}: {err[-500:]}")
    else:
        fresh = sqlite3.connect(os.path.join(recompute, "var", "ledger.sqlite"))
        if latest_amounts(db) != latest_amounts(fresh):
            bad.append("ledger amounts differ from the recomputation from archived originals")
        if all_lines(db) != all_lines(fresh):
            bad.append("ledger lines differ from the recomputation from archived originals")
        fresh.close()
    db.close()
    # (v)
    p = subprocess.run([COFIN, "audit", "verify", "job.xml"], cwd=work, capture_output=True,
                       text=True)
    if p.returncode != 0:
        bad.append(f"audit verify exited {p.returncode}: {p.stdout.strip()} {p.stderr.strip()}")
    return bad


def trial(directory, point):
    work = os.path.join(directory, "work")
    fresh_job(directory, work)
    if point.startswith("random:"):
        delay = random.uniform(0, float(point.split(":")[1]))
        code, err = run(work, kill_after=delay)
        what = f"kill -9 after {delay:.3f} s"
    else:
        code, err = run(work, {"COFIN_CRASH_AT": point})
        what = f"kill after durable step {point}"
    killed = code == -signal.SIGKILL
    code2, err2 = run(work)
    bad = []
    if code2 not in (0, 1):
        bad.append(f"rerun exited {code2}: {err2[-800:]}")
    else:
        bad += oracle(directory, work)
    status = "killed" if killed else f"finished ({code})"
    if bad:
        print(f"FAIL {what} ({status}):")
        for b in bad:
            print("   ", b)
        return 1
    print(f"ok   {what} ({status})")
    return 0


def main(argv):
    if len(argv) >= 3 and argv[1] == "prepare":
        large = int(argv[4]) if len(argv) >= 5 and argv[3] == "--large" else 0
        prepare(argv[2], large)
        return 0
    if len(argv) == 3 and argv[1] == "steps":
        print(steps(argv[2]))
        return 0
    if len(argv) == 4 and argv[1] == "trial":
        return trial(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
