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
run_one() {  # round platform: one whole run, its verdict as one line
    local round=$1 platform=$2
    local log="$work/run-$round-$platform.log" started code seconds summary
    local temp="$work/tmp-$round-$platform"
    started=$(date +%s)
    if [ "$platform" = xcb ]; then
        ENGAGE_ARTIFACTS="$temp/artifacts" QT_QPA_PLATFORM=xcb \
            xvfb-run -a -s "-screen 0 1920x1080x24" python -X faulthandler -m pytest -q \
            -p no:cacheprovider --basetemp "$temp" >"$log" 2>&1
    else
        ENGAGE_ARTIFACTS="$temp/artifacts" QT_QPA_PLATFORM=offscreen \
            python -X faulthandler -m pytest -q -p no:cacheprovider --basetemp "$temp" \
            >"$log" 2>&1
    fi
    code=$?
    seconds=$(( $(date +%s) - started ))
    summary="$(grep -E '[0-9]+ (passed|failed)' "$log" | tail -1)"
    if [ "$code" -ge 128 ] || grep -q "Fatal Python error" "$log"; then
        echo "CRASH round $round $platform: exit $code after ${seconds} s, see $log"
    elif [ "$code" -ne 0 ]; then
        echo "FAILED round $round $platform: exit $code after ${seconds} s: $summary, see $log"
    else
        echo "ok round $round $platform: ${seconds} s: $summary"
    fi
}

# Each round runs both platforms at once (one core each).
for round in $(seq 1 "$rounds"); do
    run_one "$round" offscreen >"$work/verdict-$round-offscreen" &
    run_one "$round" xcb >"$work/verdict-$round-xcb" &
    wait
    cat "$work/verdict-$round-offscreen" "$work/verdict-$round-xcb"
done
crashes=$(cat "$work"/verdict-* | grep -c "^CRASH")
failures=$(cat "$work"/verdict-* | grep -c "^FAILED")
echo "$rounds rounds × 2 platforms: $crashes crashed, $failures failed (logs in $work)"
[ "$crashes" -eq 0 ] && [ "$failures" -eq 0 ]
