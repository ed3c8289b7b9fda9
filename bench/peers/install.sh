#!/usr/bin/env bash
# Installs the peer IRC servers that `parley bench` is compared with, from Debian packages.
# Debian's packages would start them as system services; start.sh runs them itself instead,
# on loopback with benchmark configurations. (Do not add ircd-hybrid: it conflicts with ngircd.)
set -euo pipefail
if [[ $(id -u) -ne 0 ]]; then
    echo "install.sh: run as root (apt-get)" >&2
    exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ngircd inspircd
# keep the packaged services from holding port 6667 if an init system started them
for svc in ngircd inspircd; do
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
        systemctl stop "$svc" || true
    fi
done
ngircd --version | head -n1
inspircd --version
