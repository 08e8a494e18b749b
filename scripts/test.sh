#!/usr/bin/env bash
# The test command: every check CI makes, in CI's order. Needs the .NET SDK, Debian's postgresql-15 binaries and Debian's
# redis-server (installed here when missing); the integration tests start their own throwaway PostgreSQL and Redis
# servers (PostgreSQL as the postgres user when run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step() { printf '\n==> %s\n' "$*"; }

step "prerequisites (redis-server for the scale-out tests)"
if ! command -v redis-server >/dev/null 2>&1; then
    # A fresh CI machine: install Debian's package quietly (the package lists may need a refresh first).
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y -qq redis-server >/dev/null 2>&1 ||
        { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq redis-server >/dev/null; }
fi
redis-server --version

step "restore"
dotnet restore Mwap.slnx

step "format (dotnet format --verify-no-changes)"
dotnet format Mwap.slnx --verify-no-changes --no-restore

step "build (warnings are errors)"
dotnet build Mwap.slnx --no-restore

step "unit tests (including: the model has no changes that a migration does not cover)"
dotnet test --project tests/Mwap.Api.Tests --no-build

step "fake provider self-checks (Google Drive, Dropbox, Microsoft Graph fakes over real HTTP)"
dotnet test --project tests/Mwap.FakeProviders.Tests --no-build

step "integration tests on SQLite"
# (the scale-out and outage classes need PostgreSQL by nature: they run in the PostgreSQL pass only)
MWAP_TEST_DATABASE=sqlite dotnet test --project tests/Mwap.Api.IntegrationTests --no-build -- --filter-not-trait "Pass=postgres"

step "integration tests on PostgreSQL (also: two server processes on one PostgreSQL and Redis, a PostgreSQL crash)"
MWAP_TEST_DATABASE=postgres dotnet test --project tests/Mwap.Api.IntegrationTests --no-build

step "all checks passed"
