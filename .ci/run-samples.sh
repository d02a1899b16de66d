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

total=$(( $(date +%s) - start ))
if [ "${#failed[@]}" -gt 0 ]; then
  echo "Sample scripts: FAILED ${failed[*]} (${#failed[@]} of ${#scripts[@]}) in $total s"
  exit 1
fi
echo "Sample scripts: ${#scripts[@]} passed in $total s"
