#!/usr/bin/python3
"""Writes src/test/resources/fixtures/metrics_sklearn.json: reference values for org.bonexray.eval.BinaryMetrics.

Run with Debian's interpreter (apt-get install -y python3-sklearn python3-numpy; /usr/bin/python3), from the
repository root:  /usr/bin/python3 tools/make_metric_fixtures.py

Every case stores its labels, scores and threshold and what scikit-learn (and numpy, for ECE/Brier/specificity)
computes on them. Conventions shared with the Java side:
  - predicted abnormal when score > threshold (a score equal to the threshold is predicted normal);
  - precision/recall/F1/specificity use zero_division=0;
  - AUROC, average precision and the ROC curve are null (undefined) when only one class is present;
  - Cohen's kappa is null where scikit-learn returns NaN (expected agreement 1: both label vectors constant
    and equal);
  - ECE: 10 equal-width bins over [0, 1], bin = min(floor(10 p), 9), weighted by bin count, comparing the
    mean score with the fraction of positives in each bin.
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.metrics import (accuracy_score, average_precision_score, cohen_kappa_score, confusion_matrix,
                             f1_score, precision_score, recall_score, roc_auc_score, roc_curve)

OUT = os.path.join("src", "test", "resources", "fixtures", "metrics_sklearn.json")


def ece(y, p, bins=10):
    idx = np.minimum(np.floor(p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = idx == b
        if mask.any():
            total += mask.sum() / len(p) * abs(y[mask].mean() - p[mask].mean())
    return float(total)


def reference(y, p, thr):
    y = np.asarray(y, dtype=int)
    p = np.asarray(p, dtype=float)
    pred = (p > thr).astype(int)
    tn, fp, fn, tp = (int(v) for v in confusion_matrix(y, pred, labels=[0, 1]).ravel())
    both = len(np.unique(y)) == 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kappa = float(cohen_kappa_score(y, pred))
    out = {
        "n": int(len(y)), "positives": int(y.sum()),
        "tp": tp, "fp": fp, "tn": tn, "fn": fn,
        "accuracy": float(accuracy_score(y, pred)),
        "sensitivity": float(recall_score(y, pred, zero_division=0)),
        "specificity": float(recall_score(1 - y, 1 - pred, zero_division=0)),
        "precision": float(precision_score(y, pred, zero_division=0)),
        "f1": float(f1_score(y, pred, zero_division=0)),
        "kappa": None if np.isnan(kappa) else kappa,
        "brier": float(np.mean((p - y) ** 2)),
        "ece": ece(y, p),
        "auroc": None, "averagePrecision": None, "roc": None,
    }
    if both:
        fpr, tpr, thresholds = roc_curve(y, p, drop_intermediate=False)
        out["auroc"] = float(roc_auc_score(y, p))
        out["averagePrecision"] = float(average_precision_score(y, p))
        out["roc"] = {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "thresholds": thresholds.tolist()}
    return out


def cases():
    rng = np.random.default_rng(20240611)
    y = rng.integers(0, 2, 300)
    p = np.clip(0.5 + 0.25 * (y - 0.5) + rng.normal(0, 0.2, 300), 0, 1)
    yield "random_300", y, p, 0.5
    yield "random_300_threshold_0.3", y, p, 0.3
    yield "random_300_threshold_0.7", y, p, 0.7
    yield "random_300_threshold_at_a_score", y, p, float(p[17])
    yt = rng.integers(0, 2, 200)
    yield "heavy_ties", yt, rng.choice([0.1, 0.3, 0.5, 0.7, 0.9], 200), 0.5
    yield "ties_across_classes", [0, 1, 0, 1, 1, 0], [0.5, 0.5, 0.2, 0.8, 0.2, 0.8], 0.5
    yield "all_negative", [0] * 8, rng.uniform(0, 1, 8), 0.5
    yield "all_positive", [1] * 8, rng.uniform(0, 1, 8), 0.5
    yield "all_negative_all_predicted_normal", [0] * 5, [0.1, 0.2, 0.3, 0.4, 0.5], 0.5
    yield "all_positive_all_predicted_abnormal", [1] * 5, [0.6, 0.7, 0.8, 0.9, 1.0], 0.5
    yield "nothing_predicted_abnormal", [0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4], 0.5
    yield "perfect", [0, 0, 0, 1, 1, 1], [0.0, 0.2, 0.4, 0.6, 0.8, 1.0], 0.5
    yield "inverted", [1, 1, 1, 0, 0, 0], [0.0, 0.2, 0.4, 0.6, 0.8, 1.0], 0.5
    yield "tiny_2", [0, 1], [0.3, 0.6], 0.5
    yield "tiny_2_wrong", [1, 0], [0.3, 0.6], 0.5
    yield "tiny_3", [1, 0, 1], [0.4, 0.4, 0.9], 0.5
    yl = rng.integers(0, 2, 5000)
    pl = np.round(np.clip(0.5 + 0.3 * (yl - 0.5) + rng.normal(0, 0.25, 5000), 0, 1), 2)
    yield "large_5000_rounded", yl, pl, 0.5
    yield "large_5000_rounded_threshold_0.42", yl, pl, 0.42


def main():
    out = {"generator": "tools/make_metric_fixtures.py", "sklearn": sklearn.__version__, "numpy": np.__version__,
           "cases": []}
    for name, y, p, thr in cases():
        y = [int(v) for v in y]
        p = [float(v) for v in p]
        out["cases"].append({"name": name, "threshold": float(thr), "labels": y, "scores": p,
                             "expected": reference(y, p, thr)})
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(OUT, os.path.getsize(OUT), "bytes,", len(out["cases"]), "cases")


if __name__ == "__main__":
    main()
