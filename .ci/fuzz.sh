#!/usr/bin/env bash
# Fuzzes the file readers with afl++ through SharpFuzz (docs/reliability.md): the GeoTIFF reader, the model loaders,
# the features CSV reader and the sample CSV readers, FUZZ_SECONDS each (60 by default), from the seed corpus in
# fuzz/corpus/TARGET/. Exits 1 when afl++ finds a crash; the crashing inputs are copied to fuzz/regressions/TARGET/,
# where the test suite (FuzzRegressionTests) replays them once committed.
#   FUZZ_SECONDS=3600 FUZZ_TARGETS=geotiff bash .ci/fuzz.sh     # a longer run of one target
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-geotiff model features-csv sample-csv}
work=${FUZZ_WORK:-artifacts/fuzz}

if ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "Installing afl++ for the fuzz run..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends afl++ >/dev/null \
    || { apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends afl++ >/dev/null; }
fi

tools="$work/tools"
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null
fi

# Two published copies: one whose assemblies get afl's edge counters (sharpfuzz rewrites them in place), and a
# plain one that replays what afl reports (instrumented code cannot run outside afl).
rm -rf "$work/bin" "$work/replay"
dotnet publish fuzz/Inegi.UrbanGrowth.Fuzz/Inegi.UrbanGrowth.Fuzz.csproj -c Release -o "$work/replay" >/dev/null
cp -r "$work/replay" "$work/bin"
for assembly in Inegi.UrbanGrowth.Core Inegi.UrbanGrowth.Raster Inegi.UrbanGrowth.Trees Inegi.UrbanGrowth.Pipeline Inegi.UrbanGrowth.Accuracy BitMiracle.LibTiff.NET; do
  "$tools/sharpfuzz" "$work/bin/$assembly.dll" >/dev/null
done

# dotnet is not an afl-compiled binary; a container has no core pattern to fix; the runtime starts in a few seconds.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
export AFL_FORKSRV_INIT_TMOUT=60000 AFL_SHUFFLE_QUEUE=0
status=0
for target in $targets; do
  findings="$work/findings/$target"
  rm -rf "$findings"
  mkdir -p "$work/findings"
  echo "fuzz: $target for ${seconds} s"
  afl-fuzz -V "$seconds" -t 10000 -m none -i "fuzz/corpus/$target" -o "$findings" -- dotnet "$work/bin/urban-fuzz.dll" "$target" >"$work/afl-$target.log" 2>&1 \
    || { echo "fuzz: afl-fuzz failed for $target:"; tail -20 "$work/afl-$target.log"; status=1; continue; }
  execs=$(awk -F: '/^execs_done/ {gsub(/ /, "", $2); print $2}' "$findings/default/fuzzer_stats" 2>/dev/null || echo "?")
  paths=$(awk -F: '/^corpus_count/ {gsub(/ /, "", $2); print $2}' "$findings/default/fuzzer_stats" 2>/dev/null || echo "?")
  crashes=$(find "$findings/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
  echo "fuzz: $target: $execs inputs run, $paths in the queue, $crashes crashes"
  # A crash counts when the plain harness, in a fresh process, throws on the input too; afl sometimes reports a
  # crash of the long-lived instrumented process that no fresh run shows, which is kept for a look but not a failure.
  for crash in $(find "$findings/default/crashes" -type f -name 'id:*' 2>/dev/null); do
    if replay=$(dotnet "$work/replay/urban-fuzz.dll" "$target" "$crash" 2>&1); then
      echo "fuzz: $target: $(basename "$crash") does not crash a fresh process (kept in $findings)"
      continue
    fi
    mkdir -p "fuzz/regressions/$target"
    name="crash-$(sha256sum "$crash" | cut -c1-16)"
    cp "$crash" "fuzz/regressions/$target/$name"
    echo "fuzz: $target crashed on fuzz/regressions/$target/$name (commit it; FuzzRegressionTests replays it):"
    echo "$replay" | head -8
    echo "fuzz: the input, base64 (save with 'base64 -d > fuzz/regressions/$target/$name'):"
    base64 -w 120 "$crash"
    crashed=1
  done
done
# 10: the harness ran and found crashes (the caller decides what that means); any other failure: the harness broke.
if [ "$status" = 0 ] && [ "${crashed:-0}" = 1 ]; then
  exit 10
fi
exit "$status"
