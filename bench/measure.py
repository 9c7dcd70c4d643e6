#!/usr/bin/env python3
"""Run a command and measure it: wall time, CPU time, peak memory.

    python3 bench/measure.py [--stdout FILE] [--repeat N] [--label L] [--json OUT] -- CMD ARGS...

Each run is a child process measured from fork to exit: wall time with
time.perf_counter, user and system CPU time and peak resident memory
(ru_maxrss, KiB) from os.wait4, which reports the child's own resource use.
With --repeat N the command runs N times; the median and the minimum are
reported (the minimum is the least disturbed by other load on the machine).
The command's exit code is recorded but not judged (`dudao check` exits 1
when binding rules fail). The 1-minute load average before each run is
recorded, since other processes on the machine slow the wall time down.
Prints one JSON object, or with --json OUT writes it there and prints a
summary line.
"""

import json
import os
import statistics
import sys
import time


def run_once(cmd, stdout_path):
    load_before = os.getloadavg()[0]
    out = open(stdout_path, "wb") if stdout_path else open(os.devnull, "wb")
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: stdout to the file, then exec
        try:
            os.dup2(out.fileno(), 1)
            os.execvp(cmd[0], cmd)
        except OSError as e:
            os.write(2, f"measure: cannot run {cmd[0]}: {e}\n".encode())
        os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    out.close()
    return {
        "wall_s": round(wall, 4),
        "user_s": round(ru.ru_utime, 4),
        "sys_s": round(ru.ru_stime, 4),
        "cpu_s": round(ru.ru_utime + ru.ru_stime, 4),
        "max_rss_kib": ru.ru_maxrss,
        "exit": os.waitstatus_to_exitcode(status),
        "load1_before": round(load_before, 2),
    }


def main():
    args = sys.argv[1:]
    if "--" not in args:
        print(__doc__, file=sys.stderr)
        return 2
    i = args.index("--")
    opts, cmd = args[:i], args[i + 1:]
    stdout_path, repeat, label, json_out = None, 1, None, None
    j = 0
    while j < len(opts):
        o = opts[j]
        if o == "--stdout":
            stdout_path = opts[j + 1]
        elif o == "--repeat":
            repeat = int(opts[j + 1])
        elif o == "--label":
            label = opts[j + 1]
        elif o == "--json":
            json_out = opts[j + 1]
        else:
            print(f"measure: unknown option {o}", file=sys.stderr)
            return 2
        j += 2
    runs = [run_once(cmd, stdout_path) for _ in range(repeat)]
    med = {k: statistics.median(r[k] for r in runs) for k in ("wall_s", "cpu_s", "user_s", "sys_s", "max_rss_kib")}
    result = {
        "label": label,
        "command": cmd,
        "runs": runs,
        "median": med,
        "min_wall_s": min(r["wall_s"] for r in runs),
        "exit": runs[-1]["exit"],
    }
    text = json.dumps(result, ensure_ascii=False)
    if json_out:
        with open(json_out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
        m = result["median"]
        n = f"median of {repeat}: " if repeat > 1 else ""
        print(f"  {label or cmd[0]}: {n}wall {m['wall_s']:.3f} s, CPU {m['cpu_s']:.3f} s, "
              f"peak RSS {m['max_rss_kib'] / 1024:.0f} MiB, exit {result['exit']}")
    else:
        print(text)
    bad = [r["exit"] for r in runs if r["exit"] not in (0, 1)]
    return 3 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
