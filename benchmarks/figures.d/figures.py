#!/usr/bin/env python3
"""Reading and reporting for benchmarks/figures (standard library only).

  figures.py bench FILE... NAME        median of NAME's repetitions in a Google Benchmark JSON
                                       file: real (wall) time in microseconds; with several
                                       files (one per process), the median of their medians
  figures.py wrk FILE PREFIX            wrk --latency output as PREFIX_rps=, PREFIX_p50_ms=,
                                       PREFIX_p99_ms= lines; exit 1 on any non-2xx answer or
                                       socket error, naming it
  figures.py get FILE KEY               one member of a JSON object (a peer's output)
  figures.py median KEY FILE...         the median of that member over several such objects
  figures.py report RESULTS [--json OUT]  the table of figures from RESULTS (key=value lines
                                       written by benchmarks/figures); OUT gets them as JSON

Ratios are written so that above 1 means twin is faster: the peer's time over twin's, or twin's
rate over the peer's.
"""

import json
import re
import statistics
import sys

TO_US = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}


def bench(paths, name):
    print(f"{statistics.median(bench_median(path, name) for path in paths):.6g}")


def bench_median(path, name):
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError):
        data = {"benchmarks": []}  # no benchmark matched the filter: an empty file
    runs = [b for b in data["benchmarks"]
            if b.get("run_name", b["name"]) == name and b.get("run_type") != "aggregate"]
    medians = [b for b in data["benchmarks"]
               if b.get("run_name") == name and b.get("aggregate_name") == "median"]
    if any(b.get("error_occurred") for b in runs + medians):
        sys.exit(f"figures.py: {name} stopped with an error in {path}")
    values = [b["real_time"] * TO_US[b["time_unit"]] for b in (medians or runs)]
    if not values:
        sys.exit(f"figures.py: no {name} in {path} (renamed? see the names at the top of "
                 "benchmarks/figures)")
    return statistics.median(values)


def to_ms(value, unit):
    return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


def wrk(path, prefix):
    text = open(path).read()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\b", text, re.M)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\b", text, re.M)
    if not (rps and p50 and p99):
        sys.exit(f"figures.py: cannot read wrk's output in {path}")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors:.*", text)
    if bad or errors:
        sys.exit("figures.py: wrk saw " + "; ".join(
            m.group(0).strip() for m in (bad, errors) if m))
    print(f"{prefix}_rps={float(rps.group(1)):.0f}")
    print(f"{prefix}_p50_ms={to_ms(*p50.groups()):.3g}")
    print(f"{prefix}_p99_ms={to_ms(*p99.groups()):.3g}")


def read_results(path):
    r = {}
    for line in open(path):
        if "=" in line:
            key, value = line.rstrip("\n").split("=", 1)
            r[key] = value
    return r


def num(r, key):
    try:
        return float(r[key])
    except (KeyError, ValueError):
        return None


def fmt(value, unit):
    if value is None:
        return "-"
    if unit in ("us", "s", "x"):
        digits = 2 if value < 10 else 1 if value < 100 else 0
        return f"{value:,.{digits}f}" + ("x" if unit == "x" else " " + unit)
    if unit == "/s":
        return f"{value:,.0f}/s"
    return f"{value:g} {unit}"


def ratio(twin, peer, higher_is_better):
    if twin is None or peer is None or twin == 0 or peer == 0:
        return None
    return twin / peer if higher_is_better else peer / twin


def row(id_, figure, source, twin, unit, text, **extra):
    r = {"id": id_, "figure": figure, "source": source, "twin": twin, "twin_unit": unit,
         "twin_text": text, "peer": None, "peer_text": "", "ratio": None, "ratio_text": ""}
    r.update(extra)
    return r


def handler_rows(r):
    rows = []
    skipped = r.get("seed_skipped")
    python = r.get("seed_python", "?").split(" ")[0]
    for key, figure, bench_name, peer in (
            ("proxy", "handler /trigger, event already read", "BM_TriggerHandleProxy",
             "seed_trigger.py"),
            ("text", "handler /trigger, event text in, text out", "BM_TriggerValid",
             "seed_trigger.py --json-edges")):
        twin = num(r, f"handler_{key}_us")
        out = row(f"handler_{key}", figure, f"core_bench {bench_name}", twin, "us",
                  fmt(twin, "us"))
        peer_value = num(r, f"seed_{key}_us")
        peer_formatted = num(r, f"seed_{key}_lambda_us")
        ratios = [ratio(twin, p, False) for p in (peer_value, peer_formatted)]
        out.update(
            peer=f"seed's handler, Python {python} ({peer})",
            peer_value=peer_value, peer_value_logs_formatted=peer_formatted,
            peer_text=f"seed, Python {python}: " + (
                "skipped: " + skipped if skipped else
                f"{fmt(peer_value, 'us')} ({fmt(peer_formatted, 'us')})"),
            ratio=ratios[0], ratio_logs_formatted=ratios[1],
            ratio_text="-" if ratios[0] is None else
            f"{fmt(ratios[0], 'x')} ({fmt(ratios[1], 'x')})")
        rows.append(out)
    return rows


def sqs_rows(r):
    rows = []
    for batch in ("1", "10"):
        us = num(r, f"sqs_cycle{batch}_us")
        rate = None if us is None else int(batch) * 1e6 / us
        rows.append(row(
            f"sqs_cycle_batch{batch}", f"SQS send+receive+delete, batch {batch}",
            f"sqs_bench BM_SqsReceiveDelete/batch:{batch}/backlog:0", rate, "messages/s",
            "-" if us is None else f"{rate:,.0f} messages/s ({fmt(us, 'us')} a cycle)",
            cycle_us=us))
    return rows


def replay_rows(r):
    wall = num(r, "replay_wall_s")
    virtual = num(r, "replay_virtual_s")
    speedup = virtual / wall if wall and virtual else None
    rows = [row("replay_cli", "replay peak_day.json (24 h), whole process",
                "twin replay fixtures/scenarios/peak_day.json", wall, "s",
                f"{fmt(wall, 's')}, {fmt(speedup, 'x')} real time", speedup=speedup)]
    ms = num(r, "replay_bench_ms")
    wall = None if ms is None else ms / 1e3
    speedup = virtual / wall if wall and virtual else None
    rows.append(row("replay_bench", "replay peak_day.json (24 h), in process",
                    "sim_bench BM_ReplayPeakDay", wall, "s",
                    f"{fmt(wall, 's')}, {fmt(speedup, 'x')} real time", speedup=speedup))
    return rows


def http_text(r, prefix):
    if f"{prefix}_skipped" in r:
        return "skipped: " + r[f"{prefix}_skipped"]
    return f"{fmt(num(r, prefix + '_rps'), '/s')}, p99 {r.get(prefix + '_p99_ms', '-')} ms"


def http_rows(r):
    rows = []
    for key, figure, script in (("trigger", "twin serve: POST /prod/trigger", "trigger.lua"),
                                ("send", "twin serve: SQS SendMessage", "send.lua")):
        rps = num(r, f"serve_{key}_rps")
        out = row(f"http_{key}", figure, f"twin serve + wrk -s benchmarks/figures.d/{script}",
                  rps, "requests/s", http_text(r, f"serve_{key}"),
                  twin_p50_ms=num(r, f"serve_{key}_p50_ms"),
                  twin_p99_ms=num(r, f"serve_{key}_p99_ms"))
        if key == "send":
            moto = num(r, "moto_send_rps")
            name = ("moto_server " + r.get("moto_version", "")).strip()
            out.update(peer=name, peer_value=moto, peer_p50_ms=num(r, "moto_send_p50_ms"),
                       peer_p99_ms=num(r, "moto_send_p99_ms"),
                       peer_text=f"{name}: {http_text(r, 'moto_send')}",
                       ratio=ratio(rps, moto, True))
            out["ratio_text"] = fmt(out["ratio"], "x") if out["ratio"] else "-"
        rows.append(out)
    return rows


LEGEND = """\
handler: medians of repetitions, microseconds per request; each side runs in several processes,
  taking turns, and its figure is the median of their medians. The seed's Python handler is
  benchmarks/peers/seed_trigger.py on the same event, with its log records dropped; in brackets,
  with them formatted as Lambda's Python runtime does. Twin's log line goes to a null sink.
SQS: the SQS fake on a SQLite file (WAL), wall time. twin serve: state in memory, wrk -t1 -c16,
  the server on its own core where there are two; moto_server gets the same wrk script (its
  SendMessage slows as its queue fills, so its figure depends on the run's length).
ratio: how many times faster twin is (the peer's time over twin's, twin's rate over the peer's)."""


def report(path, json_out=None):
    r = read_results(path)
    rows = handler_rows(r) + sqs_rows(r) + replay_rows(r) + http_rows(r)
    print(f"machine: {r.get('machine', '?')}")
    print(f"build:   {r.get('build', '?')}")
    print(f"load:    {r.get('load_before', '?')} before, {r.get('load_after', '?')} after "
          "(1, 5, 15 min load averages)")
    print(f"command: {r.get('command', '?')}")
    print(f"date:    {r.get('date', '?')}, commit {r.get('commit', '?')}, "
          f"took {r.get('elapsed_s', '?')} s")
    print()
    headers = ("figure", "twin", "peer", "ratio")
    table = [(x["figure"], x["twin_text"], x["peer_text"], x["ratio_text"]) for x in rows]
    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(headers)]
    line = "  ".join("{:<%d}" % w for w in widths)
    print(line.format(*headers).rstrip())
    print(line.format(*("-" * w for w in widths)).rstrip())
    for t in table:
        print(line.format(*t).rstrip())
    print()
    print(LEGEND)
    for note in sorted(k for k in r if k.startswith("note_")):
        print("note: " + r[note])
    if json_out:
        meta = {k: r[k] for k in ("machine", "build", "load_before", "load_after", "command",
                                  "date", "commit", "elapsed_s", "seed_python", "moto_python")
                if k in r}
        meta["notes"] = [r[k] for k in sorted(r) if k.startswith("note_")]
        with open(json_out, "w") as f:
            json.dump({"meta": meta, "figures": rows, "raw": r}, f, indent=2)
            f.write("\n")


def main(argv):
    if len(argv) >= 3 and argv[0] == "bench":
        bench(argv[1:-1], argv[-1])
    elif len(argv) == 3 and argv[0] == "wrk":
        wrk(argv[1], argv[2])
    elif len(argv) == 3 and argv[0] == "get":
        print(json.load(open(argv[1]))[argv[2]])
    elif len(argv) >= 3 and argv[0] == "median":
        print(f"{statistics.median(float(json.load(open(f))[argv[1]]) for f in argv[2:]):.6g}")
    elif len(argv) in (2, 4) and argv[0] == "report":
        report(argv[1], argv[3] if len(argv) == 4 and argv[2] == "--json" else None)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
