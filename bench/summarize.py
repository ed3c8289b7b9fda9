#!/usr/bin/env python3
"""Medians of `parley bench --format json` reports, as Markdown tables.

    python3 bench/summarize.py DIR

DIR holds files named <scenario>-<target>-n<clients>-r<rep>.json, as bench/run-benchmarks.sh
writes them; runs over TLS are named <scenario>-<target>-tls-n<clients>-r<rep>.json (and their
report says "tls": true) and are shown as their own rows, "<target> TLS", under the plain row;
runs over WebSocket likewise: <scenario>-<target>-ws-n<clients>-r<rep>.json, "websocket": true,
rows "<target> WebSocket". Every number shown is the median over the repetitions found (`runs` says how
many), except missing, dup, reordered and disconnects, which are totals over all runs.
"""
import glob
import json
import os
import re
import statistics
import sys
from collections import defaultdict

NAME = re.compile(r"^(flood|rate|idle)-(.+)-n(\d+)-r(\d+)\.json$")
ORDER = ["parley-threads", "parley-virtual", "parley-nio", "ngircd", "inspircd"]


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=0):
    if v is None:
        return "–"
    if digits == 0:
        return f"{v:,.0f}"
    return f"{v:,.{digits}f}"


TRANSPORTS = {"": "", "-tls": " TLS", "-ws": " WebSocket"}


def split_transport(t):
    """("parley-nio", "-tls") for "parley-nio-tls", ("parley-nio", "-ws") for "parley-nio-ws"."""
    for suffix in ("-tls", "-ws"):
        if t.endswith(suffix):
            return t[:-len(suffix)], suffix
    return t, ""


def split_tls(t):
    """("parley-nio", True) for "parley-nio-tls"."""
    base, suffix = split_transport(t)
    return (base, True) if suffix == "-tls" else (t, False)


def label(t):
    base, suffix = split_transport(t)
    return base + TRANSPORTS[suffix]


def target_key(t):
    base, suffix = split_transport(t)
    return (ORDER.index(base) if base in ORDER else len(ORDER), base, list(TRANSPORTS).index(suffix))


def load(directory):
    runs = defaultdict(list)
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        m = NAME.match(os.path.basename(path))
        if not m:
            continue
        with open(path) as f:
            try:
                report = json.load(f)
            except json.JSONDecodeError:
                continue
        target = m.group(2)
        if report.get("tls") and not split_tls(target)[1]:
            target += "-tls"   # a TLS report under a plain name still gets its own row
        if report.get("websocket") and split_transport(target)[1] != "-ws":
            target += "-ws"
        runs[(m.group(1), int(m.group(3)), target)].append(report)
    return runs


def load_table(title, rows):
    out = [f"### {title}", "",
           "| server | runs | clients ready | deliveries/s | deliveries per server CPU-s | server CPU-s | p50 ms | p90 ms | p99 ms "
           "| p99.9 ms | max ms | server RSS per client kB | missing | dup | reordered | disconnects | generator CPU-s |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for target, reports in rows:
        lat = [r["load"]["latency"] for r in reports]
        sp = [r.get("serverProcess", {}) for r in reports]
        out.append("| " + " | ".join([
            label(target), str(len(reports)),
            fmt(med([r["setup"]["ready"] for r in reports])),
            fmt(med([r["load"]["deliveriesPerSecond"] for r in reports])),
            fmt(med([s.get("deliveriesPerCpuSecond") for s in sp])),
            fmt(med([s.get("cpuSeconds") for s in sp]), 2),
            fmt(med([l["p50"] for l in lat]), 2),
            fmt(med([l["p90"] for l in lat]), 2),
            fmt(med([l["p99"] for l in lat]), 2),
            fmt(med([l["p999"] for l in lat]), 2),
            fmt(med([l["max"] for l in lat]), 1),
            fmt(med([s.get("rssPerClientBytes") and s["rssPerClientBytes"] / 1000 for s in sp]), 1),
            str(sum(r["correctness"]["missing"] for r in reports)),
            str(sum(r["correctness"]["duplicated"] for r in reports)),
            str(sum(r["correctness"]["outOfOrder"] for r in reports)),
            str(sum(sum(r["disconnects"].values()) for r in reports)),
            fmt(med([r["generatorProcess"]["cpuSeconds"] for r in reports]), 2),
        ]) + " |")
    return out


def idle_table(title, rows):
    out = [f"### {title}", "",
           "| server | runs | ready | server RSS before MiB | server RSS held MiB | per client kB | setup s | clients/s |",
           "|---|---|---|---|---|---|---|---|"]
    for target, reports in rows:
        sp = [r.get("serverProcess", {}) for r in reports]
        out.append("| " + " | ".join([
            label(target), str(len(reports)),
            fmt(med([r["setup"]["ready"] for r in reports])),
            fmt(med([s.get("rssBaselineBytes", 0) / 1048576 for s in sp]), 1),
            fmt(med([s.get("rssBytes", 0) / 1048576 for s in sp]), 1),
            fmt(med([s.get("rssPerClientBytes") and s["rssPerClientBytes"] / 1000 for s in sp]), 2),
            fmt(med([r["setup"]["seconds"] for r in reports]), 1),
            fmt(med([r["setup"]["clientsPerSecond"] for r in reports])),
        ]) + " |")
    return out


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    runs = load(sys.argv[1])
    if not runs:
        print(f"summarize.py: no reports in {sys.argv[1]}", file=sys.stderr)
        return 1
    groups = defaultdict(list)
    for (scenario, n, target), reports in runs.items():
        groups[(scenario, n)].append((target, reports))
    lines = []
    for (scenario, n) in sorted(groups, key=lambda k: (["flood", "rate", "idle"].index(k[0]), k[1])):
        rows = sorted(groups[(scenario, n)], key=lambda tr: target_key(tr[0]))
        sample = rows[0][1][0]
        if scenario == "flood":
            title = f"Flood (closed loop, window {sample.get('window')}): {n} clients, {sample['channels']} channel, {sample['senders']} senders"
            lines += load_table(title, rows)
        elif scenario == "rate":
            title = f"Open loop, {fmt(sample.get('rate'))} msg/s: {n} clients, {sample['channels']} channel, {sample['senders']} senders"
            lines += load_table(title, rows)
        else:
            lines += idle_table(f"Idle: {n} clients held", rows)
        lines.append("")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
