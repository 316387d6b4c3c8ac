import { withoutSeparators } from '../acd/callback.js';

/**
 * The site's numbering plan (config `numbering`): how phone numbers written or delivered in local forms are
 * turned into one form, E.164 with its +, so the same customer is the same number everywhere. Carriers send
 * a caller's number as `+447700900123`, `447700900123`, `07700900123` or `00447700900123`; agents type it in
 * any of those; a VIP list holds one of them. Without one form a VIP is missed, the screen pop finds no
 * contact and no history, last-agent routing forgets the caller, and a search by number finds half the calls.
 */
export interface NumberingConfig {
  /** The site's country calling code: `44`, `1`. */
  countryCode: string;
  /** Dialled before a country code: `00` in most countries, `011` in North America. */
  internationalPrefix: string;
  /** Dialled before a national number: `0` in most countries, `1` in North America; absent when none. */
  trunkPrefix?: string;
  /** How many digits a national (significant) number has: `[10]` in North America, `[9, 10]` in the UK. */
  nationalNumberLengths: number[];
  /**
   * How the carrier trunk is sent a number the service dials (default `e164`): `e164` +447700900123,
   * `e164-digits` 447700900123, `international` 00447700900123, `national` 07700900123 (other countries'
   * numbers with the international prefix).
   */
  dialAs?: 'e164' | 'e164-digits' | 'international' | 'national';
}

/** Digits an international number has at least after its prefix (a country code and a subscriber). */
const MIN_INTERNATIONAL_DIGITS = 6;

export class NumberPlan {
  /** Numbers kept as they come (separators dropped): the plan when the config has no `numbering`. */
  static readonly asDelivered = new NumberPlan(undefined);

  constructor(readonly config: NumberingConfig | undefined) {}

  /**
   * The one form of a phone number: E.164 (`+447700900123`) when the plan recognises it as a national or
   * international number. Anything else (an extension, a short code, `anonymous`, a SIP user name, '') is
   * kept as it is, separators dropped, so it still matches itself.
   */
  canonical(raw: string): string {
    const number = withoutSeparators(raw);
    const plan = this.config;
    if (!plan || !/^[0-9]+$/.test(number)) return number; // already +E.164, or not a phone number
    const national = (digits: string) => plan.nationalNumberLengths.includes(digits.length);
    const { countryCode, internationalPrefix, trunkPrefix } = plan;
    if (
      number.startsWith(internationalPrefix) &&
      number.length - internationalPrefix.length >= MIN_INTERNATIONAL_DIGITS
    ) {
      return `+${number.slice(internationalPrefix.length)}`;
    }
    // Before the bare national number: a UK 0 + 9 digits is ten digits, and would read as a national ten.
    if (trunkPrefix && number.startsWith(trunkPrefix) && national(number.slice(trunkPrefix.length))) {
      return `+${countryCode}${number.slice(trunkPrefix.length)}`;
    }
    if (national(number)) return `+${countryCode}${number}`;
    // E.164 without its +, as many carriers send it.
    if (number.startsWith(countryCode) && national(number.slice(countryCode.length))) return `+${number}`;
    return number;
  }

  /**
   * The number as the carrier trunk is sent it (`dialAs`), from any form it is written in. Without a plan,
   * or for what is not a phone number (an extension), the number as given, separators dropped.
   */
  dialString(raw: string): string {
    const number = this.canonical(raw);
    const plan = this.config;
    if (!plan || !number.startsWith('+')) return number;
    const digits = number.slice(1);
    switch (plan.dialAs ?? 'e164') {
      case 'e164':
        return number;
      case 'e164-digits':
        return digits;
      case 'international':
        return `${plan.internationalPrefix}${digits}`;
      case 'national': {
        const national = digits.slice(plan.countryCode.length);
        return digits.startsWith(plan.countryCode) && plan.nationalNumberLengths.includes(national.length)
          ? `${plan.trunkPrefix ?? ''}${national}`
          : `${plan.internationalPrefix}${digits}`;
      }
    }
  }

  /** The channel Asterisk dials for a number on a carrier trunk. */
  trunkEndpoint(number: string, trunk: string): string {
    return `PJSIP/${this.dialString(number)}@${trunk}`;
  }

  /**
   * Every form the number may be on record in (an older record, a carrier's or an agent's way of writing
   * it): its canonical form, the form given, and for an E.164 number its digits, the international form and
   * the national ones (with and without the trunk prefix) of the site's own country.
   */
  writtenForms(raw: string): string[] {
    const number = this.canonical(raw);
    const forms = new Set([number, withoutSeparators(raw)]);
    const plan = this.config;
    if (number.startsWith('+')) {
      const digits = number.slice(1);
      forms.add(digits);
      if (plan) {
        forms.add(`${plan.internationalPrefix}${digits}`);
        const national = digits.slice(plan.countryCode.length);
        if (digits.startsWith(plan.countryCode) && plan.nationalNumberLengths.includes(national.length)) {
          forms.add(national);
          if (plan.trunkPrefix) forms.add(`${plan.trunkPrefix}${national}`);
        }
      }
    }
    return [...forms].filter((form) => form.length > 0);
  }

  /** The canonical form, and the form it came in when that differs (for the record). */
  read(raw: string): { number: string; asDelivered?: string } {
    const number = this.canonical(raw);
    return number === raw ? { number } : { number, asDelivered: raw };
  }
}
