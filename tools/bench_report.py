#!/usr/bin/python3
"""Turns the JSON lines of tools/bench.sh into BENCHMARKS.md (printed to stdout; bench.sh renames it in place).

Usage: bench_report.py RESULTS.jsonl RESULTS.jsonl.meta.json NOTES.md [REPEATS.jsonl]
Every number in the output comes from the results file; NOTES.md holds the hand-written interpretation.
"""
import json
import statistics
import sys

MURA_TRAIN_IMAGES = 36808
MURA_VALID_IMAGES = 3197
FORWARD_GMAC = 3.4  # DenseNet-169 at 224x224, per image
FORWARD_GFLOP = 2 * FORWARD_GMAC
TRAIN_GFLOP = 3 * FORWARD_GFLOP  # forward + backward (about twice the forward)
ASSUMED_GHZ = 2.0  # lscpu on this VM reports no clock; a conservative sustained AVX-512 clock
FP32_FLOP_PER_CYCLE_PER_CORE = 2 * 16 * 2  # two AVX-512 FMA ports x 16 fp32 lanes x 2 FLOP per FMA


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def find(rows, variant, engine, precision=None):
    for r in rows:
        if r.get("variant") == variant and r.get("engine") == engine and not r.get("failed"):
            if precision is None or r.get("precision") == precision:
                return r
    return None


def rate(r):
    return "%.2f" % r["images_per_s"] if r else "n/a"


def recomputed(r):
    return bool(r and r.get("details", {}).get("recompute"))


def mib(r, key="peak_rss_mib"):
    return "%.0f" % r[key] if r and key in r else "n/a"


def ratio(a, b):
    return "%.2f" % (a["images_per_s"] / b["images_per_s"]) if a and b else "n/a"


# (label, engine, variant suffix, precision) of every column of the throughput tables
BONEXRAY_FP32 = ("bonexray fp32", "bonexray", "", "fp32")
BONEXRAY_BF16 = ("bonexray bf16", "bonexray", "-bf16cl", "bf16")
PYTORCH_FP32 = ("PyTorch fp32", "pytorch", "", "fp32")
PYTORCH_FP32_CL = ("PyTorch fp32+CL", "pytorch", "-cl", "fp32_cl")
PYTORCH_BF16_CL = ("PyTorch bf16+CL", "pytorch", "-bf16cl", "bf16_cl")
PYTORCH_ALL = (PYTORCH_FP32, PYTORCH_FP32_CL, PYTORCH_BF16_CL)


def cell(rows, kind, b, column):
    label, engine, suffix, prec = column
    return find(rows, "%s-b%d%s" % (kind, b, suffix), engine, prec)


def fastest(found):
    found = [r for r in found if r]
    return max(found, key=lambda r: r["images_per_s"]) if found else None


def throughput_table(rows, kind, batches):
    """fp32 against PyTorch's fp32 (NCHW and channels-last), bf16 against PyTorch's bf16 autocast + channels-last,
    and the fastest of each side against the other's fastest."""
    out = ["| batch | bonexray fp32 img/s | PyTorch fp32 img/s | ratio | PyTorch fp32+CL img/s | ratio | "
           "bonexray bf16 img/s | PyTorch bf16+CL img/s | ratio | best vs best |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for b in batches:
        j32, j16 = cell(rows, kind, b, BONEXRAY_FP32), cell(rows, kind, b, BONEXRAY_BF16)
        p32, p32cl, p16 = (cell(rows, kind, b, c) for c in PYTORCH_ALL)
        out.append("| " + " | ".join([str(b), rate(j32), rate(p32), ratio(j32, p32), rate(p32cl), ratio(j32, p32cl),
                                       rate(j16), rate(p16), ratio(j16, p16),
                                       ratio(fastest([j32, j16]), fastest([p32, p32cl, p16]))]) + " |")
    return out


def rss_table(rows, kind, batches):
    columns = (BONEXRAY_FP32, BONEXRAY_BF16) + PYTORCH_ALL
    out = ["| batch |" + "".join(" %s |" % c[0] for c in columns), "|---:|" + "---:|" * len(columns)]
    for b in batches:
        out.append("| %d |" % b + "".join(" %s |" % mib(cell(rows, kind, b, c)) for c in columns))
    return out


def baseline(rows, r):
    """Median rate of the plain runs (NCHW, fp32) of the same workload, batch and thread count."""
    rates = sorted(x["images_per_s"] for x in rows
                   if not x.get("failed") and x["engine"] == "bonexray" and x["workload"] == r["workload"]
                   and x["batch"] == r["batch"] and x["size"] == r["size"] and x["threads"] == r["threads"]
                   and x["layout"] == "nchw" and x["precision"] == "fp32")
    return rates[len(rates) // 2] if rates else None


def speed_table(rows):
    out = ["| variant | engine | layout | precision | threads | img/s | vs NCHW fp32 at the same threads (median) | "
           "max prob. diff vs fp32 | peak RSS MiB | recomputes | outcome |",
           "|---|---|---|---|---:|---:|---:|---:|---:|---|---|"]
    for r in rows:
        v = r.get("variant", "")
        adopted = v in ("infer-b8", "train-b16") and r.get("engine") == "bonexray"  # the product's channels-last
        in_main_tables = v.endswith(("-bf16cl", "-cl"))  # bf16 rows and PyTorch's channels-last peers
        if not adopted and not (v.startswith(("infer-b8-", "infer-b32-", "train-b16-", "train-b64-")) and not in_main_tables):
            continue
        if r.get("failed"):
            out.append("| %s | bonexray | | | | | | | | | failed: exit code %s %s |" % (
                v, r["exit_code"], r.get("reason", "").replace("|", "/")[:120]))
            continue
        base = baseline(rows, r) if r["engine"] == "bonexray" else None
        diff = r.get("details", {}).get("max_probability_diff_vs_fp32_nchw")
        out.append("| %s | %s | %s | %s | %d | %s | %s | %s | %.0f | %s | ok |" % (
            v, r["engine"], r["layout"], r["precision"], r["threads"], rate(r),
            "%.2f" % (r["images_per_s"] / base) if base else "",
            "%.1e" % diff if diff is not None else "", r["peak_rss_mib"],
            "yes" if recomputed(r) else ("no" if r["workload"] == "train" else "")))
    return out


def memory_table(rows):
    out = ["| run | engine | batch | steps | RSS after warm-up MiB | RSS after steps MiB | growth MiB | "
           "growth KiB/step | peak RSS MiB | step img/s |", "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if r.get("workload") == "memory" and not r.get("failed"):
            d = r["details"]
            out.append("| %s | %s | %d | %d | %.0f | %.0f | %+.1f | %+.1f | %.0f | %s |" % (
                r["variant"], r["engine"], r["batch"], r["iterations"], d["rss_after_warmup_mib"],
                d["rss_after_steps_mib"], d["rss_growth_mib"], d["rss_growth_kib_per_step"], r["peak_rss_mib"],
                rate(r)))
    return out


def data_table(rows):
    out = ["| workers | bonexray img/s | PIL (processes) img/s | ratio | images "
           "| bonexray, warm image cache in memory / on disk img/s |", "|---:|---:|---:|---:|---:|---:|"]
    for w in (1, 2):
        j = find(rows, "data-w%d" % w, "bonexray")
        p = find(rows, "data-w%d" % w, "pytorch")
        mem = find(rows, "data-cached-memory-w%d" % w, "bonexray")
        disk = find(rows, "data-cached-disk-w%d" % w, "bonexray")
        out.append("| %d | %s | %s | %s | %s | %s / %s |" % (w, rate(j), rate(p), ratio(j, p),
                                                  j["details"]["images"] if j else "n/a", rate(mem), rate(disk)))
    return out


def epoch_lines(rows):
    out = ["| engine / precision | train img/s (batch 64) | validation img/s (batch 32) | one MURA epoch |",
           "|---|---:|---:|---:|"]
    for column in (BONEXRAY_FP32, BONEXRAY_BF16) + PYTORCH_ALL:
        label = column[0]
        t = cell(rows, "train", 64, column)
        v = cell(rows, "infer", 32, column)
        if t and v:
            seconds = MURA_TRAIN_IMAGES / t["images_per_s"] + MURA_VALID_IMAGES / v["images_per_s"]
            out.append("| %s | %.2f | %.2f | %.1f h |" % (label, t["images_per_s"], v["images_per_s"], seconds / 3600))
        else:
            out.append("| %s | n/a | n/a | n/a |" % label)
    return out


def flop_lines(rows, meta):
    gemm32 = find(rows, "gemm", "pytorch", "fp32")
    gemm16 = find(rows, "gemm", "pytorch", "bf16")
    cores = int(meta.get("cores") or 2)
    ghz = float(meta["cpu_max_mhz"]) / 1000 if meta.get("cpu_max_mhz") else ASSUMED_GHZ
    peak = cores * FP32_FLOP_PER_CYCLE_PER_CORE * ghz
    g32 = gemm32["details"]["gflops"] if gemm32 else None
    g16 = gemm16["details"]["gflops"] if gemm16 else None
    out = ["DenseNet-169 at 224x224: about %.1f GMAC = %.1f GFLOP per image forward; a training step about 3x "
           "forward = %.1f GFLOP per image." % (FORWARD_GMAC, FORWARD_GFLOP, TRAIN_GFLOP), "",
           "Theoretical fp32 peak: %d cores x %d FLOP/cycle (2 AVX-512 FMA ports x 16 lanes x 2) x %.1f GHz%s = "
           "**%.0f GFLOP/s**. Measured 2048x2048 matrix multiply (Debian PyTorch, 2 threads): fp32 %s GFLOP/s, "
           "bf16 %s GFLOP/s (bf16 through oneDNN on %s; fp32 through whichever BLAS Debian's alternatives select: the "
           "reference libblas makes the fp32 figure, and its percentage column, meaningless)." % (
               cores, FP32_FLOP_PER_CYCLE_PER_CORE, ghz, "" if meta.get("cpu_max_mhz") else
               " (assumed: lscpu reports no clock on this VM)", peak,
               "%.0f" % g32 if g32 else "n/a", "%.0f" % g16 if g16 else "n/a",
               "AMX" if "amx_bf16" in meta.get("cpu_flags", "") else "AVX512-BF16 (no AMX on this host)"), "",
           "| workload | engine / precision | img/s | achieved GFLOP/s | % of fp32 peak | % of measured GEMM "
           "(same precision) | images/s at 100% of peak |", "|---|---|---:|---:|---:|---:|---:|"]
    for kind, b, per_image in (("infer", 8, FORWARD_GFLOP), ("infer", 32, FORWARD_GFLOP),
                               ("train", 8, TRAIN_GFLOP), ("train", 64, TRAIN_GFLOP)):
        for column in (BONEXRAY_FP32, BONEXRAY_BF16) + PYTORCH_ALL:
            label = column[0]
            gemm = g16 if column[3].startswith("bf16") else g32
            r = cell(rows, kind, b, column)
            if not r:
                continue
            achieved = r["images_per_s"] * per_image
            out.append("| %s b%d | %s | %.2f | %.0f | %.0f%% | %s | %.1f |" % (
                kind, b, label, r["images_per_s"], achieved, 100 * achieved / peak,
                "%.0f%%" % (100 * achieved / gemm) if gemm else "n/a", peak / per_image))
    return out


def repeats_table(rows, repeats):
    """Every sample of the repeats, their medians and the ratio of the medians, per precision pairing."""
    out = ["| workload | batch | bonexray | img/s (samples) | median | PyTorch | img/s (samples) | median | "
           "ratio of medians |", "|---|---:|---|---|---:|---|---|---:|---:|"]
    pairings = (("fp32", "fp32"), ("fp32", "fp32_cl"), ("bf16", "bf16_cl"))
    for kind, b in (("infer", 1), ("infer", 8), ("infer", 32), ("train", 8), ("train", 16), ("train", 64)):
        for ours, theirs in pairings:
            def samples(engine, prec):
                return [r for r in repeats if r.get("workload") == kind and r.get("batch") == b
                        and r.get("engine") == engine and r.get("precision") == prec]
            j = samples("bonexray", ours)
            p = samples("pytorch", theirs)
            if not j or not p:
                continue
            mj = statistics.median(r["images_per_s"] for r in j)
            mp = statistics.median(r["images_per_s"] for r in p)
            out.append("| %s | %d | %s %s | %s | %.2f | %s | %s | %.2f | %.2f |" % (
                kind, b, ours, j[0]["layout"].replace("channels_last", "CL"),
                ", ".join("%.2f" % r["images_per_s"] for r in j), mj, theirs,
                ", ".join("%.2f" % r["images_per_s"] for r in p), mp, mj / mp))
    return out


def main():
    rows = load(sys.argv[1])
    with open(sys.argv[2]) as f:
        meta = json.load(f)
    notes = open(sys.argv[3]).read() if len(sys.argv) > 3 else ""
    repeats = load(sys.argv[4]) if len(sys.argv) > 4 else []
    lines = ["# bonexray benchmarks", "",
             "Generated by `tools/bench.sh` from `bench-results/%s` (one JSON line per workload; every "
             "workload in a fresh process; bonexray and PyTorch alternately). Throughput is images per second at "
             "the median timed iteration after warm-up; ratio = bonexray / PyTorch (> 1: bonexray faster)."
             % meta["results"], ""]
    if meta.get("quick"):
        lines += ["**Quick smoke run: iteration counts too small for the numbers to mean anything.**", ""]
    lines += ["## Machine and run", "", "| | |", "|---|---|"]
    for key, label in (("date", "Date (UTC)"), ("command", "Command"), ("cpu", "CPU"), ("cores", "Cores"),
                       ("cpu_flags", "Relevant CPU flags"), ("memory", "Memory"), ("kernel", "Kernel"),
                       ("java", "Java"), ("djl", "DJL"), ("libtorch", "libtorch (DJL's native engine)"),
                       ("torch", "PyTorch (peer)"), ("debian_torch", "Debian python3-torch"),
                       ("load_start", "/proc/loadavg at start"), ("load_end", "/proc/loadavg at end")):
        lines.append("| %s | `%s` |" % (label, meta.get(key, "")))
    sizes = sorted({r["size"] for r in rows if r.get("model") == "densenet169"}) or [224]
    lines += ["", "Model: DenseNet-169, %s px inputs, random initialisation (He-normal convolutions, as torchvision), "
              "one-logit linear head. Training step: forward, class-weighted BCE on logits, backward, Adam 1e-4 "
              "(bonexray through a DJL Trainer as TrainingRun; PyTorch with BCEWithLogitsLoss(weight) and "
              "torch.optim.Adam). Both at 2 intra-op threads, 1 inter-op thread unless a row says otherwise."
              % "/".join(str(x) for x in sizes), ""]
    lines += ["bonexray runs as the product does: channels-last batches (NHWC memory, as every dataset and the "
              "study predictor build them), fp32 or `--precision bf16` (bf16 inside the network over fp32 weights, "
              "through `ForwardPass`). PyTorch fp32 is its default NCHW, fp32+CL the model and batches in "
              "channels-last, bf16+CL autocast with channels-last. *best vs best*: the faster of bonexray's two "
              "against the fastest of PyTorch's three.", ""]
    lines += ["## Inference (eval mode, no gradients)", ""] + throughput_table(rows, "infer", (1, 8, 32))
    lines += ["", "Peak RSS, MiB:", ""] + rss_table(rows, "infer", (1, 8, 32))
    lines += ["", "## Training steps", ""] + throughput_table(rows, "train", (8, 16, 64))
    lines += ["", "Peak RSS, MiB:", ""] + rss_table(rows, "train", (8, 16, 64))
    if repeats:
        lines += ["", "## Steady-state repeats (`tools/bench_repeats.sh`: longer warm-ups, engines alternating)", "",
                  "The rows above are one run each; single runs swing by up to 1.4x here, and libtorch 2.7.1 keeps speeding "
                  "up for several iterations at a new shape. The medians below come from alternating rounds with "
                  "3-12 warm-ups (12 at batch-8 training and 8 at batch 16: the JVM compiles its hot code over the first ~10 steps; 1 at batch-64 training, whose iterations take 12-30 s): the figures to read. Raw lines: `bench-results/%s`." % sys.argv[4].split("/")[-1], ""]
        lines += repeats_table(rows, repeats)
    lines += ["", "## Data pipeline (decode PNG + resize 224 + random flip/rotation + normalise to [-1, 1])", "",
              "On the synthetic sample's PNGs (200-512 px). bonexray: Java threads; peer: PIL in worker "
              "processes (a DataLoader's way).", ""] + data_table(rows)
    lines += ["", "## Memory (RSS from /proc/self/status; training at batch 8)", ""] + memory_table(rows)
    lines += ["", "## Speed work (bonexray variants against fp32 NCHW at the same thread count)", ""] + speed_table(rows)
    lines += ["", "## One full-MURA epoch, estimated", "",
              "%d training images at the batch-64 training rate plus %d validation images at the batch-32 "
              "inference rate." % (MURA_TRAIN_IMAGES, MURA_VALID_IMAGES), ""] + epoch_lines(rows)
    lines += ["", "## FLOP-based limit", ""] + flop_lines(rows, meta)
    if notes:
        lines += ["", notes.strip()]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
