#!/usr/bin/env bash
# Runs the whole test suite N times in a row on a clean clone of this repository's HEAD, on the
# offscreen platform and on a real X server (Xvfb, xcb platform), and reports every run that
# crashed (exit 139, "Fatal Python error") or failed. A crash is a bug to find, never to retry.
#
#   tools/repeat_tests.sh [N]          (default 10; the log of each run is kept)
#
# Needs what .ci/run installs (it is run once first, in the clone, to set everything up).
set -uo pipefail
rounds="${1:-10}"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/engage-repeat-XXXXXX)"
git clone -q "$here" "$work/clone"
cd "$work/clone"
python3 -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
python -m pip install -q -e ".[test]" >/dev/null
export ENGAGE_REQUIRE_SECRET_SERVICE=1
crashes=0
failures=0
for round in $(seq 1 "$rounds"); do
    for platform in offscreen xcb; do
        log="$work/run-$round-$platform.log"
        started=$(date +%s)
        if [ "$platform" = xcb ]; then
            QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1080x24" \
                python -X faulthandler -m pytest -q -p no:cacheprovider >"$log" 2>&1
        else
            QT_QPA_PLATFORM=offscreen python -X faulthandler -m pytest -q -p no:cacheprovider \
                >"$log" 2>&1
        fi
        code=$?
        seconds=$(( $(date +%s) - started ))
        summary="$(grep -E '[0-9]+ (passed|failed)' "$log" | tail -1)"
        if [ "$code" -ge 128 ] || grep -q "Fatal Python error" "$log"; then
            crashes=$((crashes + 1))
            echo "round $round $platform: CRASH (exit $code, ${seconds} s), see $log"
        elif [ "$code" -ne 0 ]; then
            failures=$((failures + 1))
            echo "round $round $platform: FAILED (exit $code, ${seconds} s): $summary, see $log"
        else
            echo "round $round $platform: ok (${seconds} s): $summary"
        fi
    done
done
echo "$rounds rounds × 2 platforms: $crashes crashed, $failures failed (logs in $work)"
[ "$crashes" -eq 0 ] && [ "$failures" -eq 0 ]
