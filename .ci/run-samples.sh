#!/usr/bin/env bash
# Runs the sample scripts (samples/scripts/*.cs, docs/scripting.md) with no arguments, each in its own temporary
# output folder, as file-based C# programs against the libraries' projects (#:project, no packing needed).
#
#   bash .ci/run-samples.sh [-c Debug|Release]     (default Release: reuses the build of `dotnet test -c Release`)
#
# Prints one line per script and a summary; exits non-zero when a script fails.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
configuration=Release
[ "${1:-}" = "-c" ] && configuration=${2:-Release}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

scripts=(train-evaluate inspect-model classify)
work=$(mktemp -d "${TMPDIR:-/tmp}/urbangrowth-samples.XXXXXX")
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
failed=()
for s in "${scripts[@]}"; do
  out="$work/$s"
  mkdir -p "$out"
  t0=$(date +%s)
  # The script writes to ./urban-output: run it from its own folder.
  if (cd "$out" && dotnet run -c "$configuration" "$root/samples/scripts/$s.cs") > "$work/$s.log" 2>&1; then
    pngs=$(find "$out" -name '*.png' | wc -l)
    if [ "$pngs" -gt 0 ] || [ "$s" = train-evaluate ]; then
      echo "  $s.cs: passed in $(( $(date +%s) - t0 )) s ($(find "$out/urban-output" -maxdepth 1 -type f | wc -l) files, $pngs PNG)"
      continue
    fi
    echo "  $s.cs: FAILED: wrote no PNG"
  else
    echo "  $s.cs: FAILED (exit $?) after $(( $(date +%s) - t0 )) s; last lines:"
  fi
  tail -n 20 "$work/$s.log" | sed 's/^/    /'
  failed+=("$s")
done

# The notebook cannot run here (no Jupyter): check that it is nbformat 4 JSON with a C# kernel and code cells.
notebook=samples/notebooks/urban-growth.ipynb
if python3 - "$notebook" <<'PY'
import json, sys
nb = json.load(open(sys.argv[1], encoding="utf-8"))
assert nb["nbformat"] == 4, "nbformat is not 4"
assert nb["metadata"]["kernelspec"]["name"] == ".net-csharp", "kernel is not .net-csharp"
code = [c for c in nb["cells"] if c["cell_type"] == "code"]
assert code and all(isinstance(c["source"], list) and c["outputs"] == [] for c in code), "code cells malformed"
assert any("#r \"nuget: Inegi.UrbanGrowth.Pipeline" in "".join(c["source"]) for c in code), "no #r of the package"
PY
then
  echo "  $notebook: valid nbformat 4 JSON (not executed)"
else
  echo "  $notebook: FAILED the JSON check"
  failed+=("notebook")
fi

total=$(( $(date +%s) - start ))
if [ "${#failed[@]}" -gt 0 ]; then
  echo "Sample scripts: FAILED: ${failed[*]} in $total s"
  exit 1
fi
echo "Sample scripts: ${#scripts[@]} passed, notebook JSON valid, in $total s"
