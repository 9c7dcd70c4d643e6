#!/usr/bin/env python3
"""Compare dudao's JSON report with the DuckDB mirror of the rules.

    python3 bench/compare.py DUDAO.json DUCKDB.json [--quiet]

For every rule the SQL side covers, the set of failing entities must be the
same on both sides: dudao's `findings[]` with `outcome == "fail"`, keyed by
`entity.key` (rows), `entity.value` (groups, e.g. a township) or the year
(district-wide and year-over-year checks). The not-evaluable entities and the
number of checks (`rules[].checked`, what the `when` filter lets through) are
compared too. Prints one line per rule (✓/✗ and the counts) and exits 1 on any
mismatch, 2 on unusable input.
"""

import json
import sys
import unicodedata


def width(s):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def pad(s, n):
    return s + " " * max(0, n - width(s))


def entity_key(f):
    e = f["entity"]
    if e["kind"] == "row":
        return e["key"]
    if e["kind"] == "group":
        return e["value"]
    return str(f["year"])


def load_dudao(path):
    with open(path, encoding="utf-8") as fh:
        d = json.load(fh)
    rules = {}
    for r in d["rules"]:
        rules[r["id"]] = {"checked": r["checked"], "fail": set(), "not_evaluable": set(),
                          "skipped": r["skipped"]}
    for f in d["findings"]:
        rules[f["rule"]]["fail" if f["outcome"] == "fail" else "not_evaluable"].add(entity_key(f))
    return d, rules


def load_sql(path):
    with open(path, encoding="utf-8") as fh:
        d = json.load(fh)
    rules = {}
    for r in d["rules"]:
        rules[r["id"]] = {"checked": r["checked"], "fail": set(map(str, r["fail"])),
                          "not_evaluable": set(map(str, r["not_evaluable"])), "skipped": r["skipped"]}
    return d, rules


def sample(keys, n=5):
    keys = sorted(keys)
    more = f" … (+{len(keys) - n})" if len(keys) > n else ""
    return ", ".join(keys[:n]) + more


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    quiet = "--quiet" in sys.argv
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        dd, dudao = load_dudao(args[0])
        sd, sql = load_sql(args[1])
    except (OSError, ValueError, KeyError) as e:
        print(f"compare: cannot read the reports: {e}", file=sys.stderr)
        return 2

    bad = 0
    lines = []
    w = max(width(r) for r in list(dudao) + list(sql)) + 1
    lines.append(f"  {pad('rule', w)} {'checked':>17}  {'failed':>13}  {'not evaluable':>13}")
    lines.append(f"  {pad('', w)} {'dudao / duckdb':>17}  {'dudao/duckdb':>13}  {'dudao/duckdb':>13}")
    for rid, s in sql.items():
        d = dudao.get(rid)
        if d is None:
            bad += 1
            lines.append(f"✗ {pad(rid, w)} not in dudao's report")
            continue
        ok_fail = d["fail"] == s["fail"]
        ok_ne = d["not_evaluable"] == s["not_evaluable"]
        ok_checked = d["checked"] == s["checked"]
        ok = ok_fail and ok_ne and ok_checked
        bad += not ok
        mark = "✓" if ok else "✗"
        lines.append(f"{mark} {pad(rid, w)} {d['checked']:>8}/{s['checked']:<8} "
                     f"{len(d['fail']):>6}/{len(s['fail']):<6} {len(d['not_evaluable']):>6}/{len(s['not_evaluable']):<6}")
        if not ok_fail:
            if d["fail"] - s["fail"]:
                lines.append(f"    failing in dudao only:  {sample(d['fail'] - s['fail'])}")
            if s["fail"] - d["fail"]:
                lines.append(f"    failing in duckdb only: {sample(s['fail'] - d['fail'])}")
        if not ok_ne:
            if d["not_evaluable"] - s["not_evaluable"]:
                lines.append(f"    not evaluable in dudao only:  {sample(d['not_evaluable'] - s['not_evaluable'])}")
            if s["not_evaluable"] - d["not_evaluable"]:
                lines.append(f"    not evaluable in duckdb only: {sample(s['not_evaluable'] - d['not_evaluable'])}")
        if not ok_checked:
            lines.append(f"    checks differ: dudao {d['checked']}, duckdb {s['checked']}")
    uncovered = [r for r in dudao if r not in sql]
    total_fail = sum(len(r["fail"]) for r in sql.values())
    summary = (f"{len(sql) - bad}/{len(sql)} rules agree ({len(dudao)} rules in dudao's report; "
               f"{total_fail} failing entities on the SQL side)")
    if uncovered:
        summary += f"; not covered by the SQL: {', '.join(uncovered)}"
    if quiet and not bad:
        print(f"compare: {summary}")
    else:
        print("\n".join(lines))
        print(f"compare: {summary}")
    if bad:
        print(f"compare: {bad} rule(s) disagree", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
