#!/usr/bin/env bash
# Nightly benchmark job (cron or CI): install, run every suite into a dated JSON file, compare it
# with this machine kind's baseline (bench/baselines/<kind>.json), and keep the history.
#
# Usage: scripts/nightly-bench.sh [--no-install] [--threshold PERCENT] [-- extra "pnpm bench" flags]
#   --no-install        skip "pnpm install --frozen-lockfile" (the tree is already installed)
#   --threshold PERCENT regression gate for bench:compare (default 10)
#   after --             passed to pnpm bench, e.g. -- --quick  or  -- --suite micro
# Environment:
#   GBFLEET_BENCH_HISTORY  where results are kept (default $HOME/gbfleet-bench-history):
#                          <kind>/<UTC stamp>-<revision>.json, .log, .compare.txt, .compare.json,
#                          latest.json, and history.tsv (one line per night).
# Exit codes: 0 no regression (or no baseline yet), 1 a tracked figure regressed,
#             2 bad flags or an unreadable result file, anything else: install, build or bench failed.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)

install=1
threshold=10
bench_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-install) install=0 ;;
    --threshold)
      [ $# -ge 2 ] || { echo "nightly-bench: --threshold needs a percentage, e.g. --threshold 10" >&2; exit 2; }
      threshold=$2
      shift
      ;;
    --) shift; bench_args=("$@"); break ;;
    -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "nightly-bench: unknown argument \"$1\": see --help" >&2; exit 2 ;;
  esac
  shift
done

# pnpm as the repository pins it (package.json "packageManager"), like .ci/run.
if command -v pnpm >/dev/null 2>&1; then
  pnpm=(pnpm)
else
  version=$(node -p "require('./package.json').packageManager.split('@')[1]")
  pnpm=(npx --yes "pnpm@${version}")
fi

if [ "$install" = 1 ]; then
  "${pnpm[@]}" install --frozen-lockfile
fi
"${pnpm[@]}" run build >&2

kind=$(node bench/dist/main.js --machine-kind)
history_root=${GBFLEET_BENCH_HISTORY:-$HOME/gbfleet-bench-history}
history="$history_root/$kind"
mkdir -p "$history"
revision=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
stamp=$(date -u +%Y-%m-%dT%H%MZ)
name="$stamp-$revision"
result="$history/$name.json"

echo "nightly-bench: $kind, revision $revision; results in $history/$name.*" >&2
# The bench's table goes to .log with its progress; the JSON is the figure file.
"${pnpm[@]}" bench --json "$result" ${bench_args[@]+"${bench_args[@]}"} >"$history/$name.log" 2>&1 || {
  status=$?
  tail -n 30 "$history/$name.log" >&2
  printf '%s\t%s\t%s\t%s\n' "$stamp" "$revision" "bench-failed" "$name.log" >>"$history/history.tsv"
  exit "$status"
}
ln -sf "$name.json" "$history/latest.json"

baseline="bench/baselines/$kind.json"
if [ ! -f "$baseline" ]; then
  echo "nightly-bench: no baseline for $kind yet; start one with:" >&2
  echo "  cp '$result' '$root/$baseline'   (or: pnpm bench --json $baseline)" >&2
  printf '%s\t%s\t%s\t%s\n' "$stamp" "$revision" "no-baseline" "$name.json" >>"$history/history.tsv"
  exit 0
fi

set +e
"${pnpm[@]}" --silent bench:compare "$baseline" "$result" --threshold "$threshold" | tee "$history/$name.compare.txt"
gate=${PIPESTATUS[0]}
"${pnpm[@]}" --silent bench:compare "$baseline" "$result" --threshold "$threshold" --json >"$history/$name.compare.json" 2>/dev/null
set -e
case "$gate" in
  0) verdict=ok ;;
  1) verdict=regressed ;;
  *) verdict=compare-failed ;;
esac
printf '%s\t%s\t%s\t%s\n' "$stamp" "$revision" "$verdict" "$name.json" >>"$history/history.tsv"
exit "$gate"
