# SPDX-License-Identifier: MIT
"""Print pa-bench result lines ("result NAME key=value ...") as tables.

usage: table.py FILE...   (or standard input)

Peers are the results named NAME-mimalloc and NAME-glibc.  The project's
performance targets are shown with "met", "MISSED", or "not
measured" for a skipped or missing benchmark; a skipped benchmark never
counts as met.  The targets are reported, not enforced: the exit status is
0 unless a benchmark failed.
"""
import sys

PEERS = ("mimalloc", "glibc")


def parse(lines):
    res = {}
    for line in lines:
        words = line.split()
        if len(words) < 2 or words[0] != "result":
            continue
        kv = res.setdefault(words[1], {})
        for w in words[2:]:
            k, _, v = w.partition("=")
            kv[k] = v
    return res


def num(r, key):
    try:
        return float(r[key])
    except (KeyError, TypeError, ValueError):
        return None


class Targets:
    def __init__(self):
        self.rows = []

    def check(self, what, value, op, limit, unit):
        if value is None:
            status = "not measured"
        elif (value < limit) if op == "<" else (value <= limit) if op == "<=" else (value >= limit):
            status = "met"
        else:
            status = "MISSED"
        shown = "-" if value is None else "%.3g%s" % (value, unit)
        self.rows.append((what, "%s %g%s" % (op, limit, unit), shown, status))

    def print(self):
        if not self.rows:
            return
        print("\nTargets (reported, not enforced)")
        w = max(len(r[0]) for r in self.rows)
        for what, target, value, status in self.rows:
            print("  %-*s  %-12s  %-10s  %s" % (w, what, target, value, status))
        count = {s: sum(1 for r in self.rows if r[3] == s) for s in ("met", "MISSED", "not measured")}
        print("  targets: %d met, %d missed, %d not measured" % (
            count["met"], count["MISSED"], count["not measured"]))


def fmt(r, key, unit):
    if r is None:
        return "-"
    if r.get("skipped") == "1":
        return "skipped"
    if r.get("failed") == "1":
        return "FAILED"
    v = num(r, key)
    return "-" if v is None else "%.2f%s" % (v, unit)


def base_names(res, key):
    out = []
    for name, r in res.items():
        if any(name.endswith("-" + p) for p in PEERS) and name.rsplit("-", 1)[0] in res:
            continue
        if key in r or r.get("skipped") == "1" or r.get("failed") == "1":
            out.append(name)
    return out


def peer_table(res, names, key, unit, title):
    if not names:
        return
    print(title)
    print("  %-16s %14s %14s %14s" % ("benchmark", "pagealloc", "mimalloc", "glibc"))
    for name in names:
        r = res[name]
        cols = [fmt(r, key, unit)] + [fmt(res.get(name + "-" + p), key, unit) for p in PEERS]
        print("  %-16s %14s %14s %14s" % (name, *cols))


def main(argv):
    lines = []
    if len(argv) > 1:
        for path in argv[1:]:
            with open(path) as f:
                lines += f.readlines()
    else:
        lines = sys.stdin.readlines()
    res = parse(lines)
    t = Targets()
    inits = [n for n in res if n.startswith("init-")]
    skipped = [(n, r.get("reason", "?")) for n, r in res.items() if r.get("skipped") == "1"]
    failed = [n for n, r in res.items() if r.get("failed") == "1"]

    instr = [n for n in base_names(res, "instr_per_op") if not n.startswith("init")]
    if any("instr_per_op" in r for r in res.values()):
        peer_table(res, instr, "instr_per_op", "", "Instructions per operation (callgrind, N2 - N1)")
        t.check("pcp-pair instructions/pair", num(res.get("pcp-pair", {}), "instr_per_op"), "<=", 100, "")
        t.check("buddy-pair instructions/pair", num(res.get("buddy-pair", {}), "instr_per_op"), "<", 250, "")
        t.print()
        return 1 if failed else 0

    timed = [n for n in base_names(res, "ns_per_op") if not n.startswith("threads")]
    peer_table(res, timed, "ns_per_op", " ns",
               "Time per operation (best of the rounds; pairs: alloc+free, exhaust-free: per page)")
    threads = [n for n in base_names(res, "speedup") if n.startswith("threads") and n != "threads-spin"]
    if threads:
        print()
        peer_table(res, threads, "speedup", "x", "Two-thread speedup over one thread")
        spin = res.get("threads-spin")
        if spin:
            print("  %-16s %14s   (arithmetic only: what this machine gives two threads)" % (
                "threads-spin", fmt(spin, "speedup", "x")))
    if inits:
        print("\npa_init() per GiB of managed memory (warm: memory resident; cold: first touch)")
        print("  %-16s %12s %12s %12s %10s" % ("machine", "ms/GiB", "CPU ms/GiB", "cold ms/GiB", "metadata"))
        for n in sorted(inits, key=lambda n: num(res[n], "managed_gib") or 0):
            r = res[n]
            print("  %-16s %12s %12s %12s %10s" % (
                n, fmt(r, "ms_per_gib", ""), fmt(r, "cpu_ms_per_gib", ""), fmt(r, "cold_ms_per_gib", ""),
                fmt(r, "metadata_pct", "%")))
    if skipped:
        print("\nNot measured: " + ", ".join("%s (%s)" % s for s in skipped))
    if failed:
        print("\nFAILED: " + ", ".join(failed))

    pcp = res.get("pcp-pair", {})
    t.check("pcp-pair ns/pair", num(pcp, "ns_per_op"), "<", 15, " ns")
    o3, o9 = num(res.get("order3-pair", {}), "ns_per_op"), num(res.get("order9-pair", {}), "ns_per_op")
    t.check("order9-pair / order3-pair", o9 / o3 if o3 and o9 is not None else None, "<=", 3, "x")
    t.check("threads speedup", num(res.get("threads", {}), "speedup"), ">=", 1.8, "x")
    for n in sorted(inits, key=lambda n: num(res[n], "managed_gib") or 0):
        t.check(n + " ms/GiB", num(res[n], "ms_per_gib"), "<", 1, "")
    for n in sorted(inits, key=lambda n: num(res[n], "managed_gib") or 0):
        t.check(n + " metadata", num(res[n], "metadata_pct"), "<=", 0.8, "%")
    if not inits:
        t.check("init ms/GiB", None, "<", 1, "")
    t.print()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
