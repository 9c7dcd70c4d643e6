#!/usr/bin/env python3
"""Tables of the benchmark's measurements (used by bench/run.sh and bench/district.sh).

    python3 bench/report.py compare DIR DATA   # dudao vs DuckDB on one data set
    python3 bench/report.py district DIR DATA  # one district, rule-pack compile time
    python3 bench/report.py scaling DIR...     # rows, seconds and rows/s per data set

DIR holds what the scripts wrote: dudao.json / duckdb.json (the reports),
dudao.run*.json / duckdb.run*.json (bench/measure.py, one per run),
compare.status (the exit code of bench/compare.py) and meta.json (data path,
machine). Prints a Markdown table and writes it to DIR/summary.md, with the
numbers in DIR/results.json.
"""

import glob
import json
import os
import platform
import statistics
import sys


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def runs(d, side):
    out = []
    for p in sorted(glob.glob(os.path.join(d, f"{side}.run*.json"))):
        out.extend(read_json(p)["runs"])
    return out


def stats(rs):
    if not rs:
        return None
    return {
        "n": len(rs),
        "wall_s": statistics.median(r["wall_s"] for r in rs),
        "min_wall_s": min(r["wall_s"] for r in rs),
        "cpu_s": statistics.median(r["cpu_s"] for r in rs),
        "user_s": statistics.median(r["user_s"] for r in rs),
        "sys_s": statistics.median(r["sys_s"] for r in rs),
        "max_rss_kib": statistics.median(r["max_rss_kib"] for r in rs),
        "load1": statistics.median(r["load1_before"] for r in rs),
    }


def csv_bytes(data):
    return sum(os.path.getsize(p) for p in glob.glob(os.path.join(data, "*.csv")))


def rows_of(d):
    p = os.path.join(d, "dudao.json")
    if not os.path.exists(p):
        return None
    return sum(t["rows"] for t in read_json(p)["submission"]["tables"])


def mib(kib):
    return kib / 1024


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu}), {mem} RAM, {platform.system()} {platform.release()}"


def meta(d):
    p = os.path.join(d, "meta.json")
    return read_json(p) if os.path.exists(p) else {}


def measured(d):
    m = meta(d)
    return f"measured {m.get('date', '?')}, dudao revision {m.get('revision', '?')}"


def status(d):
    p = os.path.join(d, "compare.status")
    if not os.path.exists(p):
        return None
    with open(p) as f:
        return int(f.read().strip() or 1)


def fmt_s(x):
    return "—" if x is None else (f"{x:.3f} s" if x < 10 else f"{x:.1f} s")


def emit(d, lines, results):
    text = "\n".join(lines) + "\n"
    print(text, end="")
    with open(os.path.join(d, "summary.md"), "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(d, "results.json"), "w", encoding="utf-8") as f:
        json.dump(results, f, ensure_ascii=False, indent=1)
        f.write("\n")


def cmd_compare(d, data):
    du, dk = stats(runs(d, "dudao")), stats(runs(d, "duckdb"))
    size = csv_bytes(data)
    rows = rows_of(d)
    st = status(d)
    dk_report = read_json(os.path.join(d, "duckdb.json")) if os.path.exists(os.path.join(d, "duckdb.json")) else {}
    du_report = read_json(os.path.join(d, "dudao.json")) if os.path.exists(os.path.join(d, "dudao.json")) else {}
    lines = [
        f"## dudao vs DuckDB — {os.path.basename(os.path.normpath(data))}",
        "",
        "- " + (f"data: `{data}` — {size / 1e9:.2f} GB of CSV, {rows:,} rows" if rows else f"data: `{data}`"),
        "- " + f"machine: {machine()}",
        "- " + measured(d),
        "- " + f"dudao checks: {du_report.get('summary', {}).get('checks', '?'):,} "
        f"({len(du_report.get('rules', []))} rules); DuckDB: {dk_report.get('engine', '?')}, "
        f"{dk_report.get('threads', '?')} threads, {len(dk_report.get('rules', []))} rules",
        "- " + f"failing entities agree: {'yes ✓' if st == 0 else 'NO ✗ (see compare.txt)' if st is not None else 'not compared'}",
        "",
        "| | dudao | DuckDB | dudao / DuckDB |",
        "|---|---:|---:|---:|",
    ]
    res = {"data": data, "csv_bytes": size, "rows": rows, "agree": st == 0, "dudao": du, "duckdb": dk,
           "machine": machine()}
    if du and dk:
        lines += [
            f"| wall time (median of {du['n']} / {dk['n']}) | {fmt_s(du['wall_s'])} | {fmt_s(dk['wall_s'])} | "
            f"**{du['wall_s'] / dk['wall_s']:.2f}×** |",
            f"| wall time (fastest run) | {fmt_s(du['min_wall_s'])} | {fmt_s(dk['min_wall_s'])} | "
            f"{du['min_wall_s'] / dk['min_wall_s']:.2f}× |",
            f"| CPU time (user + sys) | {fmt_s(du['cpu_s'])} ({du['user_s']:.1f} + {du['sys_s']:.1f}) | "
            f"{fmt_s(dk['cpu_s'])} ({dk['user_s']:.1f} + {dk['sys_s']:.1f}) | {du['cpu_s'] / dk['cpu_s']:.2f}× |",
            f"| peak memory (RSS) | {mib(du['max_rss_kib']):,.0f} MiB | {mib(dk['max_rss_kib']):,.0f} MiB | "
            f"{du['max_rss_kib'] / dk['max_rss_kib']:.2f}× |",
            f"| peak RSS / CSV bytes | {du['max_rss_kib'] * 1024 / size:.2f} | {dk['max_rss_kib'] * 1024 / size:.2f} | |",
        ]
        if rows:
            lines.append(f"| rows / s (wall) | {rows / du['wall_s']:,.0f} | {rows / dk['wall_s']:,.0f} | |")
        lines.append(f"| load average before the runs | {du['load1']:.1f} | {dk['load1']:.1f} | |")
        res["wall_ratio"] = du["wall_s"] / dk["wall_s"]
        res["cpu_ratio"] = du["cpu_s"] / dk["cpu_s"]
    t = dk_report.get("timings")
    if t:
        lines += ["", f"DuckDB phases (last run): start-up and import {t['import_s']} s, CSV load {t['load_s']} s, "
                      f"per-school aggregates {t['derived_s']} s, {len(dk_report['rules'])} rule queries "
                      f"{t['rules_s']} s."]
    emit(d, lines, res)


def cmd_district(d, data):
    du, dk, rl = stats(runs(d, "dudao")), stats(runs(d, "duckdb")), stats(runs(d, "rules"))
    st = status(d)
    rows = rows_of(d)
    lines = [
        f"## One district — {os.path.basename(os.path.normpath(data))}",
        "",
        "- " + (f"data: `{data}` — {csv_bytes(data) / 1e6:.1f} MB of CSV, {rows:,} rows" if rows else f"data: `{data}`"),
        "- " + f"machine: {machine()}",
        "- " + measured(d),
        "- " + f"failing entities agree: {'yes ✓' if st == 0 else 'NO ✗' if st is not None else 'not compared'}",
        "",
        "| | runs | median wall | fastest | CPU | peak RSS |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, s in (("`dudao check --format json` (process start to exit)", du),
                    ("`dudao rules` (compile the rule pack and list it)", rl),
                    ("DuckDB mirror (python3 bench/duckdb_rules.py)", dk)):
        if s:
            lines.append(f"| {name} | {s['n']} | {fmt_s(s['wall_s'])} | {fmt_s(s['min_wall_s'])} | "
                         f"{fmt_s(s['cpu_s'])} | {mib(s['max_rss_kib']):,.1f} MiB |")
    emit(d, lines, {"data": data, "rows": rows, "agree": st == 0, "dudao": du, "rules": rl, "duckdb": dk,
                    "machine": machine()})


def cmd_scaling(out, dirs):
    lines = [
        "## Scaling",
        "",
        "- " + f"machine: {machine()}",
        "- " + measured(dirs[0]) if dirs else "-",
        "",
        "| data set | rows | CSV | dudao wall | dudao rows/s | dudao CPU | dudao RSS | DuckDB wall | DuckDB rows/s | "
        "dudao / DuckDB | agree |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:-:|",
    ]
    res = []
    for d in dirs:
        meta = read_json(os.path.join(d, "meta.json")) if os.path.exists(os.path.join(d, "meta.json")) else {}
        data = meta.get("data", d)
        du, dk = stats(runs(d, "dudao")), stats(runs(d, "duckdb"))
        rows = rows_of(d)
        if not du or not rows:
            continue
        st = status(d)
        size = csv_bytes(data)
        ratio = f"{du['wall_s'] / dk['wall_s']:.2f}×" if dk else "—"
        dk_rate = f"{rows / dk['wall_s']:,.0f}" if dk else "—"
        lines.append(
            f"| {os.path.basename(os.path.normpath(data))} | {rows:,} | {size / 1e6:,.0f} MB | {fmt_s(du['wall_s'])} | "
            f"{rows / du['wall_s']:,.0f} | {fmt_s(du['cpu_s'])} | {mib(du['max_rss_kib']):,.0f} MiB | "
            f"{fmt_s(dk['wall_s']) if dk else '—'} | {dk_rate} | "
            f"{ratio} | {'✓' if st == 0 else '✗' if st is not None else '—'} |")
        res.append({"data": data, "rows": rows, "csv_bytes": size, "dudao": du, "duckdb": dk, "agree": st == 0})
    os.makedirs(out, exist_ok=True)
    emit(out, lines, res)


def main():
    a = sys.argv[1:]
    if len(a) >= 3 and a[0] == "compare":
        cmd_compare(a[1], a[2])
    elif len(a) >= 3 and a[0] == "district":
        cmd_district(a[1], a[2])
    elif len(a) >= 3 and a[0] == "scaling":
        cmd_scaling(a[1], a[2:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
