/**
 * AMI's security events for refused SIP passwords read as the sign-in locks need them: the account and the
 * client's address, IPv4 or IPv6, over UDP or WebSocket; anything else is not one.
 */
import { describe, expect, it } from 'vitest';
import { sipAuthFailureOf } from '../../../src/telephony/telephony.js';

const event = (fields: Record<string, string>) => ({ event: 'ChallengeResponseFailed', ...fields });

describe('a refused SIP password from AMI', () => {
  it('names the account and the address, for a wrong password or an unknown account', () => {
    expect(
      sipAuthFailureOf(
        event({ service: 'PJSIP', accountid: 'agent1', remoteaddress: 'IPV4/WS/127.0.0.1/45678' }),
      ),
    ).toEqual({ account: 'agent1', address: '127.0.0.1', kind: 'wrong-password' });
    expect(
      sipAuthFailureOf({
        event: 'InvalidAccountID',
        service: 'PJSIP',
        accountid: 'admin',
        remoteaddress: 'IPV6/UDP/2001:db8::7/5060',
      }),
    ).toEqual({ account: 'admin', address: '2001:db8::7', kind: 'unknown-account' });
  });

  it('is none for other events, other services, or without an account or address', () => {
    expect(
      sipAuthFailureOf({ event: 'ChallengeSent', accountid: 'a', remoteaddress: 'IPV4/UDP/1.2.3.4/5060' }),
    ).toBeUndefined();
    expect(
      sipAuthFailureOf(event({ service: 'AMI', accountid: 'a', remoteaddress: 'IPV4/TCP/1.2.3.4/5038' })),
    ).toBeUndefined();
    expect(
      sipAuthFailureOf(event({ service: 'PJSIP', remoteaddress: 'IPV4/UDP/1.2.3.4/5060' })),
    ).toBeUndefined();
    expect(sipAuthFailureOf(event({ service: 'PJSIP', accountid: 'a', remoteaddress: '' }))).toBeUndefined();
  });
});
