/**
 * Ports a browser never opens, WebRTC included: the Fetch standard's "bad ports", which Chromium
 * (`kRestrictedPorts`) and Firefox keep for other protocols. A page served on one does not load; a softphone
 * whose call Asterisk gave one for its RTP sends its ICE checks nowhere, so the call has no sound either
 * way. Measured here: Chromium sent 21 checks in 4 s each to 127.0.0.1:10079 and 10082, none to 10080.
 */
export const BROWSER_BLOCKED_PORTS: readonly number[] = [
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104,
  109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515,
  526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
];

/**
 * The ports in Asterisk's RTP range that a browser would never reach. res_rtp_asterisk binds even ports
 * only (RTCP rides on the next odd one, and WebRTC muxes it onto the RTP port), starting from
 * `rtpStart` rounded down to even, so only even ports from there count.
 */
export function browserBlockedRtpPorts(rtpStart: number, rtpEnd: number): number[] {
  const first = rtpStart & ~1;
  return BROWSER_BLOCKED_PORTS.filter((port) => port % 2 === 0 && port >= first && port <= rtpEnd);
}
