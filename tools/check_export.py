#!/usr/bin/python3
"""Rebuilds a `bonexray export` folder in torchvision and compares its probabilities with bonexray's `predict`.

Run with Debian's python3-torch and python3-torchvision (no safetensors package needed):
    /usr/bin/python3 tools/check_export.py EXPORT_DIR

EXPORT_DIR must have been written with `bonexray export --check-images IMAGE...`: check.safetensors holds bonexray's
preprocessed inputs and predict's probabilities for those images. The script builds torchvision's DenseNet with the
exported head exactly as the export's README shows, loads model.safetensors strictly, runs the inputs in eval mode and
prints the largest absolute difference between torch.sigmoid(logit) and bonexray's probability; it exits 1 when that
exceeds 1e-4.
"""
import json
import os
import struct
import sys

import torch
import torchvision

DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16,
          "I64": torch.int64}


def load_safetensors(path):
    """The tensors of a safetensors file, read with struct and json (Debian packages no safetensors module)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        raw = bytearray(body[begin:end])
        t = torch.frombuffer(raw, dtype=DTYPES[entry["dtype"]]) if raw else torch.empty(0, dtype=DTYPES[entry["dtype"]])
        out[name] = t.reshape(entry["shape"]).clone()
    return out


def rebuild(folder):
    spec = json.load(open(os.path.join(folder, "bonexray-export.json")))
    a = spec["architecture"]
    net = torchvision.models.DenseNet(a["growth_rate"], tuple(a["block_config"]), a["num_init_features"], a["bn_size"])
    make = {"Linear": lambda m: torch.nn.Linear(m["in"], m["out"]),
            "BatchNorm1d": lambda m: torch.nn.BatchNorm1d(m["features"]),
            "ReLU": lambda m: torch.nn.ReLU(), "Dropout": lambda m: torch.nn.Dropout(m["p"])}
    net.classifier = torch.nn.Sequential(*[make[m["type"]](m) for m in spec["head"]])
    net.load_state_dict(load_safetensors(os.path.join(folder, "model.safetensors")))  # strict
    return net.eval(), spec


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    folder = sys.argv[1]
    net, spec = rebuild(folder)
    check = load_safetensors(os.path.join(folder, "check.safetensors"))
    names = json.load(open(os.path.join(folder, "check.json")))["images"]
    with torch.no_grad():
        ours = torch.sigmoid(net(check["inputs"])).flatten().double()
    theirs = check["probabilities"].double()
    diff = (ours - theirs).abs()
    for name, a, b in zip(names, theirs.tolist(), ours.tolist()):
        print("%-60s bonexray %.6f  torchvision %.6f" % (os.path.basename(name), a, b))
    print("torch %s, torchvision %s; %s (%s) at %d px, %d images: max |diff| = %.3g"
          % (torch.__version__, torchvision.__version__, spec["architecture"]["name"],
             spec["input"]["normalization"], spec["input"]["size"], len(names), diff.max().item()))
    sys.exit(0 if diff.max().item() <= 1e-4 else 1)


if __name__ == "__main__":
    main()
