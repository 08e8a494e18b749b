#!/usr/bin/env bash
# The test command: every check CI makes, in CI's order. Needs only the .NET SDK and Debian's postgresql-15 binaries;
# the integration tests start their own throwaway PostgreSQL server (as the postgres user when run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step() { printf '\n==> %s\n' "$*"; }

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
MWAP_TEST_DATABASE=sqlite dotnet test --project tests/Mwap.Api.IntegrationTests --no-build

step "integration tests on PostgreSQL"
MWAP_TEST_DATABASE=postgres dotnet test --project tests/Mwap.Api.IntegrationTests --no-build

step "all checks passed"
