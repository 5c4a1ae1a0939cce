#!/usr/bin/python3
"""Markdown section for BENCHMARKS.md from tools/bench_epoch.sh's JSON lines (developer tool, never run by tests).

Usage: bench_epoch_report.py RESULTS.jsonl COMMAND LOAD_START LOAD_END
"""
import json
import platform
import statistics
import subprocess
import sys

FORWARD_GFLOP = 6.8   # DenseNet-169 at 224 px, one image, forward
TRAIN_GFLOP = 20.4    # forward + backward (about 3x forward), one image


def main():
    rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
    command, load_start, load_end = sys.argv[2], sys.argv[3], sys.argv[4]
    gemm = {r["precision"]: r["details"]["gflops_per_s"] for r in rows if r.get("workload") == "matmul"}
    runs = [r for r in rows if r.get("workload") == "epoch"]
    failed = [r for r in rows if r.get("failed")]
    groups = {}
    for r in runs:
        groups.setdefault((r["engine"], r["precision"], r.get("details", {}).get("recompute", False)), []).append(r)
    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True,
                         text=True).stdout.strip()
    out = ["## Full training epochs (`tools/bench_epoch.sh`): what a user waits for", "",
           "Command `%s`, %s, %s, 2 cores; /proc/loadavg at start `%s`, at end `%s`. Raw lines: `%s`." % (
               command, cpu, platform.node() and "this host", load_start, load_end, sys.argv[1]), "",
           "Each run is a fresh process training `train`'s defaults (DenseNet-169, 224 px, batch 64, class weights, "
           "flips and rotations, Adam 1e-4) from scratch on the same images (the synthetic sample's patient split), "
           "with validation after every epoch; bonexray starts with an empty image cache (filled before epoch 1: "
           "the time outside the epochs also holds building the network and the final save), PyTorch decodes every "
           "epoch with PIL in 2 DataLoader workers. Epoch seconds include validation. Medians over the rounds, "
           "spread as min-max. FLOP/s: %.1f GFLOP per training image and %.1f per validation image; steady = "
           "epoch 2's training images/s x %.1f GFLOP." % (TRAIN_GFLOP, FORWARD_GFLOP, TRAIN_GFLOP), "",
           "| engine | precision | rounds | outside epochs s | epoch 1 s | epoch 2 s | epoch 1 / 2 | train img/s (epoch 2) | "
           "epoch 2 GFLOP/s | steady step GFLOP/s | % of measured GEMM (same precision) |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    best = {}
    for (engine, precision, recompute), rs in sorted(groups.items()):
        e1 = [r["details"]["epoch_seconds"][0] for r in rs]
        # bonexray fills its image cache before epoch 1: that time is outside the epochs, and shown
        outside = [r["details"]["outside_epochs_seconds"] for r in rs if "outside_epochs_seconds" in r["details"]]
        e2 = [r["details"]["epoch_seconds"][1] for r in rs if len(r["details"]["epoch_seconds"]) > 1]
        rate2 = [r["details"]["train_images_per_s"][1] for r in rs if len(r["details"]["train_images_per_s"]) > 1]
        n_train, n_valid = rs[0]["details"]["train_images"], rs[0]["details"]["validation_images"]
        m2 = statistics.median(e2) if e2 else float("nan")
        flops = (n_train * TRAIN_GFLOP + n_valid * FORWARD_GFLOP) / m2
        steady = statistics.median(rate2) * TRAIN_GFLOP if rate2 else float("nan")
        peak = gemm.get("bf16" if precision.startswith("bf16") else "fp32")
        label = precision + (" (recomputing)" if recompute else "")
        out.append("| %s | %s | %d | %s | %s | %s | %.2f | %.2f | %.0f | %.0f | %s |" % (
            engine, label, len(rs), spread(outside) if outside else "-", spread(e1), spread(e2), statistics.median(e1) / m2,
            statistics.median(rate2) if rate2 else float("nan"), flops, steady,
            "%.0f%%" % (100 * steady / peak) if peak else "-"))
        best[engine] = min(best.get(engine, float("inf")), m2)
    out.append("")
    if "bonexray" in best and "pytorch" in best:
        out.append("Fastest against fastest, epoch 2: bonexray %.1f s, PyTorch %.1f s: **%.2fx**." % (
            best["bonexray"], best["pytorch"], best["pytorch"] / best["bonexray"]))
        out.append("")
    if gemm:
        out.append("Measured GEMM ceiling (`bench --workload matmul --size 4096`, DJL's libtorch): %s." % ", ".join(
            "%s %.0f GFLOP/s" % (p, g) for p, g in sorted(gemm.items())))
        out.append("")
    if failed:
        out.append("Failed runs: %s" % "; ".join(r.get("command", "?") for r in failed))
        out.append("")
    print("\n".join(out))


def spread(values):
    if not values:
        return "-"
    return "%.1f (%.1f-%.1f)" % (statistics.median(values), min(values), max(values))


if __name__ == "__main__":
    main()
