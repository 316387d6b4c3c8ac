/**
 * AMI's ContactStatus read as a phone answering Asterisk's OPTIONS again, or no longer: the address of
 * record (the agent's) and which way it went; any other status or event is none.
 */
import { describe, expect, it } from 'vitest';
import type { AmiEvent } from '../../../src/telephony/ami/ami-client.js';
import { phoneReachOf, phoneReachOfDetail } from '../../../src/telephony/telephony.js';

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
    expect(phoneReachOf(contact('Reachable'))).toEqual({ endpoint: 'desk1', reachable: true });
    expect(phoneReachOf(contact('Unreachable'))).toEqual({ endpoint: 'desk1', reachable: false });
  });

  it('is none for a contact created, removed, updated or not asked, for another event, or without an AOR', () => {
    for (const status of ['Created', 'Removed', 'Updated', 'Unqualified', 'NonQualified', 'Unknown']) {
      expect(phoneReachOf(contact(status))).toBeUndefined();
    }
    expect(phoneReachOf({ ...contact('Reachable'), event: 'PeerStatus' })).toBeUndefined();
    expect(phoneReachOf(contact('Reachable', ''))).toBeUndefined();
  });
});

describe("a phone's state read from Asterisk (after AMI connects, when a registration is removed)", () => {
  const detail = (...statuses: string[]): AmiEvent[] => [
    { event: 'EndpointDetail', objectname: 'desk1', devicestate: 'Unavailable' },
    { event: 'AorDetail', objectname: 'desk1' },
    ...statuses.map((status) => ({
      event: 'ContactStatusDetail',
      aor: 'desk1',
      status,
      endpointname: 'desk1',
    })),
    { event: 'EndpointDetailComplete', listitems: String(statuses.length + 2) },
  ];

  it('is reachable when a contact answered the last OPTIONS, not when all stopped or none is registered', () => {
    expect(phoneReachOfDetail('desk1', detail('Reachable'))).toEqual({ endpoint: 'desk1', reachable: true });
    expect(phoneReachOfDetail('desk1', detail('Unreachable', 'Reachable'))).toEqual({
      endpoint: 'desk1',
      reachable: true,
    });
    expect(phoneReachOfDetail('desk1', detail('Unreachable'))).toEqual({
      endpoint: 'desk1',
      reachable: false,
    });
    expect(phoneReachOfDetail('desk1', detail())).toEqual({ endpoint: 'desk1', reachable: false });
  });

  it('says nothing while no contact has been asked yet (Asterisk rings it meanwhile, whatever its device state)', () => {
    expect(phoneReachOfDetail('desk1', detail('NonQualified'))).toBeUndefined();
    expect(phoneReachOfDetail('desk1', detail('Unknown', 'Unreachable'))).toBeUndefined();
  });
});
