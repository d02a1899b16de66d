"""Independent reference for the Extra-Trees tests: builds realistic matrices with sklearn's make_classification,
fits sklearn's ExtraTreesClassifier on them and prints its accuracies and importances as JSON.
Usage: /usr/bin/python3 sklearn_oracle.py OUT_DIR   (writes NAME_X.bin float32 row-major, NAME_y.bin uint8, NAME_folds.bin uint8)"""
import json
import sys

import numpy as np
from sklearn.datasets import make_classification
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.model_selection import StratifiedKFold

out = sys.argv[1]
res = {}


def save(name, X, y, folds=None):
    np.ascontiguousarray(X, dtype='<f4').tofile(f'{out}/{name}_X.bin')
    y.astype('u1').tofile(f'{out}/{name}_y.bin')
    if folds is not None:
        folds.astype('u1').tofile(f'{out}/{name}_folds.bin')


def shuffled(X, y, seed):
    perm = np.random.RandomState(seed).permutation(len(y))
    return X[perm], y[perm]


# Binary: 10 informative + 20 redundant (columns 0..29), 67 noise, 3 constant columns; class overlap and 5% label noise.
X, y = make_classification(n_samples=6000, n_features=97, n_informative=10, n_redundant=20, n_repeated=0,
                           n_classes=2, flip_y=0.05, class_sep=0.8, shuffle=False, random_state=7)
X, y = shuffled(X, y, 7)
n = len(y)
X = np.hstack([X, np.full((n, 1), 3.0), np.zeros((n, 1)), np.full((n, 1), -1.5)]).astype(np.float32)
tr = 4000
et = ExtraTreesClassifier(n_estimators=100, random_state=0, n_jobs=2).fit(X[:tr], y[:tr])
res['bin_holdout'] = float((et.predict(X[tr:]) == y[tr:]).mean())
res['bin_importances'] = et.feature_importances_.tolist()
folds = np.zeros(n, dtype=np.uint8)
correct = 0
for i, (a, b) in enumerate(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y)):
    folds[b] = i
    m = ExtraTreesClassifier(n_estimators=100, random_state=i, n_jobs=2).fit(X[a], y[a])
    correct += int((m.predict(X[b]) == y[b]).sum())
res['bin_cv'] = correct / n
save('bin', X, y, folds)

# Four classes.
X, y = make_classification(n_samples=3000, n_features=30, n_informative=8, n_redundant=6, n_classes=4,
                           n_clusters_per_class=1, flip_y=0.03, class_sep=1.0, random_state=11)
X = X.astype(np.float32)
tr = 2000
et = ExtraTreesClassifier(n_estimators=100, random_state=0, n_jobs=2).fit(X[:tr], y[:tr])
res['multi_holdout'] = float((et.predict(X[tr:]) == y[tr:]).mean())
save('multi', X, y)

# Imbalanced (10% positives), class_weight='balanced'.
X, y = make_classification(n_samples=4000, n_features=30, n_informative=6, n_redundant=4, weights=[0.9],
                           flip_y=0.02, class_sep=0.7, random_state=5)
X = X.astype(np.float32)
tr = 3000
et = ExtraTreesClassifier(n_estimators=100, random_state=0, n_jobs=2, class_weight='balanced').fit(X[:tr], y[:tr])
p = et.predict(X[tr:])
res['bal_holdout'] = float((p == y[tr:]).mean())
save('bal', X, y)

print(json.dumps(res))
