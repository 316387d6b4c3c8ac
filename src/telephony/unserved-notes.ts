/**
 * Calls Asterisk turned away on its own because the service was not connected (Stasis() failed). The
 * dialplan (asterisk-config/extensions.conf, `from-trunk`) notes each one in AstDB under
 * `cc-unserved/<channel id>` as "<epoch ms>|<trunk>|<dialed>|<caller number, base64>|<caller name, base64>"
 * before hanging up with a 503; this module reads that format back.
 */

/** The AstDB family the dialplan writes the notes into. */
export const UNSERVED_FAMILY = 'cc-unserved';

export interface UnservedCallNote {
  /** Asterisk's unique id of the caller's channel (what ARI calls the channel id). */
  channelId: string;
  /** When Asterisk turned the call away (epoch ms); undefined when the note does not say. */
  at?: number;
  trunk?: string;
  dialedNumber?: string;
  callerNumber?: string;
  callerName?: string;
  /** The note as Asterisk wrote it, kept when some part of it could not be read, so nothing is lost. */
  unreadable?: string;
}

/** Reads one note; a part that cannot be read is left out and the raw note kept in `unreadable`. */
export function parseUnservedNote(channelId: string, value: string): UnservedCallNote {
  const parts = value.split('|');
  const [at = '', trunk = '', dialed = '', number = '', name = ''] = parts;
  const note: UnservedCallNote = { channelId };
  let readable = parts.length === 5;
  if (/^\d{10,}$/.test(at)) note.at = Number(at);
  else readable = false;
  if (trunk) note.trunk = trunk;
  if (dialed) note.dialedNumber = dialed;
  for (const [field, encoded] of [
    ['callerNumber', number],
    ['callerName', name],
  ] as const) {
    const decoded = fromBase64(encoded);
    if (decoded === undefined) readable = false;
    else if (decoded) note[field] = decoded;
  }
  if (!readable) note.unreadable = value;
  return note;
}

function fromBase64(text: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  return Buffer.from(text, 'base64').toString('utf8');
}
