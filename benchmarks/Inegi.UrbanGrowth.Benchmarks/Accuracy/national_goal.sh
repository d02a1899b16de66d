#!/bin/bash
# Issue 9's goal on the synthetic national scene (docs/benchmarks.md, "Gradient boosting in the library").
#   bash benchmarks/Inegi.UrbanGrowth.Benchmarks/Accuracy/national_goal.sh WORK_DIR [SAMPLE_SEED ...]
# Builds the CLI, synthesises the 300 x 300 scene (seed 5) once, then per sample seed: the pilot (900 + 900 cells,
# Extra-Trees, 0.5) and ours (the same 900 urban + 5,000 non-urban cells, gradient boosting, prevalence from the
# grid, --max-recall-loss 0.05); both maps judged on the labelled cells outside both samples (classify --exclude).
# About 2.5 minutes a seed on a 2-core machine, plus 30 s for the scene.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
WORK=$(mkdir -p "$1" && cd "$1" && pwd); shift
SEEDS=("${@:-4}")
dotnet build -c Release "$ROOT/samples/Inegi.UrbanGrowth.Cli" > /dev/null
U="dotnet $ROOT/artifacts/bin/Inegi.UrbanGrowth.Cli/release/urban.dll"
cd "$WORK"
[ -f scene/labels_2020.tif ] || $U synth --out scene --cells-x 300 --cells-y 300 --years 2010,2020 --seed 5 > /dev/null
for S in "${SEEDS[@]}"; do
  D="$WORK/seed$S"; mkdir -p "$D"; cd "$D"
  $U sample --grid ../scene/labels_2010.tif --per-class 900 --seed "$S" --out pilot_sample.csv --mosaic ../scene/mosaic_2010.tif > /dev/null
  $U sample --grid ../scene/labels_2010.tif --per-class 900 --non-urban 5000 --seed "$S" --out sample.csv --mosaic ../scene/mosaic_2010.tif > /dev/null
  /usr/bin/python3 - <<'PY'
a = open('pilot_sample.csv').read().splitlines(); b = open('sample.csv').read().splitlines()
rows = sorted(set(a[1:]) | set(b[1:]), key=lambda l: int(l.split(',')[0]))
open('both_samples.csv', 'w').write(a[0] + '\n' + '\n'.join(rows) + '\n')
PY
  $U features --mosaic ../scene/mosaic_2010.tif --grid ../scene/labels_2010.tif --cells pilot_sample.csv --out pilot_features.csv > /dev/null 2>&1
  $U features --mosaic ../scene/mosaic_2010.tif --grid ../scene/labels_2010.tif --cells sample.csv --out features.csv > /dev/null 2>&1
  $U train --features pilot_features.csv --out pilot.ugm --calibration-folds 0 > /dev/null
  $U train --features features.csv --out ours.ugm --model gradient-boosting --prevalence ../scene/labels_2010.tif --max-recall-loss 0.05 | tail -1
  for m in pilot ours; do for y in 2010 2020; do
    $U classify --mosaic ../scene/mosaic_$y.tif --grid ../scene/labels_$y.tif --model $m.ugm --out map_${m}_$y.tif --json ${m}_$y.json --exclude both_samples.csv > /dev/null 2>&1
  done; done
  SEED=$S /usr/bin/python3 - <<'PY'
import json, os
for y in (2010, 2020):
    p = json.load(open(f'pilot_{y}.json'))['per_class']['urban']
    o = json.load(open(f'ours_{y}.json')); u = o['per_class']['urban']
    print(f"sample seed {os.environ['SEED']}, {y}: pilot precision {p['precision']:.2%} recall {p['recall']:.2%} | ours precision {u['precision']:.2%} "
          f"recall {u['recall']:.2%} macro F1 {o['macro_f1']:.2%} | precision x{u['precision'] / p['precision']:.2f}, recall lost {100 * (p['recall'] - u['recall']):.1f} points")
PY
  cd "$WORK"
done
