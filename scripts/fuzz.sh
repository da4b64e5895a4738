#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ and runs each for a bounded time.
#
#   scripts/fuzz.sh [seconds-per-target]     (default 60)
#
# Exits non-zero if any target crashes, times out, runs out of memory or
# fails to build. Each failing input is copied to $FUZZ_FINDINGS (default
# Fuzz/.build/findings) as <target>-<crash|timeout|oom|…>-<hash>, and the line
# to replay it is printed. Inputs that found new coverage stay in
# Fuzz/.build/corpus/<target> (not committed; the committed seeds are
# Fuzz/corpus/<target>, token lists Fuzz/dict/<target>.dict). Environment:
#   FUZZ_TARGETS     space-separated subset of: irc-message line-framer config-loader console-request score-datagram score-ingest client-lines file-command http-request websocket-frames
#   FUZZ_BUILD_LOCK  a lock file to hold (flock) only while building, on a shared machine
#   FUZZ_FINDINGS    where failing inputs are copied
set -euo pipefail

seconds="${1:-60}"
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [seconds-per-target]" >&2; exit 64; }
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$root/Fuzz/.build"   # ignored by .gitignore's `.build/`
findings="${FUZZ_FINDINGS:-$scratch/findings}"
targets=(${FUZZ_TARGETS:-irc-message line-framer config-loader console-request score-datagram score-ingest client-lines file-command http-request websocket-frames})

product() {
    case "$1" in
        irc-message) echo FuzzIRCMessage ;;
        line-framer) echo FuzzLineFramer ;;
        config-loader) echo FuzzConfigLoader ;;
        console-request) echo FuzzConsoleRequest ;;
        score-datagram) echo FuzzScoreDatagram ;;
        score-ingest) echo FuzzScoreIngest ;;
        client-lines) echo FuzzClientLines ;;
        file-command) echo FuzzFileCommand ;;
        http-request) echo FuzzHTTPRequest ;;
        websocket-frames) echo FuzzWebSocketFrames ;;
        *) echo "unknown fuzz target: $1" >&2; exit 64 ;;
    esac
}

# Release, so the time goes to executions rather than to unoptimised code;
# -sanitize=fuzzer on every module gives ChatServer its coverage counters and
# links libFuzzer's main into each executable.
build=(swift build --package-path "$root/Fuzz" --scratch-path "$scratch" -c release -Xswiftc -sanitize=fuzzer)
echo "== building fuzz targets"
started=$(date +%s)
if [[ -n "${FUZZ_BUILD_LOCK:-}" ]]; then
    flock "$FUZZ_BUILD_LOCK" "${build[@]}"
else
    "${build[@]}"
fi
echo "== built in $(( $(date +%s) - started ))s"
bin="$("${build[@]}" --show-bin-path)"

# The Swift runtime's own crash backtracer would catch the trap first and
# exit without libFuzzer ever writing the input down.
export SWIFT_BACKTRACE=enable=no

failed=()
for target in "${targets[@]}"; do
    exe="$bin/$(product "$target")"
    corpus="$scratch/corpus/$target"
    artifacts="$scratch/artifacts/$target"
    rm -rf "$artifacts"
    mkdir -p "$corpus" "$artifacts" "$findings"
    echo "== $target: ${seconds}s"
    # New inputs go to the first (scratch) corpus; the committed seeds are
    # only read. -timeout: seconds for one input; -rss_limit_mb: memory cap.
    dict=()
    [[ -f "$root/Fuzz/dict/$target.dict" ]] && dict=(-dict="$root/Fuzz/dict/$target.dict")
    status=0
    "$exe" "$corpus" "$root/Fuzz/corpus/$target" "${dict[@]}" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 >"$artifacts/log" 2>&1 || status=$?
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|^#[0-9]+ *DONE' "$artifacts/log" | tr '\n' ' ' || true
    echo
    if (( status != 0 )); then
        echo "!! $target failed (exit $status); the end of its log:"
        grep -v '^0x' "$artifacts/log" | tail -40
        shopt -s nullglob
        for input in "$artifacts"/crash-* "$artifacts"/timeout-* "$artifacts"/oom-* "$artifacts"/leak-* "$artifacts"/slow-unit-*; do
            saved="$findings/$target-$(basename "$input")"
            cp "$input" "$saved"
            echo "!! failing input saved: $saved"
            echo "!! replay: SWIFT_BACKTRACE=enable=no $exe $saved"
        done
        shopt -u nullglob
        failed+=("$target")
    fi
done

if (( ${#failed[@]} > 0 )); then
    echo "fuzzing failed: ${failed[*]} (inputs in $findings)" >&2
    exit 1
fi
echo "fuzzing: no failures in ${#targets[@]} targets × ${seconds}s"
