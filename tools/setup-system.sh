#!/usr/bin/env bash
# Installs the Debian packages the tests need (PostgreSQL 15 server, chromium,
# poppler for PDF text, npm for axe-core, nginx and openssl for the proxy test)
# when they are missing. Idempotent; needs root (CI and the dev machines are root).
set -euo pipefail
missing=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
command -v npm >/dev/null || missing+=(npm)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v openssl >/dev/null || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    if [ "$(id -u)" != 0 ]; then
        echo "need root to install ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
