#!/usr/bin/python3
"""Reference timings of scikit-learn's ExtraTreesClassifier for docs/benchmarks/trees.md.

  /usr/bin/python3 sklearn_extratrees.py data DIR   writes the benchmark matrices (the C# benchmarks read the same files)
  /usr/bin/python3 sklearn_extratrees.py time DIR   times sklearn fit / predict / "features CSV -> saved model", n_jobs=2

Files (little-endian, row-major): train{C}_X.bin float32 40000 x C, train{C}_y.bin uint8, for C in 100 and 486;
predict_X.bin float32 1,000,000 x 100 (the 100-column matrix tiled 25 times plus N(0, 0.01) noise).
"""
import csv
import json
import os
import pickle
import sys
import time

import numpy as np
from sklearn.datasets import make_classification

ROWS = 40000
PREDICT_ROWS = 1_000_000


def make(columns):
    informative, redundant = (30, 60) if columns == 486 else (15, 25)
    X, y = make_classification(n_samples=ROWS, n_features=columns, n_informative=informative, n_redundant=redundant,
                               n_classes=2, flip_y=0.05, class_sep=0.8, random_state=columns)
    return X.astype(np.float32), y.astype(np.uint8)


def write_data(out):
    os.makedirs(out, exist_ok=True)
    for c in (100, 486):
        X, y = make(c)
        X.tofile(f'{out}/train{c}_X.bin')
        y.tofile(f'{out}/train{c}_y.bin')
        if c == 100:
            rng = np.random.RandomState(1)
            P = np.empty((PREDICT_ROWS, c), dtype=np.float32)
            for i in range(0, PREDICT_ROWS, ROWS):
                P[i:i + ROWS] = X + rng.normal(0, 0.01, X.shape).astype(np.float32)
            P.tofile(f'{out}/predict_X.bin')


def load(out, c):
    X = np.fromfile(f'{out}/train{c}_X.bin', dtype='<f4').reshape(ROWS, c)
    y = np.fromfile(f'{out}/train{c}_y.bin', dtype='u1')
    return X, y


def best_of(f, repeat=1):
    times = []
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - t0)
    return min(times), result


def timings(out):
    from sklearn.ensemble import ExtraTreesClassifier
    from sklearn.feature_selection import SelectFwe, VarianceThreshold, f_classif
    res = {}
    for c in (100, 486):
        X, y = load(out, c)
        res[f'fit_{c}_s'], model = best_of(lambda: ExtraTreesClassifier(100, n_jobs=2, random_state=0).fit(X, y))
        if c == 100:
            P = np.fromfile(f'{out}/predict_X.bin', dtype='<f4').reshape(PREDICT_ROWS, c)
            res['predict_1m_s'], _ = best_of(lambda: model.predict_proba(P))
    # Features CSV -> saved model (the pilot's pipeline): read CSV, SelectFwe + VarianceThreshold, fit, pickle.
    X, y = load(out, 486)
    path = f'{out}/features486.csv'
    if not os.path.exists(path):
        with open(path, 'w', newline='') as f:
            w = csv.writer(f)
            w.writerow(['cell_id', 'row', 'col', 'label'] + [f'f{i}' for i in range(486)])
            for i in range(ROWS):
                w.writerow([i, i // 200, i % 200, int(y[i])] + [repr(float(v)) for v in X[i]])

    def pipeline():
        data = np.loadtxt(path, delimiter=',', skiprows=1, dtype=np.float64)
        labels = data[:, 3].astype(int)
        feats = data[:, 4:].astype(np.float32)
        fwe = SelectFwe(f_classif, alpha=0.05).fit(feats, labels)
        feats = fwe.transform(feats)
        vt = VarianceThreshold().fit(feats)
        feats = vt.transform(feats)
        m = ExtraTreesClassifier(100, n_jobs=2, random_state=0).fit(feats, labels)
        with open(f'{out}/model.pkl', 'wb') as f:
            pickle.dump((fwe, vt, m), f)
        return feats.shape[1]

    res['csv_to_model_s'], res['csv_selected_features'] = best_of(pipeline, repeat=1)
    print(json.dumps(res))


if __name__ == '__main__':
    (write_data if sys.argv[1] == 'data' else timings)(sys.argv[2])
