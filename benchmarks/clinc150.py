"""CLINC150 (Larson et al. 2019): in-scope accuracy and out-of-scope detection of the default model.

Data: ``data_full.json`` with 150 intents (train 15,000 / val 3,000 / test 4,500) and out-of-scope
queries (oos_train 100 / oos_val 100 / oos_test 1,000).

Runs, side by side in one process:

* in-scope accuracy on the 4,500 in-scope test queries (closed set: arg-max, no threshold), for
  our default model and the plain TF-IDF + logistic regression baseline;
* out-of-scope detection on the full test set (4,500 + 1,000) with the threshold chosen on
  ``val`` + ``oos_val`` (never on test) by :func:`choose_oos_threshold` (maximise the mean of
  in-scope accuracy and out-of-scope recall), in two set-ups:
  A. trained on the 150 intents only, "other" by threshold alone;
  B. trained on the intents plus the 100 ``oos_train`` queries as an "other" class, plus threshold;
  reporting in-scope accuracy (rejections count as errors), out-of-scope recall and precision;
* 10 examples per intent: in-scope accuracy, mean and sd over seeds (reference: USE+ConveRT 93.26);
* training time and prediction throughput.

Usage::

    python benchmarks/clinc150.py [--data ../shared/data/clinc150/data_full.json] [--seeds 5]
                                  [--shots 10] [--no-baseline]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline, make_union
from threadpoolctl import threadpool_limits

from kundfokus.contacts.classifier import ContactClassifier, choose_oos_threshold
from kundfokus.contacts.evaluation import evaluate

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "clinc150" / "data_full.json"


def baseline():
    return make_pipeline(
        make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        ),
        LogisticRegression(C=10, max_iter=3000),
    )


def split(data: dict, key: str, oos_as: str | None = None) -> tuple[list[str], list[str]]:
    texts = [t for t, _ in data[key]]
    labels = [oos_as if (oos_as and lab == "oos") else lab for _, lab in data[key]]
    return texts, labels


def pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--shots", type=int, default=10)
    ap.add_argument("--no-baseline", action="store_true")
    args = ap.parse_args(argv)
    # one BLAS thread for every model (fair, and no thrashing on a shared 2-core machine)
    threadpool_limits(limits=1, user_api="blas")

    data = json.loads(args.data.read_text(encoding="utf-8"))
    print(f"CLINC150 from {args.data}: " + ", ".join(f"{k} {len(v)}" for k, v in data.items()))
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    xt, yt = split(data, "train")
    xv, yv = split(data, "val")
    xs, ys = split(data, "test")
    xov, _ = split(data, "oos_val")
    xot, _ = split(data, "oos_test")
    xotr, _ = split(data, "oos_train")

    # closed-set in-scope accuracy, full training set
    results = {}
    makers = [("kundfokus default", lambda: ContactClassifier(axis="intent"))]
    if not args.no_baseline:
        makers.insert(0, ("baseline TF-IDF+LR (C=10)", baseline))
    for name, make in makers:
        t0 = time.perf_counter()
        m = make().fit(xt, yt)
        fit_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        p = np.asarray(m.predict(xs))
        pred_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        m.predict(xs)
        warm = len(xs) / (time.perf_counter() - t0)
        acc = float(np.mean(p == np.asarray(ys)))
        results[name] = (m, acc, fit_s, len(xs) / pred_s, warm)
        print(
            f"  {name}: in-scope accuracy {pct(acc)} %, fit {fit_s:.1f} s, "
            f"{len(xs) / pred_s:,.0f} contacts/s cold, {warm:,.0f} warm",
            flush=True,
        )

    # out-of-scope: threshold chosen on val + oos_val
    print()
    print(
        "out-of-scope detection on test (4,500 in-scope + 1,000 out-of-scope), "
        "threshold chosen on val + oos_val:"
    )
    setups = {
        "A intents only + threshold": (xt, yt),
        "B intents + oos_train as 'other' + threshold": (xt + xotr, yt + ["other"] * len(xotr)),
    }
    xval = xv + xov
    yval = yv + ["other"] * len(xov)
    xtest = xs + xot
    ytest = ys + ["other"] * len(xot)
    oos_rows = []
    for name, (x, y) in setups.items():
        m = ContactClassifier(axis="intent", oos_threshold=None).fit(x, y)
        t = choose_oos_threshold(yval, m.predict_proba(xval), m.classes_, "other")
        m.set_params(oos_threshold=t)
        m.threshold_ = t  # apply the validation threshold without refitting
        proba = m.predict_proba(xtest)
        pred, _ = m.predict_with_confidence(xtest)
        ev = evaluate(ytest, pred, proba=proba, classes=m.classes_, oos_label="other")
        # and without any threshold, for comparison
        m.threshold_ = 0.0
        pred0, _ = m.predict_with_confidence(xtest)
        ev0 = evaluate(ytest, pred0, oos_label="other")
        oos_rows.append(
            {
                "setup": name,
                "threshold": t,
                "in_scope_acc": ev.in_scope_accuracy,
                "oos_recall": ev.oos_recall,
                "oos_precision": ev.oos_precision,
                "ece": ev.ece,
                "no_thr_in_scope_acc": ev0.in_scope_accuracy,
                "no_thr_oos_recall": ev0.oos_recall,
            }
        )
        print(
            f"  {name}: threshold {t:.3f}; in-scope accuracy {pct(ev.in_scope_accuracy)} %, "
            f"oos recall {pct(ev.oos_recall)} %, oos precision {pct(ev.oos_precision)} %, "
            f"ECE {ev.ece:.4f}  |  without threshold: in-scope {pct(ev0.in_scope_accuracy)} %, "
            f"oos recall {pct(ev0.oos_recall)} %",
            flush=True,
        )

    # few-shot in-scope accuracy
    few = {}
    if args.shots:
        train = pd.DataFrame({"text": xt, "label": yt})
        for name, make in makers:
            accs = []
            for seed in range(args.seeds):
                s = train.groupby("label").sample(n=args.shots, random_state=seed)
                m = make().fit(s["text"].tolist(), s["label"].tolist())
                accs.append(float(np.mean(np.asarray(m.predict(xs)) == np.asarray(ys))))
            few[name] = accs
            print(
                f"  {name}: {args.shots}-shot in-scope accuracy "
                f"{pct(statistics.mean(accs))} ± {pct(statistics.stdev(accs) if len(accs) > 1 else 0)}"
                f" ({', '.join(pct(a) for a in accs)})",
                flush=True,
            )

    print()
    print(
        f"{'model':30s} {'in-scope %':>10s} {f'{args.shots}-shot %':>14s} {'fit s':>7s} "
        f"{'pred/s cold':>12s} {'pred/s warm':>12s}"
    )
    for name, (_, acc, fit_s, cold, warm) in results.items():
        f = few.get(name)
        fs = (
            f"{pct(statistics.mean(f))} ± {pct(statistics.stdev(f) if len(f) > 1 else 0)}"
            if f
            else "-"
        )
        print(f"{name:30s} {pct(acc):>10s} {fs:>14s} {fit_s:7.1f} {cold:12,.0f} {warm:12,.0f}")
    print(f"{'published USE+ConveRT':30s} {'':>10s} {'93.26':>14s}")
    if len(results) == 2 and few:
        (bn, b), (on, o) = list(results.items())
        print(
            f"default vs baseline: in-scope {100 * (o[1] - b[1]):+.2f} points, {args.shots}-shot "
            f"{100 * (statistics.mean(few[on]) - statistics.mean(few[bn])):+.2f} points, "
            f"speed x{o[4] / b[4]:.2f} (warm)"
        )
    print(f"load average at end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
