"""Independent reference for the gradient-boosting tests: builds a realistic binary matrix with sklearn's
make_classification, fits sklearn's HistGradientBoostingClassifier on it and prints, as JSON, its held-out accuracy
and log-loss, its training log-loss after 10 and 100 iterations, its held-out probabilities and its bin thresholds.
Usage: /usr/bin/python3 sklearn_hgb_oracle.py OUT_DIR   (writes hgb_X.bin float32 row-major, hgb_y.bin uint8)"""
import json
import sys

import numpy as np
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import log_loss

out = sys.argv[1]
res = {}

# 6,000 x 60: 12 informative + 18 redundant (columns 0..29), 30 noise; class overlap and 5% label noise; 35% positives.
X, y = make_classification(n_samples=6000, n_features=60, n_informative=12, n_redundant=18, n_repeated=0,
                           n_classes=2, weights=[0.65], flip_y=0.05, class_sep=0.7, shuffle=False, random_state=21)
perm = np.random.RandomState(21).permutation(len(y))
X, y = X[perm], y[perm]
# Two coarse columns (fewer distinct values than bins: midpoint thresholds) and a constant one.
X = np.hstack([X, np.round(X[:, [0]] * 2) / 2, np.round(X[:, [40]]), np.full((len(y), 1), 1.25)]).astype(np.float32)
tr = 4000
Xtr, ytr, Xte, yte = X[:tr], y[:tr], X[tr:], y[tr:]

hgb = HistGradientBoostingClassifier(max_iter=100, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20,
                                     l2_regularization=0.0, max_bins=255, early_stopping=False, random_state=0)
hgb.fit(Xtr, ytr)
p = hgb.predict_proba(Xte)
res['holdout_accuracy'] = float((hgb.predict(Xte) == yte).mean())
res['holdout_logloss'] = float(log_loss(yte, p[:, 1]))
res['holdout_p1'] = p[:, 1].tolist()
staged = list(hgb.staged_predict_proba(Xtr))
res['train_logloss_10'] = float(log_loss(ytr, staged[9][:, 1]))
res['train_logloss_100'] = float(log_loss(ytr, staged[99][:, 1]))
res['n_iter'] = int(hgb.n_iter_)
res['baseline'] = float(np.ravel(hgb._baseline_prediction)[0])
res['bin_thresholds'] = [t.tolist() for t in hgb._bin_mapper.bin_thresholds_]

np.ascontiguousarray(X, dtype='<f4').tofile(f'{out}/hgb_X.bin')
y.astype('u1').tofile(f'{out}/hgb_y.bin')
print(json.dumps(res))
