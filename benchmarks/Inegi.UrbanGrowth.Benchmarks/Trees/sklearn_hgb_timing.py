#!/usr/bin/python3
"""Reference timing of scikit-learn's HistGradientBoostingClassifier for docs/benchmarks.md.

  OMP_NUM_THREADS=2 /usr/bin/python3 sklearn_hgb_timing.py DIR

DIR holds the matrices of `sklearn_extratrees.py data DIR` (train100_X.bin float32 40,000 x 100, train100_y.bin).
Same options as GradientBoostingFitBenchmarks: 300 iterations, early stopping off, otherwise sklearn's defaults.
Prints the best of three fits in seconds, as JSON.
"""
import json
import os
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

directory = sys.argv[1]
X = np.fromfile(os.path.join(directory, 'train100_X.bin'), dtype=np.float32).reshape(40000, 100)
y = np.fromfile(os.path.join(directory, 'train100_y.bin'), dtype=np.uint8)
times = []
for _ in range(3):
    start = time.perf_counter()
    HistGradientBoostingClassifier(max_iter=300, early_stopping=False, random_state=0).fit(X, y)
    times.append(time.perf_counter() - start)
print(json.dumps({'hgb_fit_40000x100_300_s': min(times), 'all_s': times, 'omp_num_threads': os.environ.get('OMP_NUM_THREADS')}))
