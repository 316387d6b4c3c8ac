// Outbound campaigns in words, for the wallboard's Campaigns section. Pure: no DOM, no requests.

/** A campaign's status: running, paused, stopped, or done once every contact is accounted for. */
export function campaignStatusText(campaign) {
  if (campaign.status === 'stopped') return 'Stopped';
  if (campaign.finished) return 'Done';
  return campaign.status === 'paused' ? 'Paused' : 'Running';
}

/** "5 of 12 called · 1 in line · 6 to go": how far the list has come. */
export function campaignProgressText(campaign) {
  const c = campaign.counts;
  const total = c.pending + c.booked + c.reached + c.not_reached + c.skipped + c.cancelled;
  const called = c.reached + c.not_reached;
  const parts = [`${called} of ${total} called`];
  if (c.booked > 0) parts.push(`${c.booked} in line`);
  if (c.pending > 0) parts.push(`${c.pending} to go`);
  return parts.join(' · ');
}

const STATE_TEXT = {
  pending: 'to call',
  booked: 'in line',
  reached: 'reached',
  not_reached: 'not reached',
  skipped: 'skipped',
  cancelled: 'cancelled',
};

/** One contact: "3. Bob Best +15550200: reached by Anna (sale)", "… skipped: may not be called: …". */
export function contactText(contact, agentName) {
  const who = contact.name ? `${contact.name} ${contact.number}` : contact.number;
  const by = contact.conversation?.agentId ? ` by ${agentName(contact.conversation.agentId)}` : '';
  const code = contact.conversation?.wrapUpCode ? ` (${contact.conversation.wrapUpCode})` : '';
  const why = contact.reason ? `: ${contact.reason}` : '';
  return `${contact.seq}. ${who}: ${STATE_TEXT[contact.state] ?? contact.state}${by}${code}${why}`;
}

/** A campaign id from its name: lower case, words joined by dashes (the API's id form). */
export function campaignIdOf(name) {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'campaign'
  );
}
