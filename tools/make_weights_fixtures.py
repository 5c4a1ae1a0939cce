#!/usr/bin/python3
"""Makes the PyTorch checkpoint fixtures of bonexray's weight readers with Debian's python3-torch/-torchvision.

Run with /usr/bin/python3 from the repository root (apt-get install -y python3-torch python3-torchvision):
    /usr/bin/python3 tools/make_weights_fixtures.py

Every good file holds the same tiny torchvision DenseNet (growth_rate=8, block_config=(2,2,2,2),
num_init_features=16, bn_size=2, num_classes=3), its weights rounded to numbers that fp32, fp16 and bf16
all hold exactly, so one set of expected outputs serves every file. Writes into src/test/resources/fixtures/weights/:

  tiny-zip.pth                 torch.save(state_dict): the zip format of torch >= 1.6
  tinydense-HHHHHHHH.pth       the legacy format (_use_new_zipfile_serialization=False) with torchvision's old
                               dense-layer keys (norm.1, conv.2), as torchvision's DenseNet files are; HHHHHHHH is
                               the first 8 hex digits of the file's SHA-256, as torch.hub names its files
  pytorch_model.bin            timm's name for a zip-format state dict, here in float16
  lightning.ckpt               a Lightning-style checkpoint: epoch, global_step, optimizer_states, hyper_parameters
                               (an AttributeDict, under Lightning's module name: this script defines a stand-in, as
                               Lightning is not packaged by Debian), a numpy best_model_score, and the bfloat16
                               state_dict under "model." (the LightningModule's attribute), plus one buffer of
                               another module ("criterion.pos_weight")
  checkpoint-dataparallel.pth  a training script's legacy-format checkpoint {"epoch", "model", "optimizer", "args"
                               (argparse.Namespace)} whose model keys carry DataParallel's "module." prefix
  xrv-tiny-densenet.pt         a whole pickled nn.Module (torch.save(model), legacy format) of a stand-in for
                               torchxrayvision's DenseNet: torchxrayvision is not packaged by Debian, so this script
                               defines a module named torchxrayvision.models with classes of the same names and
                               structure (1 input channel, 18 outputs, op_threshs, pathologies); the pickle has the
                               structure of xrv's published weight files, the numbers are the tiny DenseNet's
  malicious*.pth               checkpoints whose pickle calls os.system (GLOBAL in zip and legacy files,
                               STACK_GLOBAL at protocol 4, INST at protocol 0, a whole-module pickle with a poisoned
                               attribute); loading one with torch.load(weights_only=False) would create MARKER
  weights-io.safetensors       "input" (2x3x64x64), "eval_output" (2x3 logits), "gray_input" (2x1x64x64 on
                               [-1024, 1024], xrv's scale) and "xrv_logits" (2x18, the stand-in's raw classifier
                               outputs on it)
  weights-fixtures.json        every file's name, format, dtype and SHA-256
"""
import argparse
import collections
import hashlib
import json
import os
import pickle
import sys
import types
import zipfile

import numpy

import torch
import torch.nn as nn
import torchvision

from make_densenet_fixtures import save_safetensors

OUT = os.path.join("src", "test", "resources", "fixtures", "weights")
MARKER = "/tmp/bonexray-malicious-marker"
ARCH = dict(growth_rate=8, block_config=(2, 2, 2, 2), num_init_features=16, bn_size=2)


def exact_in_half_precisions(t):
    """Rounds to bfloat16's 8-bit mantissa and zeroes what float16 cannot hold as a normal number."""
    r = t.to(torch.bfloat16).to(torch.float32)
    return torch.where(r.abs() < 2.0 ** -14, torch.zeros_like(r), r)


def tiny_torchvision():
    torch.manual_seed(20261203)
    model = torchvision.models.DenseNet(num_classes=3, **ARCH)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0.0, 0.1)
                m.running_mean.normal_(0.0, 0.2)
                m.running_var.uniform_(0.5, 2.0)
                m.num_batches_tracked.fill_(11)
            elif isinstance(m, nn.Linear):
                m.bias.normal_(0.0, 0.1)
        for t in model.state_dict().values():
            if t.is_floating_point():
                t.copy_(exact_in_half_precisions(t))
    return model.eval()


def legacy_key(key):
    """torchvision's pre-0.3 spelling, still in its hosted DenseNet files: denselayerN.norm1 -> denselayerN.norm.1."""
    import re
    return re.sub(r"(denselayer\d+\.(?:norm|relu|conv))([12])\.", r"\1.\2.", key)


# --- the torchxrayvision stand-in: module and class names as in torchxrayvision/models.py -----------------------

xrv = types.ModuleType("torchxrayvision")
xrv_models = types.ModuleType("torchxrayvision.models")
xrv.models = xrv_models
sys.modules["torchxrayvision"] = xrv
sys.modules["torchxrayvision.models"] = xrv_models


class _DenseLayer(nn.Sequential):
    def __init__(self, channels, growth_rate, bn_size, drop_rate):
        super().__init__()
        self.add_module("norm1", nn.BatchNorm2d(channels))
        self.add_module("relu1", nn.ReLU(inplace=True))
        self.add_module("conv1", nn.Conv2d(channels, bn_size * growth_rate, 1, bias=False))
        self.add_module("norm2", nn.BatchNorm2d(bn_size * growth_rate))
        self.add_module("relu2", nn.ReLU(inplace=True))
        self.add_module("conv2", nn.Conv2d(bn_size * growth_rate, growth_rate, 3, padding=1, bias=False))
        self.drop_rate = drop_rate

    def forward(self, x):
        return torch.cat([x, super().forward(x)], 1)


class _DenseBlock(nn.Sequential):
    def __init__(self, layers, channels, bn_size, growth_rate, drop_rate):
        super().__init__()
        for i in range(layers):
            self.add_module("denselayer%d" % (i + 1),
                            _DenseLayer(channels + i * growth_rate, growth_rate, bn_size, drop_rate))


class _Transition(nn.Sequential):
    def __init__(self, channels, out_channels):
        super().__init__()
        self.add_module("norm", nn.BatchNorm2d(channels))
        self.add_module("relu", nn.ReLU(inplace=True))
        self.add_module("conv", nn.Conv2d(channels, out_channels, 1, bias=False))
        self.add_module("pool", nn.AvgPool2d(kernel_size=2, stride=2))


class DenseNet(nn.Module):
    """xrv's DenseNet layout: one input channel, 18 chest X-ray pathologies."""

    def __init__(self, growth_rate, block_config, num_init_features, bn_size, num_classes=18, in_channels=1):
        super().__init__()
        self.features = nn.Sequential(collections.OrderedDict([
            ("conv0", nn.Conv2d(in_channels, num_init_features, 7, stride=2, padding=3, bias=False)),
            ("norm0", nn.BatchNorm2d(num_init_features)),
            ("relu0", nn.ReLU(inplace=True)),
            ("pool0", nn.MaxPool2d(kernel_size=3, stride=2, padding=1)),
        ]))
        channels = num_init_features
        for i, layers in enumerate(block_config):
            self.features.add_module("denseblock%d" % (i + 1), _DenseBlock(layers, channels, bn_size, growth_rate, 0))
            channels += layers * growth_rate
            if i != len(block_config) - 1:
                self.features.add_module("transition%d" % (i + 1), _Transition(channels, channels // 2))
                channels //= 2
        self.features.add_module("norm5", nn.BatchNorm2d(channels))
        self.classifier = nn.Linear(channels, num_classes)
        self.op_threshs = [0.07, 0.04, 0.1, 0.01, 0.02, 0.002, 0.01, 0.1, 0.06, 0.03, 0.05, 0.02, 0.02, 0.04,
                           0.05, 0.04, 0.2, 0.05]
        self.pathologies = ["Atelectasis", "Consolidation", "Infiltration", "Pneumothorax", "Edema", "Emphysema",
                            "Fibrosis", "Effusion", "Pneumonia", "Pleural_Thickening", "Cardiomegaly", "Nodule",
                            "Mass", "Hernia", "Lung Lesion", "Fracture", "Lung Opacity", "Enlarged Cardiomediastinum"]

    def raw_logits(self, x):
        pooled = torch.nn.functional.adaptive_avg_pool2d(torch.relu(self.features(x)), 1).flatten(1)
        return self.classifier(pooled)


for cls in (_DenseLayer, _DenseBlock, _Transition, DenseNet):
    cls.__module__ = "torchxrayvision.models"
    setattr(xrv_models, cls.__name__, cls)


def tiny_xrv(tv):
    """The stand-in with the tiny DenseNet's backbone; conv0 sums the RGB weights into one grey channel."""
    model = DenseNet(num_classes=18, **ARCH)
    state = {k: v for k, v in tv.state_dict().items() if not k.startswith("classifier.")}
    state["features.conv0.weight"] = exact_in_half_precisions(tv.features.conv0.weight.sum(1, keepdim=True))
    torch.manual_seed(18)
    state["classifier.weight"] = exact_in_half_precisions(torch.randn(18, model.classifier.in_features) * 0.1)
    state["classifier.bias"] = exact_in_half_precisions(torch.randn(18) * 0.1)
    model.load_state_dict(state)
    return model.eval()


# --- stand-ins for the data classes training checkpoints carry (Lightning is not packaged by Debian) -------------

lightning_data = types.ModuleType("lightning.fabric.utilities.data")
for name in ("lightning", "lightning.fabric", "lightning.fabric.utilities"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["lightning.fabric.utilities.data"] = lightning_data


class AttributeDict(dict):
    """Lightning's hyper-parameter dict (a dict subclass), under Lightning's module name."""


AttributeDict.__module__ = "lightning.fabric.utilities.data"
lightning_data.AttributeDict = AttributeDict


# --- malicious pickles --------------------------------------------------------------------------------------------

class Evil:
    """Pickles as a call of os.system, the classic poisoned checkpoint."""

    def __reduce__(self):
        return os.system, ("touch " + MARKER,)


def zip_checkpoint(path, data_pkl):
    """A torch zip-format archive holding a hand-made data.pkl."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", data_pkl)
        z.writestr("archive/version", "3\n")


def write_malicious(tv):
    state = collections.OrderedDict(tv.state_dict())
    state["features.norm5.weight"] = Evil()
    torch.save({"state_dict": state}, os.path.join(OUT, "malicious.pth"))
    torch.save({"state_dict": state}, os.path.join(OUT, "malicious-legacy.pth"), _use_new_zipfile_serialization=False)
    zip_checkpoint(os.path.join(OUT, "malicious-stack-global.pth"), pickle.dumps({"w": Evil()}, protocol=4))
    inst = b"(S'touch " + MARKER.encode() + b"'\nios\nsystem\n."
    zip_checkpoint(os.path.join(OUT, "malicious-inst.pth"), inst)
    poisoned = tiny_xrv(tv)
    poisoned.classifier.extra = Evil()
    torch.save(poisoned, os.path.join(OUT, "malicious-module.pt"), _use_new_zipfile_serialization=False)


def write_good(tv, xrv_model):
    state = tv.state_dict()
    torch.save(state, os.path.join(OUT, "tiny-zip.pth"))
    legacy = collections.OrderedDict((legacy_key(k), v) for k, v in state.items())
    tmp = os.path.join(OUT, "tinydense.pth")
    torch.save(legacy, tmp, _use_new_zipfile_serialization=False)
    with open(tmp, "rb") as f:
        prefix = hashlib.sha256(f.read()).hexdigest()[:8]
    hub_name = "tinydense-%s.pth" % prefix
    os.replace(tmp, os.path.join(OUT, hub_name))
    torch.save({k: v.half() if v.is_floating_point() else v for k, v in state.items()},
               os.path.join(OUT, "pytorch_model.bin"))
    lightning_state = collections.OrderedDict(
        ("model." + k, v.bfloat16() if v.is_floating_point() else v) for k, v in state.items())
    lightning_state["criterion.pos_weight"] = torch.tensor([1.5])
    adam = torch.optim.Adam(tv.parameters(), lr=1e-4)
    torch.save({"epoch": 3, "global_step": 120, "pytorch-lightning_version": "2.1.0", "state_dict": lightning_state,
                "optimizer_states": [adam.state_dict()], "lr_schedulers": [], "hparams_name": "kwargs",
                "hyper_parameters": AttributeDict(lr=1e-4, backbone="densenet"),
                "best_model_score": numpy.float64(0.83)},
               os.path.join(OUT, "lightning.ckpt"))
    sgd = torch.optim.SGD(tv.parameters(), lr=0.01, momentum=0.9)
    torch.save({"epoch": 7, "model": collections.OrderedDict(("module." + k, v) for k, v in state.items()),
                "optimizer": sgd.state_dict(), "args": argparse.Namespace(lr=0.01, epochs=90, arch="densenet")},
               os.path.join(OUT, "checkpoint-dataparallel.pth"), _use_new_zipfile_serialization=False)
    torch.save(xrv_model, os.path.join(OUT, "xrv-tiny-densenet.pt"), _use_new_zipfile_serialization=False)
    return hub_name


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        os.remove(os.path.join(OUT, old))
    tv = tiny_torchvision()
    xrv_model = tiny_xrv(tv)
    hub_name = write_good(tv, xrv_model)
    write_malicious(tv)

    torch.manual_seed(64)
    x = torch.rand(2, 3, 64, 64) * 2 - 1
    gray = (torch.rand(2, 1, 64, 64) * 2 - 1) * 1024
    with torch.no_grad():
        save_safetensors({"input": x, "eval_output": tv(x), "gray_input": gray,
                          "xrv_logits": xrv_model.raw_logits(gray)},
                         os.path.join(OUT, "weights-io.safetensors"))

    files = {}
    for name in sorted(os.listdir(OUT)):
        with open(os.path.join(OUT, name), "rb") as f:
            files[name] = hashlib.sha256(f.read()).hexdigest()
    index = {"torch": torch.__version__, "torchvision": torchvision.__version__, "torch_hub_name": hub_name,
             "marker": MARKER, "sha256": files}
    with open(os.path.join(OUT, "weights-fixtures.json"), "w") as f:
        json.dump(index, f, indent=1)
        f.write("\n")
    print("wrote", len(files), "files;", sum(os.path.getsize(os.path.join(OUT, n)) for n in files), "bytes")
    print("MARKER exists after writing:", os.path.exists(MARKER))


if __name__ == "__main__":
    main()
