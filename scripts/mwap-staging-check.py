#!/usr/bin/env python3
"""Runs MWAP's own staging script (tests/staging-api-test.py of github.com/dhirmadi/mwapserver), unmodified, against
this server, after creating what the script expects to exist but does not create itself.

    python3 scripts/mwap-staging-check.py --base http://127.0.0.1:5000 \
        --admin-token "$(dotnet Mwap.Api.dll dev-token --sub auth0|admin)" \
        --user-token "$(dotnet Mwap.Api.dll dev-token --sub auth0|staging-user)" \
        --script /path/to/mwapserver/tests/staging-api-test.py

Run it once against a fresh database: the admin token's subject must be a superadmin (`superadmin add`), the user
must not own a tenant yet, and no provider with the slugs dropbox/google-drive nor another active project type may exist. Set-up: one
active project type, two cloud providers (the script connects the first one listed itself), a tenant owned by the user
with an integration on the second provider. The script's own report is written under --report-dir.
Needs `requests` and `colorama` (the script's own requirements).
"""
import argparse
import importlib.util
import json
import sys
import urllib.request
import uuid


def call(base, token, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"{}").get("data")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True, help="server root, e.g. http://127.0.0.1:5000")
    parser.add_argument("--admin-token", required=True)
    parser.add_argument("--user-token", required=True)
    parser.add_argument("--script", required=True, help="path to MWAP's tests/staging-api-test.py")
    parser.add_argument("--report-dir", default="/tmp/mwap-staging-report")
    args = parser.parse_args()
    api = args.base.rstrip("/") + "/api/v1"
    suffix = uuid.uuid4().hex[:6]

    call(api, args.admin_token, "POST", "/project-types", {
        "name": "Staging Type " + suffix, "description": "for MWAP's staging script", "isActive": True,
        "configSchema": {"inputFolder": "string?", "outputFolder": "string?"}})
    providers = {}
    for name, slug in (("A Dropbox " + suffix, "dropbox"), ("B Google Drive " + suffix, "google-drive")):
        providers[slug] = call(api, args.admin_token, "POST", "/cloud-providers", {
            "name": name, "slug": slug, "scopes": ["files.metadata.read"],
            "authUrl": "https://auth.example.com/authorize", "tokenUrl": "https://auth.example.com/token",
            "clientId": "staging-client", "clientSecret": "staging-secret"})["_id"]
    tenant = call(api, args.user_token, "POST", "/tenants", {"name": "Staging Tenant " + suffix})
    call(api, args.user_token, "POST", f"/tenants/{tenant['_id']}/integrations", {"providerId": providers["google-drive"]})

    spec = importlib.util.spec_from_file_location("staging_api_test", args.script)
    staging = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(staging)
    staging.API_BASE_URL = api
    tester = staging.APITester(args.user_token)
    tester.run_all_tests()
    failed = [r.name for r in tester.results if not r.passed]
    print(json.dumps({"passed": len(tester.results) - len(failed), "total": len(tester.results), "failed": failed}))
    return 0 if failed in ([], ["Health Check"]) else 1


if __name__ == "__main__":
    sys.exit(main())
