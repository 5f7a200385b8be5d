#!/usr/bin/env python3
"""Reads package-benchmark's markdown output (stdin) and prints one table:
every benchmark's p50 time and mallocs, and its ratio to each baseline of its
group. A group is the benchmarks whose names share the text before the first
": "; its baselines are the ones named "... baseline ..." or "... floor ...".
"""
import re
import sys

rows = []  # (target, name, time_ns, mallocs)
target = None
name = None
metrics = {}


def flush():
    if name is not None and "time" in metrics:
        rows.append((target, name, metrics["time"], metrics.get("mallocs")))


for line in sys.stdin:
    line = line.rstrip("\n")
    if line.startswith("## ") and not line.startswith("## Baseline"):
        flush()
        target, name, metrics = line[3:].strip(), None, {}
    elif line.startswith("### "):
        flush()
        name, metrics = line[4:].strip(), {}
    elif line.startswith("| ") and name is not None:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) < 4 or not re.match(r"^-?[0-9]", cells[3]):
            continue
        label, p50 = cells[0], float(cells[3])
        if label.startswith("Time (wall clock)"):
            unit = re.search(r"\((ns|us|μs|ms|s)\)", label)
            scale = {"ns": 1, "us": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9}[unit.group(1) if unit else "ns"]
            metrics["time"] = p50 * scale
        elif label.startswith("Malloc (total)"):
            scale = 1000 if "(K)" in label else 1
            metrics["mallocs"] = p50 * scale
flush()

if not rows:
    sys.exit("bench-table: no benchmark results in the input")


def group_of(benchmark_name):
    return benchmark_name.split(": ", 1)[0]


def is_baseline(benchmark_name):
    return re.search(r"baseline|floor", benchmark_name, re.IGNORECASE) is not None


def short(benchmark_name):
    tail = benchmark_name.split(": ", 1)[-1]
    return re.sub(r"\s*\((C )?baseline\)", "", tail)


def pretty_time(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.0f} ns"


baselines = {}
for target_name, benchmark_name, time_ns, _ in rows:
    if is_baseline(benchmark_name):
        baselines.setdefault((target_name, group_of(benchmark_name)), []).append((benchmark_name, time_ns))

print("| Target | Benchmark | Time p50 | Mallocs p50 | Ratio to baseline (time / baseline time) |")
print("| --- | --- | ---: | ---: | --- |")
for target_name, benchmark_name, time_ns, mallocs in rows:
    group = baselines.get((target_name, group_of(benchmark_name)), [])
    if is_baseline(benchmark_name):
        ratios = "baseline"
    else:
        ratios = ", ".join(f"{time_ns / base:.2f}× {short(base_name)}" for base_name, base in group if base > 0)
    malloc_text = "" if mallocs is None else f"{mallocs:.0f}"
    print(f"| {target_name} | {benchmark_name} | {pretty_time(time_ns)} | {malloc_text} | {ratios} |")
