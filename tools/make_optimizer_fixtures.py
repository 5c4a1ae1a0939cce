#!/usr/bin/python3
"""Writes src/test/resources/fixtures/optim_torch.json: reference values from torch.optim, torch's LR
schedulers and BCEWithLogitsLoss, replayed by the Java tests of org.bonexray.train(.optim).

Run with Debian's PyTorch (apt-get install -y python3-torch): /usr/bin/python3 tools/make_optimizer_fixtures.py
"""
import json
import math
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "fixtures", "optim_torch.json")
STEPS = 5


def floats(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


OPTIMIZERS = [
    # name, spec-like fields for the Java side, factory
    ("adam", dict(kind="adam", learningRate=0.01, weightDecay=0.0, momentum=0.0, nesterov=False,
                  beta1=0.9, beta2=0.999, epsilon=1e-8),
     lambda p: torch.optim.Adam([p], lr=0.01, betas=(0.9, 0.999), eps=1e-8, foreach=False)),
    ("adam_l2", dict(kind="adam", learningRate=0.01, weightDecay=0.1, momentum=0.0, nesterov=False,
                     beta1=0.8, beta2=0.99, epsilon=1e-6),
     lambda p: torch.optim.Adam([p], lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, foreach=False)),
    ("adamw", dict(kind="adamw", learningRate=0.01, weightDecay=0.1, momentum=0.0, nesterov=False,
                   beta1=0.9, beta2=0.999, epsilon=1e-8),
     lambda p: torch.optim.AdamW([p], lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1, foreach=False)),
    ("sgd", dict(kind="sgd", learningRate=0.1, weightDecay=0.0, momentum=0.0, nesterov=False,
                 beta1=0.9, beta2=0.999, epsilon=1e-8),
     lambda p: torch.optim.SGD([p], lr=0.1, foreach=False)),
    ("sgd_momentum", dict(kind="sgd", learningRate=0.1, weightDecay=0.0, momentum=0.9, nesterov=False,
                          beta1=0.9, beta2=0.999, epsilon=1e-8),
     lambda p: torch.optim.SGD([p], lr=0.1, momentum=0.9, foreach=False)),
    ("sgd_nesterov_wd", dict(kind="sgd", learningRate=0.1, weightDecay=0.01, momentum=0.9, nesterov=True,
                             beta1=0.9, beta2=0.999, epsilon=1e-8),
     lambda p: torch.optim.SGD([p], lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01, foreach=False)),
    ("rmsprop", dict(kind="rmsprop", learningRate=0.01, weightDecay=0.0, momentum=0.0, nesterov=False,
                     beta1=0.9, beta2=0.999, epsilon=1e-8),
     lambda p: torch.optim.RMSprop([p], lr=0.01, alpha=0.99, eps=1e-8, foreach=False)),
    ("rmsprop_momentum_wd", dict(kind="rmsprop", learningRate=0.01, weightDecay=0.05, momentum=0.9,
                                 nesterov=False, beta1=0.9, beta2=0.999, epsilon=1e-8),
     lambda p: torch.optim.RMSprop([p], lr=0.01, alpha=0.99, eps=1e-8, momentum=0.9, weight_decay=0.05,
                                   foreach=False)),
    ("adagrad", dict(kind="adagrad", learningRate=0.1, weightDecay=0.0, momentum=0.0, nesterov=False,
                     beta1=0.9, beta2=0.999, epsilon=1e-10),
     lambda p: torch.optim.Adagrad([p], lr=0.1, eps=1e-10, foreach=False)),
]


def optimizer_cases():
    gen = torch.Generator().manual_seed(20240501)
    initial = torch.randn(2, 3, generator=gen, dtype=torch.float32)
    grads = [torch.randn(2, 3, generator=gen, dtype=torch.float32) for _ in range(STEPS)]
    cases = []
    for name, spec, factory in OPTIMIZERS:
        p = torch.nn.Parameter(initial.clone())
        opt = factory(p)
        weights = []
        for g in grads:
            p.grad = g.clone()
            opt.step()
            weights.append(floats(p))
        cases.append(dict(name=name, spec=spec, shape=[2, 3], initial=floats(initial),
                          grads=[floats(g) for g in grads], weights=weights))
    return cases


LOSSES = [2.0, 1.5, 1.4, 1.45, 1.39, 1.395, 1.396, 1.2, 1.3, 1.31]
EPOCHS = len(LOSSES)


def schedule_case(name, spec, make, base_lr=0.001, uses_loss=False):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=base_lr)
    sched = make(opt)
    lrs = []
    for loss in LOSSES:
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        if uses_loss:
            sched.step(loss)
        else:
            sched.step()
    lrs.append(opt.param_groups[0]["lr"])
    return dict(name=name, spec=spec, baseLr=base_lr, losses=LOSSES, lrs=lrs)


def schedule_cases():
    S = torch.optim.lr_scheduler
    return [
        schedule_case("constant", dict(kind="constant"), lambda o: S.LambdaLR(o, lambda e: 1.0)),
        schedule_case("step", dict(kind="step", stepEpochs=3, gamma=0.5),
                      lambda o: S.StepLR(o, step_size=3, gamma=0.5)),
        schedule_case("cosine", dict(kind="cosine", totalEpochs=8, minLr=1e-5),
                      lambda o: S.CosineAnnealingLR(o, T_max=8, eta_min=1e-5)),
        schedule_case("plateau", dict(kind="plateau", factor=0.1, patience=1, minLr=1e-6, threshold=1e-4),
                      lambda o: S.ReduceLROnPlateau(o, mode="min", factor=0.1, patience=1, min_lr=1e-6,
                                                    threshold=1e-4, threshold_mode="rel"), uses_loss=True),
        schedule_case("plateau_p0_floor", dict(kind="plateau", factor=0.5, patience=0, minLr=3e-4, threshold=0.01),
                      lambda o: S.ReduceLROnPlateau(o, mode="min", factor=0.5, patience=0, min_lr=3e-4,
                                                    threshold=0.01, threshold_mode="rel"), uses_loss=True),
        # linear warm-up for W epochs from base/(W+1), then the main schedule from the base rate (SequentialLR)
        schedule_case("cosine_warmup", dict(kind="cosine", totalEpochs=10, minLr=1e-5, warmupEpochs=3),
                      lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=1 / 4, end_factor=3 / 4, total_iters=2),
                                                   S.CosineAnnealingLR(o, T_max=7, eta_min=1e-5)], milestones=[3])),
        schedule_case("step_warmup", dict(kind="step", stepEpochs=3, gamma=0.5, warmupEpochs=2),
                      lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=1 / 3, end_factor=2 / 3, total_iters=1),
                                                   S.StepLR(o, step_size=3, gamma=0.5)], milestones=[2])),
    ]


def loss_case(name, logits, labels, weights):
    x = torch.tensor(logits, dtype=torch.float32, requires_grad=True)
    y = torch.tensor(labels, dtype=torch.float32)
    w = None if weights is None else torch.tensor(weights, dtype=torch.float32)
    loss = torch.nn.BCEWithLogitsLoss(weight=w, reduction="mean")(x, y)
    loss.backward()
    return dict(name=name, logits=logits, labels=labels, weights=weights, loss=float(loss), grad=floats(x.grad))


def loss_cases():
    logits = [-120.0, -30.0, -3.5, -0.25, 0.0, 0.0, 0.7, 4.0, 35.0, 150.0]
    labels = [0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]
    weights = [0.3, 0.7, 0.7, 0.3, 0.55, 0.45, 0.7, 0.3, 1.2, 0.0]
    return [
        loss_case("unweighted", logits, labels, None),
        loss_case("weighted", logits, labels, weights),
        loss_case("moderate", [0.1, -1.2, 2.3], [1.0, 0.0, 0.0], [0.4, 0.6, 0.6]),
    ]


def main():
    data = dict(generator="tools/make_optimizer_fixtures.py", torch=torch.__version__,
                optimizers=optimizer_cases(), schedules=schedule_cases(), losses=loss_cases())
    with open(OUT, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    torch.manual_seed(0)
    main()
