#!/usr/bin/env bash
# Makes a self-signed TLS certificate for the name or address agents open the pages at, for trying
# https (http.tls) before a real certificate is in place. Browsers warn about it until each agent's machine
# trusts it: import cert.pem as a trusted authority, or accept the warning on both
# https://HOST:3000 and https://HOST:8089 (the page's wss to Asterisk is refused until that one is accepted too).
#   scripts/make-cert.sh HOST [DIR]   writes DIR/cert.pem and DIR/key.pem (DIR: .data/tls)
set -euo pipefail
[[ $# -ge 1 && -n "$1" ]] || { echo "usage: $0 HOST [DIR]   (HOST: the name or IP address agents use)" >&2; exit 2; }
host="$1"
dir="${2:-.data/tls}"
command -v openssl >/dev/null || { echo "$0: needs openssl (apt-get install openssl)" >&2; exit 1; }
if [[ "$host" =~ ^[0-9.]+$ || "$host" == *:* ]]; then san="IP:$host"; else san="DNS:$host"; fi
mkdir -p "$dir"
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 825 \
  -subj "/CN=$host" -addext "subjectAltName=$san" -addext "extendedKeyUsage=serverAuth" \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
chmod 644 "$dir/cert.pem"
echo "wrote $dir/cert.pem and $dir/key.pem for $host ($san); use them with:"
echo "  CC_HTTP_HOST=0.0.0.0 CC_HTTP_TLS_CERT=$dir/cert.pem CC_HTTP_TLS_KEY=$dir/key.pem ./scripts/start.sh"
