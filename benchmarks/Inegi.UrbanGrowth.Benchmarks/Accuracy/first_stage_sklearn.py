#!/usr/bin/python3
"""Which first-stage recipe could reach issue 9's goal on the synthetic national scene? (docs/benchmarks.md)

  /usr/bin/python3 first_stage_sklearn.py FEATURES_2010.csv [SEED ...]

The CSV holds the `urban features` of every cell of a 300 x 300 scene (`urban synth --cells-x 300 --cells-y 300
--years 2010,2020 --seed 5`), without --cells. sklearn stands in for models the library does not have yet.

Per seed: the pilot (100 Extra-Trees on 900 urban + 900 non-urban cells of 2010, threshold 0.5) and candidate
recipes trained on the same 900 urban cells plus 5,000 non-urban cells (random, or half of them within 3 cells of an
urban cell). Judged on the 2010 cells outside every training sample ("test"): the pilot's precision / recall, then
per recipe the best precision any threshold reaches at the pilot's recall minus 5 points (an oracle: it reads the test
labels) and its ratio to the pilot's precision; the goal is a ratio of 2. For the blend, also the honest rule: the
threshold from 5-fold out-of-fold probabilities of the training sample, weighted to the population by the sampling
design, with recall at most 5 points below the out-of-fold recall of the pilot's rule.
"""
import io
import sys

import numpy as np
from scipy.ndimage import distance_transform_cdt
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def load(path):
    text = open(path).read().split('\n', 1)[1].replace(',,', ',-1,')  # unlabelled cells have an empty label
    d = np.loadtxt(io.StringIO(text), delimiter=',', dtype=np.float32)
    return d[:, 4:], d[:, 3].astype(int), d[:, 1].astype(int), d[:, 2].astype(int)


def precision_recall(p, y, threshold, mask):
    pred = p[mask] >= threshold
    urban = y[mask] == 1
    tp = (pred & urban).sum()
    return tp / max(pred.sum(), 1), tp / urban.sum()


def oracle(p, y, mask, min_recall):
    order = np.argsort(-p[mask])
    tp = np.cumsum(y[mask][order] == 1)
    precision = tp / np.arange(1, len(order) + 1)
    ok = np.nonzero(tp / (y[mask] == 1).sum() >= min_recall)[0]
    return precision[ok].max()


def extra_trees():
    return ExtraTreesClassifier(100, n_jobs=2, random_state=0)


def logistic():
    return make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=3000))


class Blend:
    """Mean of the Extra-Trees' and the ridge logistic regression's urban probabilities."""

    def fit(self, X, y):
        self.models = [extra_trees().fit(X, y), logistic().fit(X, y)]
        return self

    def predict_proba(self, X):
        p = sum(m.predict_proba(X)[:, 1] for m in self.models) / 2
        return np.c_[1 - p, p]


def main():
    X, y, rows, cols = load(sys.argv[1])
    seeds = [int(s) for s in sys.argv[2:]] or [1, 2, 3]
    urban_grid = np.zeros((rows.max() + 1, cols.max() + 1), bool)
    urban_grid[rows[y == 1], cols[y == 1]] = True
    distance = distance_transform_cdt(~urban_grid, metric='chessboard')[rows, cols]
    urban, non_urban = np.nonzero(y == 1)[0], np.nonzero(y == 0)[0]
    near, far = non_urban[distance[non_urban] <= 3], non_urban[distance[non_urban] > 3]
    for seed in seeds:
        rng = np.random.default_rng(seed)
        su = rng.choice(urban, 900, replace=False)
        sn = rng.choice(non_urban, 900, replace=False)
        random_neg = rng.choice(non_urban, 5000, replace=False)
        near_neg = np.r_[rng.choice(near, 2500, replace=False), rng.choice(far, 2500, replace=False)]
        test = y >= 0
        test[np.r_[su, sn, random_neg, near_neg]] = False
        pilot = extra_trees().fit(X[np.r_[su, sn]], y[np.r_[su, sn]]).predict_proba(X)[:, 1]
        pp, pr = precision_recall(pilot, y, 0.5, test)
        print(f'seed {seed}: pilot on {test.sum()} test cells: precision {pp:.3f}, recall {pr:.3f}; goal: precision >= {2 * pp:.3f} at recall >= {pr - 0.05:.3f}')
        recipes = [('Extra-Trees, 900 + 900 (pilot)', extra_trees, np.r_[su, sn]),
                   ('Extra-Trees, 900 + 5,000 random', extra_trees, np.r_[su, random_neg]),
                   ('Extra-Trees, 900 + 5,000 half near', extra_trees, np.r_[su, near_neg]),
                   ('logistic (ridge C=0.1), 900 + 5,000 half near', logistic, np.r_[su, near_neg]),
                   ('blend, 900 + 5,000 random', Blend, np.r_[su, random_neg]),
                   ('blend, 900 + 5,000 half near', Blend, np.r_[su, near_neg]),
                   ('gradient boosting (HistGB 300), 900 + 5,000 half near', lambda: HistGradientBoostingClassifier(max_iter=300, random_state=0), np.r_[su, near_neg])]
        for name, make, idx in recipes:
            p = make().fit(X[idx], y[idx]).predict_proba(X)[:, 1]
            best = oracle(p, y, test, pr - 0.05)
            print(f'  {name}: oracle precision {best:.3f} (x{best / pp:.2f})', flush=True)
        # The honest rule for the blend with the stratified sample.
        idx = np.r_[su, near_neg]
        weights = np.r_[np.full(900, len(urban) / 900), np.full(2500, len(near) / 2500), np.full(2500, len(far) / 2500)]
        ys = y[idx] == 1
        oof = np.zeros(len(idx))
        for train, held in StratifiedKFold(5, shuffle=True, random_state=0).split(X[idx], ys):
            oof[held] = Blend().fit(X[idx][train], y[idx][train]).predict_proba(X[idx][held])[:, 1]
        t = ys.mean()
        balanced = oof * (0.5 / t) / (oof * (0.5 / t) + (1 - oof) * (0.5 / (1 - t)))
        reference = (balanced[ys] >= 0.5).mean()
        best = None
        for threshold in np.unique(oof):
            pred = oof >= threshold
            tp = (weights * (pred & ys)).sum()
            precision, recall = tp / max((weights * pred).sum(), 1e-12), tp / (weights * ys).sum()
            if recall >= reference - 0.05 and (best is None or precision > best[1]):
                best = (threshold, precision)
        p = Blend().fit(X[idx], y[idx]).predict_proba(X)[:, 1]
        bp, br = precision_recall(p, y, best[0], test)
        print(f'  blend, half near, honest rule (threshold {best[0]:.3f}): precision {bp:.3f} (x{bp / pp:.2f}), recall {br:.3f} ({pr - br:+.3f} points)', flush=True)


if __name__ == '__main__':
    main()
