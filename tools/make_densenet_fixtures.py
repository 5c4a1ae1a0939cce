#!/usr/bin/python3
"""Makes the pretrained-weights test fixtures with torchvision (Debian's python3-torch/-torchvision).

Run with /usr/bin/python3 from the repository root:
    /usr/bin/python3 tools/make_densenet_fixtures.py

Writes into src/test/resources/fixtures/:
  tiny-densenet.safetensors      a seeded torchvision DenseNet(growth_rate=8, block_config=(2,2,2,2),
                                 num_init_features=16, bn_size=2, num_classes=3) state dict, with random
                                 BatchNorm weights and running statistics (num_batches_tracked included)
  tiny-densenet-legacy.npz       the same tensors under the legacy dense-layer keys (norm.1, conv.2, ...)
  tiny-densenet-io.safetensors   "input" (2x3x64x64) and "eval_output", the eval-mode logits (2x3)
  densenet169-keys.json          every state-dict key of torchvision.models.densenet169(weights=None)
                                 with its shape
"""
import json
import os
import re
import struct

import numpy as np
import torch
import torchvision

OUT = os.path.join("src", "test", "resources", "fixtures")
DTYPES = {torch.float32: "F32", torch.int64: "I64", torch.float16: "F16", torch.bfloat16: "BF16"}


def tensor_bytes(t):
    """The raw little-endian bytes of a tensor (numpy has no bfloat16, so those go through int16)."""
    t = t.detach().contiguous().cpu()
    return (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()


def save_safetensors(tensors, path):
    """Writes the safetensors layout: 8-byte little-endian header size, JSON header, raw data."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = tensor_bytes(t)
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def tiny_model():
    torch.manual_seed(20240611)
    model = torchvision.models.DenseNet(growth_rate=8, block_config=(2, 2, 2, 2), num_init_features=16,
                                        bn_size=2, num_classes=3)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                # Non-trivial statistics, so that a running mean/var that failed to load shows.
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0.0, 0.1)
                m.running_mean.normal_(0.0, 0.2)
                m.running_var.uniform_(0.5, 2.0)
                m.num_batches_tracked.fill_(7)
            elif isinstance(m, torch.nn.Linear):
                m.bias.normal_(0.0, 0.1)
    return model.eval()


def legacy_key(key):
    """The pre-0.3 torchvision spelling: denselayerN.norm1.weight -> denselayerN.norm.1.weight."""
    return re.sub(r"(denselayer\d+\.(?:norm|relu|conv))([12])\.", r"\1.\2.", key)


def main():
    os.makedirs(OUT, exist_ok=True)
    model = tiny_model()
    state = model.state_dict()
    save_safetensors(state, os.path.join(OUT, "tiny-densenet.safetensors"))
    np.savez(os.path.join(OUT, "tiny-densenet-legacy.npz"),
             **{legacy_key(k): v.numpy() for k, v in state.items()})

    torch.manual_seed(7)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        y = model(x)
    save_safetensors({"input": x, "eval_output": y}, os.path.join(OUT, "tiny-densenet-io.safetensors"))

    big = torchvision.models.densenet169(weights=None).state_dict()
    keys = [{"key": k, "shape": list(v.shape)} for k, v in big.items()]
    with open(os.path.join(OUT, "densenet169-keys.json"), "w") as f:
        json.dump({"source": "torchvision %s densenet169(weights=None).state_dict()" % torchvision.__version__,
                   "keys": keys}, f, indent=0)
        f.write("\n")
    print("tiny outputs", y.tolist())


if __name__ == "__main__":
    main()
