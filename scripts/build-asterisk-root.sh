#!/usr/bin/env bash
# Builds a Debian sid root with Asterisk 22 into a cache directory, once.
# Idempotent: a root that is already built (marker file + expected major version) is left alone.
# Never committed: the root lives outside the repository (CC_ASTERISK_ROOT or ~/.cache).
set -euo pipefail

ROOT="${CC_ASTERISK_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/contact-center/asterisk-root}"
EXPECTED_MAJOR="${CC_ASTERISK_MAJOR:-22}"
MARKER="$ROOT/.contact-center-root"

log() { printf '[asterisk-root] %s\n' "$*" >&2; }

version_of_root() {
  chroot "$ROOT" dpkg-query -W -f='${Version}' asterisk 2>/dev/null | sed -E 's/^[0-9]+://'
}

check_version() {
  local v major
  v="$(version_of_root)"
  major="${v%%.*}"
  if [[ "$major" != "$EXPECTED_MAJOR" ]]; then
    log "Asterisk in $ROOT is version '$v'; this project is tested with $EXPECTED_MAJOR.x."
    log "Set CC_ASTERISK_MAJOR=$major to accept it, or remove $ROOT to rebuild."
    exit 3
  fi
  echo "$v"
}

# The Spanish core sounds: a caller who chose Spanish in an IVR flow (setLanguage) hears Asterisk's own
# prompts, numbers and digits in Spanish. Each language's sounds lead to its own folder of the contact
# center's sounds (custom/<name> looked up in <custom>/<language>/ first).
PACKAGES="asterisk asterisk-modules asterisk-core-sounds-en-gsm asterisk-core-sounds-es asterisk-core-sounds-es-gsm"
LANGUAGES="es"

missing_packages() {
  local p
  for p in $PACKAGES; do
    chroot "$ROOT" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || printf '%s ' "$p"
  done
}

# Asterisk looks for custom/<name> in sounds/<language>/custom/ before sounds/custom/ (languageprefix):
# that leads to the language's folder below the contact center's sounds (bind-mounted at
# /usr/local/share/asterisk/sounds, where Debian's sounds/custom points).
link_language_sounds() {
  local lang dir
  for lang in $LANGUAGES; do
    dir="$(chroot "$1" readlink -f "/usr/share/asterisk/sounds/$lang" 2>/dev/null || true)"
    [[ -n "$dir" && -d "$1$dir" ]] || continue
    [[ -L "$1$dir/custom" ]] || ln -sfn "/usr/local/share/asterisk/sounds/$lang" "$1$dir/custom"
  done
}

# A root built before a package joined the list gets it added in place (under the build lock).
add_missing() {
  local missing
  missing="$(missing_packages)"
  if [[ -n "$missing" ]]; then
    [[ $EUID -eq 0 ]] || { log "adding $missing to the Asterisk root needs root"; exit 1; }
    exec 8>"$ROOT.lock"
    flock 8
    missing="$(missing_packages)"
    if [[ -n "$missing" ]]; then
      log "adding $missing to the root"
      chroot "$ROOT" /usr/bin/env DEBIAN_FRONTEND=noninteractive bash -c \
        "apt-get update -q && apt-get install -y -q --no-install-recommends $missing && apt-get clean && rm -rf /var/lib/apt/lists/*" \
        >"$ROOT.add.log" 2>&1 || { log "apt-get in the root failed; see $ROOT.add.log"; tail -20 "$ROOT.add.log" >&2; exit 1; }
      rm -f "$ROOT.add.log"
    fi
    flock -u 8
  fi
  [[ $EUID -ne 0 ]] || link_language_sounds "$ROOT"
}

if [[ -f "$MARKER" ]]; then
  v="$(check_version)"
  add_missing
  log "root ready at $ROOT (Asterisk $v)"
  exit 0
fi

[[ $EUID -eq 0 ]] || { log "building the Asterisk root needs root (debootstrap, chroot)"; exit 1; }

# One build at a time: a second setup (another checkout, a test run) would delete the first's half-built
# root under it. It waits, then finds the root ready.
mkdir -p "$(dirname "$ROOT")"
exec 9>"$ROOT.lock"
if ! flock -n 9; then
  log "another build of $ROOT is under way; waiting for it"
  flock 9
fi
if [[ -f "$MARKER" ]]; then
  v="$(check_version)"
  add_missing
  log "root ready at $ROOT (Asterisk $v)"
  exit 0
fi
command -v debootstrap >/dev/null || {
  log "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap >/dev/null
}

MIRROR="${CC_DEBIAN_MIRROR:-}"
if [[ -z "$MIRROR" ]]; then
  MIRROR="$(grep -hm1 '^URIs:' /etc/apt/sources.list.d/debian.sources 2>/dev/null | awk '{print $2}' || true)"
fi
if [[ -z "$MIRROR" ]]; then
  MIRROR="$(grep -hm1 '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' || true)"
fi
[[ -n "$MIRROR" ]] || { log "no Debian mirror found; set CC_DEBIAN_MIRROR"; exit 1; }

# An interrupted build can leave /proc mounted in the partial root (debootstrap mounts it).
umount -l "$ROOT.partial/proc" 2>/dev/null || true
rm -rf "$ROOT.partial"
log "debootstrap sid from $MIRROR into $ROOT.partial"
debootstrap --variant=minbase --include=ca-certificates sid "$ROOT.partial" "$MIRROR" >"$ROOT.partial.log" 2>&1 \
  || { log "debootstrap failed; see $ROOT.partial.log"; tail -20 "$ROOT.partial.log" >&2; exit 1; }

# sid's Release can look expired to this machine's clock (lab notes, gotcha 1).
echo 'Acquire::Check-Valid-Until "false";' >"$ROOT.partial/etc/apt/apt.conf.d/99no-valid-until"
# No /etc/hosts in a minbase root (gotcha 3): nothing may resolve through DNS.
printf '127.0.0.1 localhost\n::1 localhost\n127.0.1.1 asterisk-sandbox\n' >"$ROOT.partial/etc/hosts"
# No daemons may start inside the root while packages install.
printf '#!/bin/sh\nexit 101\n' >"$ROOT.partial/usr/sbin/policy-rc.d"
chmod +x "$ROOT.partial/usr/sbin/policy-rc.d"

log "installing asterisk into the root"
chroot "$ROOT.partial" /usr/bin/env DEBIAN_FRONTEND=noninteractive bash -c \
  "apt-get update -q && apt-get install -y -q --no-install-recommends $PACKAGES && apt-get clean && rm -rf /var/lib/apt/lists/*" \
  >>"$ROOT.partial.log" 2>&1 || { log "apt-get in the root failed; see $ROOT.partial.log"; tail -20 "$ROOT.partial.log" >&2; exit 1; }

link_language_sounds "$ROOT.partial"
rm -rf "$ROOT"
mv "$ROOT.partial" "$ROOT"
rm -f "$ROOT.partial.log"
v="$(check_version)"
date -u +%FT%TZ >"$MARKER"
log "root built at $ROOT (Asterisk $v)"
