#!/usr/bin/env bash
# End-to-end suite: Parc behind the Microsoft 365 Agents Playground.
#
#   e2e/run.sh                 every scenario (e2e/scenarios/*.test.js)
#   e2e/run.sh roles browser   the scenario files whose name contains a word
#
# Builds the bot once, runs the scenarios with node's test runner, then
# checks that no process started by this run survives. Exit status: 0 when
# everything passed, 1 otherwise. PARC_E2E_NO_BROWSER=1 skips (and says so)
# the browser scenario.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
started=$(date +%s%N)

export PARC_E2E_RUN_ID="e2e-$$-$(date +%s)"
export PARC_E2E_BIN="$PWD/e2e/out/bin/parc"

if [ ! -d e2e/node_modules/@microsoft/m365agentsplayground ]; then
	echo "e2e: installing the pinned Node packages (npm ci --prefix e2e)"
	npm ci --prefix e2e --no-audit --no-fund || exit 1
fi

echo "e2e: building the bot"
# With the race detector: the Go tests (make test) have already compiled every
# package that way, so on a fresh machine this reuses them instead of
# compiling Microsoft Graph's SDK a second time, and races in the flows the
# scenarios play are caught too.
go build -race -o "$PARC_E2E_BIN" ./cmd/parc || { echo "e2e: FAILED: go build"; exit 1; }

files=()
if [ $# -eq 0 ]; then
	files=(e2e/scenarios/*.test.js)
else
	for word in "$@"; do
		if [ -f "$word" ]; then
			files+=("$word")
			continue
		fi
		matched=(e2e/scenarios/*"$word"*.test.js)
		if [ ! -f "${matched[0]}" ]; then
			echo "e2e: no scenario file matches \"$word\" in e2e/scenarios/"
			exit 1
		fi
		files+=("${matched[@]}")
	done
fi

rm -rf e2e/out/screenshots e2e/out/logs
mkdir -p e2e/out

node --test --test-reporter=spec --test-concurrency=2 --test-timeout=120000 "${files[@]}"
status=$?

# Anything still carrying this run's mark is a leak: report it, then kill it.
leaked=()
for env in /proc/[0-9]*/environ; do
	pid=${env#/proc/}
	pid=${pid%/environ}
	if { tr '\0' '\n' <"$env"; } 2>/dev/null | grep -qx "PARC_E2E_CHILD=$PARC_E2E_RUN_ID"; then
		leaked+=("$pid")
	fi
done
if [ ${#leaked[@]} -gt 0 ]; then
	echo "e2e: FAILED: processes left behind by this run:"
	for pid in "${leaked[@]}"; do
		printf '  %s %s\n' "$pid" "$(tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null)"
	done
	kill -9 "${leaked[@]}" 2>/dev/null
	status=1
fi

# The bot runs with the race detector: a race it met fails the suite.
if grep -l "WARNING: DATA RACE" e2e/out/logs/*/parc.log 2>/dev/null; then
	echo "e2e: FAILED: the race detector reported data races in the logs above"
	status=1
fi

elapsed=$(( ($(date +%s%N) - started) / 1000000 ))
secs=$(printf '%d.%01d' $((elapsed / 1000)) $(((elapsed % 1000) / 100)))
skipped=""
if [ "${PARC_E2E_NO_BROWSER:-}" = 1 ]; then
	skipped=" (browser scenario SKIPPED: PARC_E2E_NO_BROWSER=1)"
fi
if [ "$status" -eq 0 ]; then
	echo "e2e: passed${skipped}: ${#files[@]} scenario file(s) in ${secs}s, no process left; screenshots in e2e/out/screenshots, logs in e2e/out/logs"
else
	echo "e2e: FAILED (status $status) after ${secs}s${skipped}; logs of each stack in e2e/out/logs/<scenario>/"
	status=1
fi
exit "$status"
