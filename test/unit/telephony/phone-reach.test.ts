/**
 * AMI's ContactStatus read as a phone answering Asterisk's OPTIONS again, or no longer: the address of
 * record (the agent's) and which way it went; any other status or event is none.
 */
import { describe, expect, it } from 'vitest';
import { phoneReachOf } from '../../../src/telephony/telephony.js';

const contact = (contactstatus: string, aor = 'desk1') => ({
  event: 'ContactStatus',
  uri: 'sip:desk1@127.0.0.1:5381',
  contactstatus,
  aor,
  endpointname: '',
  roundtripusec: '0',
});

describe("a desk phone's reachability from AMI", () => {
  it('names the address of record and whether the phone answers', () => {
    expect(phoneReachOf(contact('Reachable'))).toEqual({ aor: 'desk1', reachable: true });
    expect(phoneReachOf(contact('Unreachable'))).toEqual({ aor: 'desk1', reachable: false });
  });

  it('is none for a contact created, removed, updated or not asked, for another event, or without an AOR', () => {
    for (const status of ['Created', 'Removed', 'Updated', 'Unqualified', 'NonQualified', 'Unknown']) {
      expect(phoneReachOf(contact(status))).toBeUndefined();
    }
    expect(phoneReachOf({ ...contact('Reachable'), event: 'PeerStatus' })).toBeUndefined();
    expect(phoneReachOf(contact('Reachable', ''))).toBeUndefined();
  });
});
