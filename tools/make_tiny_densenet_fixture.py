"""Writes the tiny torchvision DenseNet fixture that DenseNetParityTest compares bonexray's blocks against.

Run with Debian's python3 (torch 1.13, torchvision 0.14):
    /usr/bin/python3 tools/make_tiny_densenet_fixture.py
Output: src/test/resources/org/bonexray/model/tiny-densenet.npz with
  - every state-dict entry of torchvision's DenseNet(growth 8, blocks 2/2/2/2, init 16, bn_size 2, 5 classes),
    random weights and random running statistics, under its torchvision key (num_batches_tracked left out);
  - "input": 2 random images of 57x57 pixels (odd sides exercise the poolings' floor rounding);
  - "eval_output": the eval-mode logits;
  - "train_output": the training-mode logits (batch statistics);
  - "train_norm0_running_mean" / "train_norm5_running_var": running statistics after that training forward;
  - "grad_conv0_weight": gradient of sum(train_output) with respect to features.conv0.weight.
"""
import os

import numpy as np
import torch
from torchvision.models import DenseNet

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "org", "bonexray", "model",
                   "tiny-densenet.npz")


def main():
    torch.manual_seed(20240611)
    net = DenseNet(growth_rate=8, block_config=(2, 2, 2, 2), num_init_features=16, bn_size=2, num_classes=5)
    with torch.no_grad():
        for name, tensor in net.state_dict().items():
            if name.endswith("running_mean") or name.endswith("bias"):
                tensor.copy_(torch.randn_like(tensor) * 0.1)
            elif name.endswith("running_var"):
                tensor.copy_(torch.rand_like(tensor) + 0.5)
            elif "norm" in name and name.endswith("weight"):
                tensor.copy_(torch.rand_like(tensor) + 0.5)
    arrays = {k: v.detach().numpy().copy() for k, v in net.state_dict().items() if "num_batches" not in k}
    x = torch.rand(2, 3, 57, 57) * 2 - 1
    arrays["input"] = x.numpy()
    net.eval()
    with torch.no_grad():
        arrays["eval_output"] = net(x).numpy()
    net.train()
    out = net(x)
    out.sum().backward()
    arrays["train_output"] = out.detach().numpy()
    arrays["train_norm0_running_mean"] = net.features.norm0.running_mean.numpy().copy()
    arrays["train_norm5_running_var"] = net.features.norm5.running_var.numpy().copy()
    arrays["grad_conv0_weight"] = net.features.conv0.weight.grad.numpy().copy()
    np.savez(OUT, **{k: v.astype(np.float32) for k, v in arrays.items()})
    print("wrote", OUT, sum(v.size for v in arrays.values()), "floats")


if __name__ == "__main__":
    main()
