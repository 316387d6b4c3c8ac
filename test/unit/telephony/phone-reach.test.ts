/**
 * AMI's ContactStatus read as a phone answering Asterisk's OPTIONS again, or no longer: the address of
 * record (the agent's) and which way it went; any other status or event is none.
 */
import { describe, expect, it } from 'vitest';
import { phoneReachOf, phoneReachOfListing } from '../../../src/telephony/telephony.js';

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

describe("the phones' states listed after AMI connects", () => {
  const endpoint = (objectname: string, devicestate: string) => ({
    event: 'EndpointList',
    objecttype: 'endpoint',
    objectname,
    devicestate,
    contacts: `${objectname}/sip:${objectname}@127.0.0.1:5381,`,
  });

  it('reads an endpoint Asterisk can ring as reachable, one whose contacts all fail as not', () => {
    expect(phoneReachOfListing(endpoint('desk1', 'Not in use'))).toEqual({
      endpoint: 'desk1',
      reachable: true,
    });
    expect(phoneReachOfListing(endpoint('desk1', 'In use'))).toEqual({ endpoint: 'desk1', reachable: true });
    expect(phoneReachOfListing(endpoint('desk1', 'Unavailable'))).toEqual({
      endpoint: 'desk1',
      reachable: false,
    });
  });

  it('is none for the list’s end or an entry without a name or state', () => {
    expect(phoneReachOfListing({ event: 'EndpointListComplete', listitems: '3' })).toBeUndefined();
    expect(phoneReachOfListing(endpoint('', 'Not in use'))).toBeUndefined();
    expect(phoneReachOfListing({ event: 'EndpointList', objectname: 'desk1' })).toBeUndefined();
  });
});
