// Supervisors' changes (GET /api/changes) in words, for the wallboard's Changes list. Pure: no DOM, no
// requests; names come from the page.

/** A value in a change's words: a number or text as is, anything bigger shortened. */
function shown(value) {
  if (value === undefined || value === null) return 'none';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** `field a → b` for each top-level field that differs between two objects, in a stable order. */
export function fieldChanges(before, after) {
  const b = before && typeof before === 'object' ? before : {};
  const a = after && typeof after === 'object' ? after : {};
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
  return fields
    .filter((f) => JSON.stringify(b[f]) !== JSON.stringify(a[f]))
    .map((f) => `${f} ${shown(b[f])} → ${shown(a[f])}`);
}

/**
 * Who made the change: the supervisor's name, their id if no longer configured, else the token; a change an
 * upgrade's migration made (`*.bounded`) by nobody but the upgrade.
 */
export function changedBy(by, action) {
  if (action?.endsWith('.bounded')) return 'Upgrade';
  return by?.supervisor?.name ?? by?.supervisorId ?? 'Supervisor token';
}

/**
 * One change in words. `names` turns ids into names (queues, agents).
 * @param {{ action: string, subject: string, before?: any, after?: any }} change
 * @param {{ queue: (id: string) => string, agent: (id: string) => string }} names
 */
export function changeText(change, names) {
  const { action, subject, before, after } = change;
  const [queueId = '', agentId = ''] = subject.split('/');
  const membership = (m) => `penalty ${m?.penalty ?? 0}, order ${m?.order ?? 0}`;
  switch (action) {
    case 'queue.saved': {
      if (!before) return `Created queue ${names.queue(subject)}`;
      const fields = fieldChanges(before, after);
      return `Changed queue ${names.queue(subject)}: ${fields.join('; ') || 'no field'}`;
    }
    case 'queue.deleted':
      return `Deleted queue ${names.queue(subject)}`;
    case 'queue.member.saved':
      return before
        ? `Changed ${names.agent(agentId)} in ${names.queue(queueId)}: ${fieldChanges(before, after).join('; ')}`
        : `Added ${names.agent(agentId)} to ${names.queue(queueId)} (${membership(after)})`;
    case 'queue.member.removed':
      return `Took ${names.agent(agentId)} out of ${names.queue(queueId)}`;
    case 'queue.bounded': {
      // A number once too large to hold (1e400) was kept as null.
      const was = Object.fromEntries(
        Object.entries(before ?? {}).map(([f, v]) => [f, v === null ? 'too large to hold' : v]),
      );
      return `Brought queue ${names.queue(subject)} within this version's bounds: ${fieldChanges(was, after).join('; ') || 'no field'}`;
    }
    case 'agent.memberships.bounded': {
      const was = new Map((Array.isArray(before) ? before : []).map((m) => [m.queueId, m]));
      const moved = (Array.isArray(after) ? after : [])
        .filter((m) => was.has(m.queueId) && was.get(m.queueId).order !== m.order)
        .map((m) => `${names.queue(m.queueId)} order ${shown(was.get(m.queueId).order)} → ${shown(m.order)}`);
      return `Brought ${names.agent(subject)}'s places in queues within this version's bounds: ${moved.join('; ') || 'no place'}`;
    }
    case 'agent.memberships.reset': {
      const queues = Array.isArray(after) ? after.map((m) => names.queue(m.queueId)) : [];
      return `Put ${names.agent(subject)} back on the config file's queues: ${queues.join(', ') || 'none'}`;
    }
    case 'agent.skills.saved':
      return `Set ${names.agent(subject)}'s skills: ${skillList(after)}${before ? ` (were ${skillList(before)})` : ''}`;
    case 'agent.skills.reset':
      return `Put ${names.agent(subject)} back on the config file's skills: ${skillList(after)}`;
    case 'flows.reloaded': {
      const files = Array.isArray(after) ? after : [];
      const refused = files.filter((f) => !f.ok).map((f) => f.file);
      return `Reloaded the IVR flows: ${files.length - refused.length} loaded${
        refused.length
          ? `, ${refused.length} refused (${refused.join(', ')}: the last good version serves)`
          : ''
      }`;
    }
    case 'supervisor.sessions.ended':
      return 'Ended every supervisor session';
    case 'supervisor.signed-out':
      return `Signed supervisor ${subject} out`;
    case 'switch.set':
      return `Turned switch ${subject} ${after?.on ? 'on' : 'off'}`;
    case 'number.blocked':
      return `Blocked ${subject} (${after?.reason ?? 'no reason given'})${after?.until ? ` until ${after.until.slice(0, 16).replace('T', ' ')} UTC` : ''}`;
    case 'number.unblocked':
      return `Lifted the block on ${subject}`;
    case 'number.do-not-call':
      return `Put ${subject} on the do-not-call list${after?.note ? ` (${after.note})` : ''}`;
    case 'number.do-not-call.file':
      return `Put ${after?.added ?? 0} number${after?.added === 1 ? '' : 's'} on the do-not-call list from a file${after?.alreadyListed ? ` (${after.alreadyListed} listed already)` : ''}`;
    case 'number.do-not-call.removed':
      return `Took ${subject} off the do-not-call list`;
    case 'customer.exported':
      return `Took a copy of the data of the customer ${subject} at their request${after?.reason ? ` (${after.reason})` : ''}: ${after?.interactions ?? 0} call${after?.interactions === 1 ? '' : 's'}`;
    case 'customer.erased':
      return `Erased the data of the customer ${subject} at their request${after?.reason ? ` (${after.reason})` : ''}: ${after?.erased?.interactions ?? 0} call${after?.erased?.interactions === 1 ? '' : 's'}, ${after?.erased?.recordings ?? 0} recording${after?.erased?.recordings === 1 ? '' : 's'}`;
    case 'evaluation.withdrawn':
      return `Withdrew the evaluation of ${before?.agentId ? names.agent(before.agentId) : 'an agent'}${
        before?.formName ? ` (${before.formName}, ${before.score}%)` : ''
      }`;
    case 'campaign.created':
      return `Started campaign ${after?.name ?? subject} on ${names.queue(after?.queueId ?? '')} with ${after?.contacts ?? 0} contacts`;
    case 'campaign.contacts.added':
      return `Added ${after?.contacts ?? 0} contacts to campaign ${subject}`;
    case 'campaign.script.changed':
      return after?.script
        ? `${before?.script ? 'Changed' : 'Gave'} the script of campaign ${subject}`
        : `Removed the script of campaign ${subject}`;
    case 'campaign.answering-machine.changed':
      return after?.action === 'hang_up'
        ? `Set campaign ${subject} to hang up on answering machines`
        : after?.action === 'leave_message'
          ? `Set campaign ${subject} to leave a message on answering machines (${(after.message ?? []).join(', ')})`
          : `Set campaign ${subject} to put every answer through`;
    case 'shift.added': {
      const shifts = Array.isArray(after) ? after : [];
      const one = shifts.length === 1 ? shifts[0] : undefined;
      // A copy of days of the roster says where from ("3 shifts copied from 2026-12-07 to 2026-12-14").
      if (/ copied from /.test(subject)) return `Copied ${subject.replace(' copied', '')}`;
      return one
        ? `Put ${names.agent(one.agentId)} on a shift ${shiftSpan(one)}`
        : `Put ${shifts.length} shifts on the roster`;
    }
    case 'shift.changed':
      return before?.agentId && after
        ? `Changed ${names.agent(before.agentId)}'s shift ${shiftSpan(before)} to ${shiftSpan(after)}${
            after.agentId && after.agentId !== before.agentId ? `, now ${names.agent(after.agentId)}'s` : ''
          }${after.note !== before.note ? ` (note: ${after.note ?? 'none'})` : ''}`
        : `Changed shift ${subject}`;
    case 'shift.removed':
      return before?.agentId
        ? `Took ${names.agent(before.agentId)}'s shift ${shiftSpan(before)} off the roster`
        : `Took shift ${subject} off the roster`;
    case 'campaign.paused':
    case 'campaign.resumed':
    case 'campaign.stopped':
      return `${{ 'campaign.paused': 'Paused', 'campaign.resumed': 'Resumed', 'campaign.stopped': 'Stopped' }[action]} campaign ${subject}`;
    case 'sign-in.unlocked': {
      // subject: `<agent id | ~supervisor id | ~>@<address>`, or `*@<address>` for every sign-in from it
      const at = subject.lastIndexOf('@');
      const [account, address] = [subject.slice(0, at), subject.slice(at + 1)];
      if (account === '*') return `Lifted the lock on every sign-in from ${address}`;
      const who =
        account === '~'
          ? 'the supervisor token'
          : account.startsWith('~')
            ? `supervisor ${account.slice(1)}`
            : names.agent(account);
      return `Lifted the sign-in lock on ${who} from ${address}`;
    }
    case 'wall-display.made':
      return `Made a wall display "${after?.name ?? subject}"${after?.queueIds?.length ? ` (${after.queueIds.map(names.queue).join(', ')})` : ''}`;
    case 'wall-display.queues': {
      const shows = (d) => (d?.queueIds?.length ? d.queueIds.map(names.queue).join(', ') : 'every queue');
      return `Wall display "${after?.name ?? subject}" shows ${shows(after)} (was ${shows(before)})`;
    }
    case 'wall-display.withdrawn':
      return `Withdrew the wall display "${before?.name ?? subject}": its link opens nothing now`;
    default:
      return `${action} ${subject}`;
  }
}

/** A skill map in words: "billing 3, spanish 5", or "none". */
function skillList(skills) {
  const entries = Object.entries(skills ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return entries.map(([skill, level]) => `${skill} ${level}`).join(', ') || 'none';
}

/**
 * A shift's span as UTC clock times ("2026-12-07 09:00–17:00 UTC"), as the change log keeps instants, with
 * its breaks ("2026-12-07 09:00–17:00 UTC, break 12:00–12:30 Lunch").
 */
function shiftSpan(shift) {
  const span = (from, to) => {
    const start = String(from ?? '');
    const end = String(to ?? '');
    const sameDay = start.slice(0, 10) === end.slice(0, 10);
    return `${start.slice(0, 16).replace('T', ' ')}–${sameDay ? end.slice(11, 16) : end.slice(0, 16).replace('T', ' ')}`;
  };
  const breaks = Array.isArray(shift.breaks) ? shift.breaks : [];
  const startDay = String(shift.start ?? '').slice(0, 10);
  const breakText = breaks
    .map((b) => {
      const text = span(b.start, b.end);
      // A break on the shift's first day needs no date.
      const shown = text.startsWith(startDay) ? text.slice(startDay.length + 1) : text;
      return `${shown}${b.label ? ` ${b.label}` : ''}`;
    })
    .join(', ');
  return `${span(shift.start, shift.end)} UTC${breakText ? `, break${breaks.length > 1 ? 's' : ''} ${breakText}` : ''}`;
}
