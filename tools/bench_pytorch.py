#!/usr/bin/python3
"""PyTorch peer of `bonexray bench`: the same workloads, printed as the same JSON lines.

Developer benchmark only (never called by tests or the product). Run with Debian's python3 after
`apt-get install -y python3-torch python3-torchvision python3-pil`, one workload per process so that the peak
RSS belongs to that workload:

    /usr/bin/python3 tools/bench_pytorch.py --workload infer --batch 8 --precision fp32
    /usr/bin/python3 tools/bench_pytorch.py --workload train --batch 64 --precision bf16_cl
    /usr/bin/python3 tools/bench_pytorch.py --workload data --data /tmp/bench-data --workers 2
    /usr/bin/python3 tools/bench_pytorch.py --workload gemm      # measured matrix-multiply peak
    /usr/bin/python3 tools/bench_pytorch.py --workload epoch --split split.json --precision bf16_cl --workers 2

epoch: whole training epochs over the images of `bonexray bench --workload epoch --split-out split.json` (the same
patient split), as a PyTorch user writes them: a DataLoader whose worker processes decode with PIL, resize, flip,
rotate and scale exactly as bonexray's pipeline, MURA's per-body-part class weights, Adam 1e-4, and a validation
pass after each epoch; one timing per epoch, validation included.

Precisions: fp32 (plain NCHW), fp32_cl (channels_last), bf16_cl (bfloat16 autocast + channels_last, the best
PyTorch can use on a CPU with AVX512-BF16/AMX). Network: torchvision densenet169, random init (torchvision's
kaiming-normal convolutions), classifier Linear(1664, 1); loss BCEWithLogits with per-sample weights; Adam 1e-4.
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time


def rss_mib():
    """Current and peak resident set of this process in MiB (VmRSS from /proc, ru_maxrss in KiB on Linux)."""
    current = -1.0
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    current = int(line.split()[1]) / 1024.0
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return current, max(current, peak)  # ru_maxrss can lag VmRSS by a page-accounting tick


def emit(args, workload, model, size, batch, layout, precision, threads, seconds, images_per_iter, details):
    median = statistics.median(seconds)
    current, peak = rss_mib()
    fields = {
        "engine": "pytorch", "workload": workload, "model": model, "size": size, "batch": batch,
        "layout": layout, "precision": precision, "threads": threads, "warmup": args.warmup,
        "iterations": len(seconds), "images_per_s": images_per_iter / median, "median_s": median,
        "min_s": min(seconds), "seconds": seconds, "rss_mib": current, "peak_rss_mib": peak,
        "details": dict(sorted(details.items())),
    }
    print("# %s %s %dpx batch %d %s %s, %d threads: %.2f img/s (median %.3f s over %d), RSS %.0f MiB, peak %.0f MiB"
          % (workload, model, size, batch, layout, precision, threads, images_per_iter / median, median,
             len(seconds), current, peak))
    print(json.dumps(fields))
    sys.stdout.flush()


def network(torch, torchvision, seed, memory_efficient=False):
    torch.manual_seed(seed)
    # memory_efficient: torchvision checkpoints each dense layer's concat + norm1 + relu1 + conv1, recomputing them
    # in the backward pass (the peer of bonexray's --recompute)
    net = torchvision.models.densenet169(weights=None, memory_efficient=memory_efficient)
    net.classifier = torch.nn.Linear(net.classifier.in_features, 1)
    torch.nn.init.zeros_(net.classifier.bias)
    return net


def images(torch, batch, size):
    g = torch.Generator().manual_seed(20260101)
    return torch.rand(batch, 3, size, size, generator=g) * 2 - 1


def model_workload(args):
    import torch
    import torchvision
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    net = network(torch, torchvision, 42, args.memory_efficient)
    x = images(torch, args.batch, args.size)
    channels_last = args.precision.endswith("_cl")
    bf16 = args.precision.startswith("bf16")
    layout = "channels_last" if channels_last else "nchw"
    details = {"torch": torch.__version__, "torchvision": torchvision.__version__}
    if args.memory_efficient:
        details["recompute"] = True
    if args.workload == "infer":
        seconds = infer(torch, net, x, args, channels_last, bf16, details)
    else:
        seconds = train(torch, net, x, args, channels_last, bf16, details)
    emit(args, args.workload, "densenet169", args.size, args.batch, layout, args.precision, args.threads,
         seconds, args.batch, details)


def infer(torch, net, x, args, channels_last, bf16, details):
    net.eval()
    with torch.no_grad():
        reference = torch.sigmoid(net(x)).flatten() if (channels_last or bf16) else None
        if channels_last:
            net = net.to(memory_format=torch.channels_last)
            x = x.contiguous(memory_format=torch.channels_last)
        seconds = []
        out = None
        for i in range(args.warmup + args.iterations):
            start = time.perf_counter()
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                out = net(x).float()
            out = out.flatten().tolist()
            if i >= args.warmup:
                seconds.append(time.perf_counter() - start)
        if reference is not None:
            probs = torch.sigmoid(torch.tensor(out))
            details["max_probability_diff_vs_fp32_nchw"] = float((probs - reference).abs().max())
        details["mean_logit"] = sum(out) / len(out)
    return seconds


def train(torch, net, x, args, channels_last, bf16, details):
    net.train()
    if channels_last:
        net = net.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    labels = torch.tensor([float(i % 2) for i in range(args.batch)])
    weights = torch.tensor([0.6 if i % 2 else 0.4 for i in range(args.batch)])
    loss_fn = torch.nn.BCEWithLogitsLoss(weight=weights)
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-4, betas=(0.9, 0.999))
    seconds, samples = [], []
    rss_after_warmup = rss_mib()[0]
    loss = float("nan")
    for i in range(args.warmup + args.iterations):
        if i == args.warmup:
            rss_after_warmup = rss_mib()[0]
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits = net(x).float().flatten()
        value = loss_fn(logits, labels)
        value.backward()
        optimizer.step()
        loss = float(value)
        if i >= args.warmup:
            seconds.append(time.perf_counter() - start)
            done = i - args.warmup + 1
            if args.workload == "memory" and done % args.sample_every == 0:
                samples.append(rss_mib()[0])
    details["last_loss"] = loss
    if args.workload == "memory":
        end = rss_mib()[0]
        details.update({"rss_after_warmup_mib": rss_after_warmup, "rss_after_steps_mib": end,
                        "rss_growth_mib": end - rss_after_warmup,
                        "rss_growth_kib_per_step": (end - rss_after_warmup) * 1024 / args.iterations,
                        "rss_samples_mib": samples, "sample_every": args.sample_every})
    return seconds


def load_one(task):
    """Decode, resize to 224 (squash), MURA flip/rotation, scale to [-1, 1], 3 channels: bonexray's pipeline."""
    import random
    import numpy
    from PIL import Image
    path, seed, size = task
    rng = random.Random(seed)
    with Image.open(path) as im:
        gray = im.convert("L").resize((size, size), Image.BILINEAR)
    if rng.random() < 0.5:
        gray = gray.transpose(Image.FLIP_LEFT_RIGHT)
    gray = gray.rotate(rng.uniform(-30, 30), resample=Image.BILINEAR)
    a = numpy.asarray(gray, dtype=numpy.float32) * (2.0 / 255.0) - 1.0
    chw = numpy.broadcast_to(a, (3, size, size)).copy()
    return float(chw[1, size // 2, size // 2])


def data_workload(args):
    import multiprocessing
    import PIL
    files = []
    for root, _, names in os.walk(args.data):
        files.extend(os.path.join(root, n) for n in names if n.lower().endswith(".png"))
    files = sorted(files)[: args.max_images]
    if not files:
        sys.exit("no .png under " + args.data)
    tasks = [(f, i, args.size) for i, f in enumerate(files)]
    seconds = []
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        for i in range(args.warmup + args.iterations):
            start = time.perf_counter()
            checksum = sum(pool.map(load_one, tasks, chunksize=8))
            if i >= args.warmup:
                seconds.append(time.perf_counter() - start)
    details = {"images": len(files), "pil": PIL.__version__, "checksum_finite": checksum == checksum}
    emit(args, "data", "pil-decode+resize+augment+normalise(%d images)" % len(files), args.size, 1, "-", "-",
         args.workers, seconds, len(files), details)


def gemm_workload(args):
    """Measured matrix-multiply rate: the practical peak the convolutions could approach."""
    import torch
    torch.set_num_threads(args.threads)
    n = 2048
    a, b = torch.randn(n, n), torch.randn(n, n)
    for name, dtype in (("fp32", torch.float32), ("bf16", torch.bfloat16)):
        x, y = a.to(dtype), b.to(dtype)
        seconds = []
        for i in range(args.warmup + args.iterations):
            start = time.perf_counter()
            torch.mm(x, y)
            if i >= args.warmup:
                seconds.append(time.perf_counter() - start)
        gflops = 2 * n ** 3 / statistics.median(seconds) / 1e9
        emit(args, "gemm", "mm%d" % n, n, 1, "-", name, args.threads, seconds, 1, {"gflops": gflops})


class SplitImages:
    """One side of the split: PIL decode, squash to size, (training) flip and rotation, [-1, 1], 3 channels."""

    def __init__(self, rows, size, training, weights, seed):
        self.rows, self.size, self.training, self.weights, self.seed = rows, size, training, weights, seed
        self.epoch = 0

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        import random
        import numpy
        import torch
        from PIL import Image
        row = self.rows[i]
        with Image.open(row["path"]) as im:
            gray = im.convert("L").resize((self.size, self.size), Image.BILINEAR)
        if self.training:
            rng = random.Random(self.seed * 1000003 + self.epoch * 7919 + i)
            if rng.random() < 0.5:
                gray = gray.transpose(Image.FLIP_LEFT_RIGHT)
            gray = gray.rotate(rng.uniform(-30, 30), resample=Image.BILINEAR)
        a = numpy.asarray(gray, dtype=numpy.float32) * (2.0 / 255.0) - 1.0
        x = torch.from_numpy(numpy.broadcast_to(a, (3, self.size, self.size)).copy())
        return x, float(row["label"]), self.weights[(row["body_part"], row["label"])]


def class_weights(rows):
    """MURA's per-body-part weights: w_abnormal = N / (A + N), w_normal = A / (A + N)."""
    counts = {}
    for r in rows:
        a, n = counts.get(r["body_part"], (0, 0))
        counts[r["body_part"]] = (a + 1, n) if r["label"] else (a, n + 1)
    weights = {}
    for part, (a, n) in counts.items():
        weights[(part, 1)] = n / (a + n)
        weights[(part, 0)] = a / (a + n)
    return weights


def epoch_workload(args):
    import torch
    import torchvision
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    with open(args.split) as f:
        split = json.load(f)
    size, batch = split["size"], split["batch"]
    weights = class_weights(split["train"])
    train_set = SplitImages(split["train"], size, True, weights, 42)
    valid_set = SplitImages(split["validation"], size, False, weights, 42)
    channels_last = args.precision.endswith("_cl")
    bf16 = args.precision.startswith("bf16")
    net = network(torch, torchvision, 42)
    if channels_last:
        net = net.to(memory_format=torch.channels_last)
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-4, betas=(0.9, 0.999))
    seconds, rates = [], []
    for epoch in range(args.epochs):
        train_set.epoch = epoch
        start = time.perf_counter()
        net.train()
        loader = torch.utils.data.DataLoader(train_set, batch_size=batch, shuffle=True, num_workers=args.workers,
                                             generator=torch.Generator().manual_seed(epoch))
        for x, y, w in loader:
            if channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            optimizer.zero_grad(set_to_none=True)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                logits = net(x).float().flatten()
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, y.float(), weight=w.float())
            loss.backward()
            optimizer.step()
        trained = time.perf_counter()
        net.eval()
        valid = torch.utils.data.DataLoader(valid_set, batch_size=batch, num_workers=args.workers)
        with torch.no_grad():
            for x, y, w in valid:
                if channels_last:
                    x = x.contiguous(memory_format=torch.channels_last)
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                    net(x).float()
        seconds.append(time.perf_counter() - start)
        rates.append(len(train_set) / (trained - start))
        print("epoch %d: %.1f s (train %.2f img/s)" % (epoch + 1, seconds[-1], rates[-1]), file=sys.stderr)
    details = {"torch": torch.__version__, "epoch_seconds": seconds, "train_images_per_s": rates,
               "train_images": len(train_set), "validation_images": len(valid_set), "workers": args.workers,
               "first_over_second": seconds[0] / seconds[1] if len(seconds) > 1 else float("nan")}
    layout = "channels_last" if channels_last else "nchw"
    args.warmup = 0
    emit(args, "epoch", "densenet169", size, batch, layout, args.precision, args.threads, seconds,
         len(train_set), details)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--workload", required=True, choices=["infer", "train", "memory", "data", "gemm", "epoch"])
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--iterations", type=int, default=5)
    p.add_argument("--precision", default="fp32", choices=["fp32", "fp32_cl", "bf16_cl"])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--sample-every", type=int, default=10)
    p.add_argument("--data")
    p.add_argument("--split", help="epoch: the split JSON written by bonexray bench --workload epoch --split-out")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--max-images", type=int, default=300)
    p.add_argument("--memory-efficient", action="store_true",
                   help="train: torchvision's memory_efficient DenseNet (recomputes part of each dense layer)")
    args = p.parse_args()
    if args.workload == "data":
        if not args.data:
            sys.exit("--workload data needs --data DIR")
        data_workload(args)
    elif args.workload == "epoch":
        if not args.split:
            sys.exit("--workload epoch needs --split FILE")
        epoch_workload(args)
    elif args.workload == "gemm":
        gemm_workload(args)
    else:
        model_workload(args)


if __name__ == "__main__":
    main()
