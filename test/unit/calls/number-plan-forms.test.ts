/**
 * One customer, one number, whatever form it comes in: for seeded random numbers of the site's country and of
 * others, written every way carriers and agents write them (E.164, digits only, with the international or the
 * trunk prefix, nationally, with spaces, dots, dashes and brackets), in the plans of the UK, North America and
 * Germany: every form reads as the same E.164 number, reading it again changes nothing, what the trunk is sent
 * reads back as it, and every form is among the number's written forms (how older records are found).
 */
import { describe, expect, it } from 'vitest';
import { type NumberingConfig, NumberPlan } from '../../../src/calls/number-plan.js';
import { seededRng } from '../acd/helpers.js';

const PLANS: { name: string; config: NumberingConfig }[] = [
  {
    name: 'UK',
    config: { countryCode: '44', internationalPrefix: '00', trunkPrefix: '0', nationalNumberLengths: [10] },
  },
  {
    name: 'North America',
    config: { countryCode: '1', internationalPrefix: '011', trunkPrefix: '1', nationalNumberLengths: [10] },
  },
  {
    name: 'Germany',
    config: {
      countryCode: '49',
      internationalPrefix: '00',
      trunkPrefix: '0',
      nationalNumberLengths: [10, 11],
    },
  },
];
const DIAL_AS = ['e164', 'e164-digits', 'international', 'national'] as const;

/** Separators as people type them, anywhere between digits. */
function scatter(digits: string, random: () => number): string {
  const marks = [' ', '-', '.', ' ', ''];
  let out = '';
  for (const [i, d] of [...digits].entries())
    out += (i > 0 && random() < 0.25 ? marks[Math.floor(random() * marks.length)] : '') + d;
  return random() < 0.2 && digits.length > 4 ? `(${out.slice(0, 3)}) ${out.slice(3)}` : out;
}

describe('numbers in every form', () => {
  for (const { name, config } of PLANS) {
    it(`read as one E.164 number in the ${name} plan, again and again, and back from the trunk`, () => {
      const random = seededRng(config.countryCode.length * 31 + Number(config.countryCode));
      const failures: string[] = [];
      for (let n = 0; n < 200; n++) {
        const length =
          config.nationalNumberLengths[Math.floor(random() * config.nationalNumberLengths.length)]!;
        // A national number not starting with the trunk prefix (it would read as another number).
        let national = String(2 + Math.floor(random() * 8));
        while (national.length < length) national += String(Math.floor(random() * 10));
        const e164 = `+${config.countryCode}${national}`;
        const forms = [
          e164,
          `${config.countryCode}${national}`,
          `${config.internationalPrefix}${config.countryCode}${national}`,
          national,
          `${config.trunkPrefix ?? ''}${national}`,
        ].map((f) => (random() < 0.5 ? scatter(f, random) : f));
        for (const dialAs of DIAL_AS) {
          const plan = new NumberPlan({ ...config, dialAs });
          for (const form of forms) {
            const read = plan.canonical(form);
            if (read !== e164) failures.push(`${name}/${dialAs}: "${form}" read as ${read}, not ${e164}`);
            if (plan.canonical(read) !== read) failures.push(`${name}/${dialAs}: ${read} read again changes`);
            const sent = plan.dialString(form);
            if (plan.canonical(sent) !== e164)
              failures.push(`${name}/${dialAs}: sent ${sent}, reads back as ${plan.canonical(sent)}`);
          }
          const written = new Set(plan.writtenForms(e164));
          for (const form of forms) {
            const plain = form.replace(/[^0-9+]/g, '');
            if (!written.has(plain))
              failures.push(`${name}/${dialAs}: "${plain}" not among ${[...written].join(', ')}`);
          }
        }
      }
      expect(failures.slice(0, 10)).toEqual([]);
    });
  }
});
