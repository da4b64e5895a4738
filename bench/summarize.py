"""Medians and chatd/peer ratios (ngIRCd, InspIRCd) from chatbench's JSON lines."""
import json, statistics, sys

# (scenario, metric, label, better): which figure each scenario is judged by.
ROWS = [
    ("fanout", "deliveriesPerSecond", "fan-out deliveries/s", "higher"),
    ("fanout", "deliveriesPerServerCPUSecond", "fan-out deliveries per server CPU-second", "higher"),
    ("fanout", "completionP99Millis", "fan-out completion p99 ms", "lower"),
    ("latency", "p50Millis", "latency p50 ms", "lower"),
    ("latency", "p99Millis", "latency p99 ms", "lower"),
    ("latency", "p999Millis", "latency p99.9 ms", "lower"),
    ("latency", "maxMillis", "latency max ms", "lower"),
    ("idle", "bytesPerConnection", "idle bytes/connection", "lower"),
    ("churn", "cyclesPerSecond", "churn cycles/s", "higher"),
    ("churn", "cyclesPerServerCPUSecond", "churn cycles per server CPU-second", "higher"),
    ("churn", "cycleP99Millis", "churn cycle p99 ms", "lower"),
    ("login", "p99Millis", "login storm: chat p99 ms", "lower"),
]

runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip().startswith("{")]

def median(scenario, target, metric):
    values = [r["metrics"][metric] for r in runs
              if r["scenario"] == scenario and r["target"] == target and not r["failed"] and metric in r["metrics"]]
    return (statistics.median(values), len(values)) if values else (None, 0)

PEERS = [t for t in ("ngircd", "inspircd") if any(r["target"] == t for r in runs)]
NAMES = {"chatd": "chatd", "ngircd": "ngIRCd", "inspircd": "InspIRCd"}
print("| figure | chatd | " + " | ".join(NAMES[p] for p in PEERS) + " | "
      + " | ".join(f"chatd/{NAMES[p]}" for p in PEERS) + " | runs |")
print("|---" * (3 + 2 * len(PEERS)) + "|")
fmt = lambda v: "-" if v is None else (f"{v:,.0f}" if v >= 100 else f"{v:.2f}")
for scenario, metric, label, better in ROWS:
    c, cn = median(scenario, "chatd", metric)
    peers = [median(scenario, p, metric) for p in PEERS]
    if c is None and all(v is None for v, _ in peers):
        continue
    ratios = [f"{c / v:.2f}" if c is not None and v else "-" for v, _ in peers]
    counts = "/".join(str(n) for n in [cn] + [n for _, n in peers])
    print(f"| {label} ({better} is better) | {fmt(c)} | " + " | ".join(fmt(v) for v, _ in peers) + " | "
          + " | ".join(ratios) + f" | {counts} |")

# Paired ratios: the k-th chatd run of a scenario against the k-th run of a
# peer (the same repeat, run minutes apart at most). A machine whose speed
# drifts during the script (a shared VM does) moves the medians above, but
# much less a ratio taken within one repeat; min–max shows the spread.
def series(scenario, target, metric):
    return [r["metrics"].get(metric) for r in runs if r["scenario"] == scenario and r["target"] == target]

def failed_any(scenario, target):
    return any(r["failed"] for r in runs if r["scenario"] == scenario and r["target"] == target)

print()
print("| figure, chatd/peer per repeat | " + " | ".join(f"chatd/{NAMES[p]} median (min–max)" for p in PEERS) + " |")
print("|---" * (1 + len(PEERS)) + "|")
for scenario, metric, label, better in ROWS:
    cells, any_cell = [], False
    for p in PEERS:
        c, v = series(scenario, "chatd", metric), series(scenario, p, metric)
        pairs = [a / b for a, b in zip(c, v) if a is not None and b]
        if len(c) != len(v) or not pairs or failed_any(scenario, "chatd") or failed_any(scenario, p):
            cells.append("-")
            continue
        any_cell = True
        cells.append(f"{statistics.median(pairs):.2f} ({min(pairs):.2f}–{max(pairs):.2f})")
    if any_cell:
        print(f"| {label} | " + " | ".join(cells) + " |")

# Who was busy: a figure is the server's only if the generator was not saturated.
print()
print("| scenario | server | runs | generator CPU (median) | server CPU (median) |")
print("|---|---|---|---|---|")
for scenario in dict.fromkeys(r["scenario"] for r in runs):
    for target in ["chatd"] + PEERS:
        ok = [r for r in runs if r["scenario"] == scenario and r["target"] == target and not r["failed"]]
        if not ok:
            continue
        gen = statistics.median(r["generatorCPU"] for r in ok)
        srv = [r["serverCPU"] for r in ok if r.get("serverCPU") is not None]
        srv_text = f"{statistics.median(srv):.2f}" if srv else "-"
        print(f"| {scenario} | {target} | {len(ok)} | {gen:.2f} | {srv_text} |")

failed = [r for r in runs if r["failed"]]
bounded = [r for r in runs if r["lowerBound"]]
print()
print(f"{len(runs)} runs, {len(failed)} failed (lost, duplicated or errored: excluded above)")
for r in failed:
    print(f"  failed: {r['target']} {r['scenario']}: errors={r['errors']} disconnects={r['disconnects']} "
          f"gaps={r['gaps']} dups={r['duplicates']} {'; '.join(r['notes'][:2])}")
for r in bounded:
    print(f"  generator saturated (lower bound): {r['target']} {r['scenario']} cpu={r['generatorCPU']:.2f}")
