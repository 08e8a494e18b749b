#!/usr/bin/env bash
# The test command: every check CI makes, in CI's order. Needs the .NET SDK, Debian's postgresql-15 binaries and Debian's
# redis-server and chromium (installed here when missing); the integration tests start their own throwaway PostgreSQL and Redis
# servers (PostgreSQL as the postgres user when run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step() { printf '\n==> %s\n' "$*"; }

# Runs a dotnet command, shows its output, and fails when it printed any warning: a clean restore and build are part of
# the product (a warning on stdout breaks, for one, `TOKEN=$(dotnet run … dev-token …)`).
no_warnings() {
    local log
    log=$(mktemp)
    "$@" 2>&1 | tee "$log"
    if grep -qE ': warning [A-Z]+[0-9]+' "$log"; then
        echo "FAILED: '$*' printed warnings (see above); fix them, do not silence them." >&2
        rm -f "$log"
        exit 1
    fi
    rm -f "$log"
}

step "prerequisites (redis-server for the scale-out tests)"
if ! command -v redis-server >/dev/null 2>&1; then
    # A fresh CI machine: say what is installed and why, then install Debian's package (refreshing the lists if needed).
    echo "redis-server is missing: installing Debian's redis-server package with apt-get (the PostgreSQL pass starts"
    echo "a throwaway Redis for the scale-out tests; nothing is left running)."
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y -qq redis-server >/dev/null 2>&1 ||
        { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq redis-server >/dev/null; }
fi
redis-server --version

step "prerequisites (Debian's chromium for the console's end-to-end test)"
if [ ! -x /usr/bin/chromium ]; then
    # The end-to-end test drives Debian's Chromium through Playwright (never a downloaded browser build).
    echo "chromium is missing: installing Debian's chromium package with apt-get (the console's end-to-end test drives it"
    echo "headless; nothing is left running)."
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y -qq chromium >/dev/null 2>&1 ||
        { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/dev/null; }
fi
/usr/bin/chromium --version

step "restore (any warning fails the run)"
no_warnings dotnet restore Mwap.slnx

step "format (dotnet format whitespace --verify-no-changes; style and analyzer rules fail the build below)"
# The build enforces the .editorconfig's style rules and the analyzers (EnforceCodeStyleInBuild, warnings as errors), so
# the format check only needs the layout: a full `dotnet format` compiled everything a second time (67 s against 10 s).
dotnet format whitespace Mwap.slnx --verify-no-changes

step "build (warnings are errors; any warning fails the run)"
no_warnings dotnet build Mwap.slnx --no-restore

step "unit tests (including: the model has no changes that a migration does not cover)"
dotnet test --project tests/Mwap.Api.Tests --no-build

step "console component tests (bUnit: schema-driven config form, file browser paging, error display)"
dotnet test --project tests/Mwap.Console.Tests --no-build

step "fake provider self-checks (Google Drive, Dropbox, Microsoft Graph fakes over real HTTP)"
dotnet test --project tests/Mwap.FakeProviders.Tests --no-build

step "README walk-through (scripts/walkthrough.sh: the README's commands, in order, against a fresh server and the fakes)"
./scripts/walkthrough.sh

step "console end-to-end (Playwright driving Debian's chromium against the real server, the fakes and SQLite)"
dotnet test --project tests/Mwap.Console.EndToEnd --no-build

step "integration tests on SQLite"
# (the scale-out and outage classes need PostgreSQL by nature: they run in the PostgreSQL pass only)
MWAP_TEST_DATABASE=sqlite dotnet test --project tests/Mwap.Api.IntegrationTests --no-build -- --filter-not-trait "Pass=postgres"

step "integration tests on PostgreSQL (also: two server processes on one PostgreSQL and Redis, a PostgreSQL crash)"
MWAP_TEST_DATABASE=postgres dotnet test --project tests/Mwap.Api.IntegrationTests --no-build

step "all checks passed"
