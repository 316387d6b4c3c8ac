/**
 * Main inbound flow: emergency closure switch → opening hours → VIP lookup → language → main menu →
 * skill-group queues. Closed / holiday calls, and every call while a supervisor has the emergency closure on,
 * continue in the `after-hours` flow.
 */
import {
  branch,
  businessHours,
  dataDip,
  defineFlow,
  gotoFlow,
  hangup,
  menu,
  play,
  queue,
  setData,
  setLanguage,
  whenSwitch,
  type FlowContext,
} from '../src/ivr/index.js';

/** VIPs are served before everybody else in every queue. */
const priority = (ctx: FlowContext) => (ctx.data.vip === true ? 10 : 0);

export default defineFlow({
  id: 'main',
  description: 'Welcome, VIP lookup, language choice and main menu (sales / support / billing)',
  entry: 'emergency',
  onError: 'sorry',
  steps: {
    // A supervisor closes the line from the wallboard (Switches) — a fire drill, a storm — without an edit
    // here: callers then get the after-hours choices at once, whatever the hour.
    emergency: whenSwitch('emergency-closure', { on: 'emergencyClosed', off: 'hours' }),
    emergencyClosed: setData({ closedReason: 'emergency' }, { next: 'afterHours' }),

    hours: businessHours({
      timeZone: 'America/New_York',
      weekly: {
        mon: ['08:00-20:00'],
        tue: ['08:00-20:00'],
        wed: ['08:00-20:00'],
        thu: ['08:00-20:00'],
        fri: ['08:00-20:00'],
        sat: ['09:00-13:00'],
      },
      holidays: [
        { date: '2026-01-01', name: "New Year's Day" },
        { date: '2026-05-25', name: 'Memorial Day' },
        { date: '2026-07-03', name: 'Independence Day (observed)' },
        { date: '2026-09-07', name: 'Labor Day' },
        { date: '2026-11-26', name: 'Thanksgiving' },
        { date: '2026-12-24', name: 'Christmas Eve', hours: ['08:00-12:00'] },
        { date: '2026-12-25', name: 'Christmas Day' },
        { date: '2027-01-01', name: "New Year's Day" },
      ],
      open: 'identify',
      closed: 'closed',
      holiday: 'holiday',
    }),
    closed: setData({ closedReason: 'after-hours' }, { next: 'afterHours' }),
    holiday: setData({ closedReason: 'holiday' }, { next: 'afterHours' }),
    afterHours: gotoFlow('after-hours'),

    // Withheld number: nothing to look up.
    identify: branch((ctx) => (ctx.caller === '' ? 'welcome' : 'vipLookup'), ['vipLookup', 'welcome']),

    // Who is calling? A slow or broken CRM must not hold the caller: 1.5 s, then carry on without.
    vipLookup: dataDip({
      request: (ctx) => ({
        method: 'GET',
        url: `http://crm.internal/api/customers/by-phone/${encodeURIComponent(ctx.caller)}`,
      }),
      timeoutMs: 1500,
      map: (res) => {
        const body = (res.body ?? {}) as { vip?: unknown; name?: unknown; accountId?: unknown };
        return {
          vip: body.vip === true,
          customerName: typeof body.name === 'string' ? body.name : null,
          accountId: typeof body.accountId === 'string' ? body.accountId : null,
        };
      },
      next: 'welcome',
      onFail: 'welcome',
    }),

    welcome: play('hello', { next: 'language' }),

    // Record a custom prompt ("For English press 1, para español oprima 2"), put it in sounds/ (e.g.
    // sounds/language.wav) and name it here as 'custom/language'.
    language: menu({
      prompt: ['vm-press', 'digits/1', 'vm-press', 'digits/2'],
      options: { '1': 'english', '2': 'spanish' },
      timeoutMs: 4000,
      retries: 1,
      onFail: 'english',
    }),
    // From here on the caller hears their language: Asterisk's prompts, numbers and the queue's
    // announcements, and our own sounds from sounds/es/ where there is one (custom/<name>).
    english: setLanguage('en', { skills: { english: 1 }, next: 'mainMenu' }),
    spanish: setLanguage('es', { skills: { spanish: 1 }, next: 'mainMenu' }),

    mainMenu: menu({
      prompt: 'basic-pbx-ivr-main',
      options: { '1': 'sales', '2': 'support', '3': 'billing', '0': 'support' },
      invalid: 'pm-invalid-option',
      timeout: 'please-try-again',
      repeatKey: '*',
      retries: 2,
      into: 'menuChoice',
      onFail: 'support',
    }),
    sales: queue('sales', { priority, skills: { sales: 1 }, prompt: 'one-moment-please' }),
    support: queue('support', { priority, skills: { support: 1 }, prompt: 'one-moment-please' }),
    billing: queue('billing', { priority, skills: { billing: 1 }, prompt: 'one-moment-please' }),

    sorry: hangup(['im-sorry', 'please-try-call-later', 'goodbye']),
  },
});
