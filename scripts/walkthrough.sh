#!/usr/bin/env bash
# Runs the README's walk-through exactly as written: every ```sh block of the section "Walk-through", in order, in one
# shell, from the repository's root, against a fresh server (its own empty data directory) and the fake providers.
# Fails when a command fails or when the walk-through does not end with a listed, synced file and a download link.
# The servers the walk-through starts in the background are stopped at the end (they run in their own process group).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

for port in 3001 5080; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "walkthrough: port $port is in use; the walk-through needs it (stop what listens there)." >&2
        exit 1
    fi
done

work=$(mktemp -d)
script="$work/walkthrough.sh"
output="$work/output.txt"
{
    echo 'set -euo pipefail'
    echo 'PS4="+ "; set -x'
    # The README's ```sh blocks between its "## Walk-through" heading and the next "## " heading.
    awk '/^## Walk-through/ { inside = 1; next } inside && /^## / { inside = 0 }
         inside && /^```sh$/ { block = 1; next } block && /^```$/ { block = 0; print ""; next } block { print }' README.md
} > "$script"
if ! grep -q 'curl' "$script"; then
    echo "walkthrough: no commands found in README.md's walk-through section." >&2
    exit 1
fi

# A fresh server: an empty data directory (SQLite database, job store, development keys) that only this run uses.
export Database__DataDirectory="$work/data"

setsid bash "$script" > "$output" 2>&1 &
group=$!
stop() {
    kill -TERM -- "-$group" 2>/dev/null || true
    rm -f fakes.log server.log jar
}
trap stop EXIT
# A watchdog, so a server that never comes up fails the run instead of hanging it.
( sleep 600; echo "walkthrough: timed out after 600 s" >> "$output"; kill -TERM -- "-$group" 2>/dev/null ) &
watchdog=$!
status=0
wait "$group" || status=$?
kill "$watchdog" 2>/dev/null || true

cat "$output"
fail() {
    echo "walkthrough: FAILED: $*" >&2
    echo "--- server.log (last 40 lines)" >&2
    tail -n 40 server.log >&2 2>/dev/null || true
    exit 1
}
[ "$status" -eq 0 ] || fail "a command exited with status $status"
grep -q '/oauth/success?' "$output" || fail "the connect flow did not land on the success page"
grep -q '^Quarterly report.pdf ' "$output" || fail "the project's file list does not show 'Quarterly report.pdf'"
tail -n 1 "$output" | grep -qE "^https?://[^ ]+$" || fail "no download link was printed last"
echo "walkthrough: OK (connected, synced, listed, download link)"
