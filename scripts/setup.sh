#!/usr/bin/env bash
# Installs what the project needs, once: Debian packages (debootstrap, SIPp, Chromium, iproute2, Kamailio),
# npm dependencies, and the Asterisk 22 root (Debian sid) in the cache directory. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*" >&2; }

need_root() {
  if [[ $EUID -ne 0 ]]; then
    log "this step needs root (apt, debootstrap, chroot, network namespaces); re-run with sudo"
    exit 1
  fi
}

# Node 20 or later is the one prerequisite this script does not install.
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null \
  || { log "Node.js 20 or later is required (found: $(node --version 2>/dev/null || echo none))"; exit 1; }

packages=(debootstrap sip-tester chromium iproute2 ca-certificates openssl kamailio)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  need_root
  log "installing Debian packages: ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  # Debian's package starts its own Kamailio on 5060 with the distribution's script; the SIP edge runs
  # ours (sip-edge/kamailio.cfg), started by the sandbox. The distribution's one is stopped and kept off.
  if [[ " ${missing[*]} " == *" kamailio "* ]] && command -v systemctl >/dev/null; then
    systemctl disable --now kamailio >/dev/null 2>&1 || true
  fi
fi

if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "installing npm dependencies"
  # Not `npm ci`: vite lists an optional dependency this registry does not serve, which npm ci refuses
  # as "missing from lock file"; npm install still installs exactly the locked versions.
  npm install --no-audit --no-fund --loglevel=error
fi

need_root
bash scripts/build-asterisk-root.sh
