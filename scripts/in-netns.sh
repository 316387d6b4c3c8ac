#!/usr/bin/env bash
# Runs a command inside a fresh network namespace made for it, and removes the namespace afterwards.
# Inside: loopback up, plus a veth pair whose one end is up with 198.18.0.2/32 and whose peer is down
# (no carrier, no route anywhere). Asterisk never offers loopback as an ICE candidate, so it offers
# 198.18.0.2, which rtp.conf maps to 127.0.0.1 (CC_ICE_HOST_CANDIDATES). No packet ever uses 198.18.0.2.
set -euo pipefail
[[ $# -gt 0 ]] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
[[ $EUID -eq 0 ]] || { echo "in-netns.sh needs root (ip netns)" >&2; exit 1; }

NS="cc-test-$$"
cleanup() { ip netns pids "$NS" 2>/dev/null | xargs -r kill -9 2>/dev/null || true; ip netns del "$NS" 2>/dev/null || true; }
trap cleanup EXIT INT TERM

ip netns add "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" link add ccv0 type veth peer name ccv1
ip -n "$NS" addr add 198.18.0.2/32 dev ccv0
ip -n "$NS" link set ccv0 up   # ccv1 stays down: ccv0 has no carrier and nothing is routed

export CC_NETNS="$NS"
export CC_ICE_HOST_CANDIDATES="${CC_ICE_HOST_CANDIDATES:-198.18.0.2=127.0.0.1}"
set +e
ip netns exec "$NS" "$@"
rc=$?
set -e
exit $rc
