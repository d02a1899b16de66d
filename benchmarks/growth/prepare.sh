#!/usr/bin/env bash
# The plain user flow of issue 19 up to the model: a five-epoch 150 x 150 synthetic scene, a sample of the 2010 grid
# (300 urban, 3,000 non-urban), features, `urban train --prevalence` with its defaults.
# Usage: prepare.sh SEED DIR   (URBAN: the CLI, default: dotnet artifacts/bin/Inegi.UrbanGrowth.Cli/release/urban.dll;
# TRAIN_ARGS: extra `urban train` options, e.g. TRAIN_ARGS='--model gradient-boosting' to measure another model)
set -euo pipefail
seed=$1; dir=$2
urban=${URBAN:-"dotnet $(dirname "$0")/../../artifacts/bin/Inegi.UrbanGrowth.Cli/release/urban.dll"}
mkdir -p "$dir"
$urban synth --out "$dir/scene" --cells-x 150 --cells-y 150 --years 2000,2005,2010,2015,2020 --seed "$seed" >/dev/null
$urban sample --grid "$dir/scene/labels_2010.tif" --mosaic "$dir/scene/mosaic_2010.tif" --per-class 300 --non-urban 3000 --seed "$seed" --out "$dir/sample.csv" >/dev/null
$urban features --mosaic "$dir/scene/mosaic_2010.tif" --grid "$dir/scene/labels_2010.tif" --cells "$dir/sample.csv" --out "$dir/features.csv" >/dev/null
$urban train --features "$dir/features.csv" --prevalence "$dir/scene/labels_2010.tif" --out "$dir/model.ugm" --seed "$seed" ${TRAIN_ARGS:-} >/dev/null
echo "prepared $dir"
