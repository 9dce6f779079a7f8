#!/usr/bin/env bash
# Nightly fuzz job (cron or CI, beside scripts/nightly-bench.sh): runs `pnpm fuzz` (1,000,000
# inputs per decoder, docs/reliability.md) with tonight's seed and keeps the log.
#
# Usage: scripts/nightly-fuzz.sh
# Environment:
#   FUZZ_SEED            the seed (default: today's date as YYYYMMDD, so each night differs and
#                        any night can be replayed)
#   FUZZ_INPUTS          inputs per decoder (default 1000000)
#   GBFLEET_FUZZ_HISTORY where logs are kept (default $HOME/gbfleet-fuzz-history)
# Exit codes: 0 no break, 1 a crash, slow input or invariant break (the log holds the reproducer).
set -euo pipefail

cd "$(dirname "$0")/.."
export FUZZ_SEED=${FUZZ_SEED:-$(date -u +%Y%m%d)}
history=${GBFLEET_FUZZ_HISTORY:-$HOME/gbfleet-fuzz-history}
mkdir -p "$history"
log="$history/$(date -u +%Y-%m-%dT%H%MZ)-$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)-seed$FUZZ_SEED.log"
echo "nightly-fuzz: seed $FUZZ_SEED, log $log" >&2
pnpm fuzz 2>&1 | tee "$log"
