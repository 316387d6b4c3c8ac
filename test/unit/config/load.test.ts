import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../../src/config/load.js';
import { problemsOf } from './problems.js';
import { DEV_DEFAULT_SECRET } from '../../../src/config/schema.js';

const secrets = { asterisk: { ariPassword: 'secret-secret', amiSecret: 'secret-secret' } };

describe('config', () => {
  it('applies the documented defaults', () => {
    const config = parseConfig(secrets);
    expect(config.http).toEqual({
      host: '127.0.0.1',
      port: 3000,
      agentTokenHours: 12,
      supervisorSessionHours: 12,
      signInLocks: { failures: 5, addressFailures: 30, windowMinutes: 15, lockMinutes: 15 },
      trustedProxies: [],
    });
    expect(config.asterisk).toMatchObject({
      host: '127.0.0.1',
      httpPort: 8088,
      amiPort: 5038,
      sipPort: 5060,
      ariApp: 'contact-center',
    });
  });

  it('names each bad field, and where an environment value came from', () => {
    const problems = problemsOf(() =>
      loadConfig({
        cwd: mkdtempSync(join(tmpdir(), 'cfg-')),
        env: { CC_HTTP_PORT: 'abc', CC_AMI_PORT: '99999' },
      }),
    );
    expect(
      problems.some((p) => p.startsWith('http.port:') && p.includes('CC_HTTP_PORT') && p.includes('"abc"')),
    ).toBe(true);
    expect(problems.some((p) => p.startsWith('asterisk.amiPort:') && p.includes('CC_AMI_PORT'))).toBe(true);
  });

  it('refuses unknown fields instead of ignoring a typo', () => {
    const problems = problemsOf(() => parseConfig({ ...secrets, htpp: { port: 1 } }));
    expect(problems.join('\n')).toMatch(/htpp|Unexpected property/);
  });

  it('refuses rtp ranges that are upside down and addresses that are not IPs', () => {
    const problems = problemsOf(() =>
      parseConfig({
        asterisk: { ...secrets.asterisk, rtpStart: 20000, rtpEnd: 10000, trunkAddress: 'carrier.example' },
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^asterisk\.rtpEnd:/),
        expect.stringMatching(/^asterisk\.trunkAddress:/),
      ]),
    );
  });

  it('refuses an RTP range holding a port browsers never send to, from the even port it starts on', () => {
    const refusal = (rtpStart: number, rtpEnd: number) =>
      problemsOf(() => parseConfig({ asterisk: { ...secrets.asterisk, rtpStart, rtpEnd } }));
    expect(refusal(10000, 10999)).toEqual([
      'asterisk.rtpStart: the RTP range 10000-10999 holds port 10080, which browsers never send to: a softphone call Asterisk gave it would have no sound. Start the range above it (e.g. rtpStart 10100)',
    ]);
    // Asterisk rounds an odd start down to the even port below it.
    expect(refusal(10081, 10999)).toHaveLength(1);
    expect(refusal(5000, 20000)[0]).toMatch(/holds ports 5060, 6000, 6566, 6666, 6668, 10080,.* one of them/);
    expect(() =>
      parseConfig({ asterisk: { ...secrets.asterisk, rtpStart: 10082, rtpEnd: 20000 } }),
    ).not.toThrow();
    // RTP binds even ports only: 10079 below the range's start is not one of them.
    expect(() =>
      parseConfig({ asterisk: { ...secrets.asterisk, rtpStart: 6670, rtpEnd: 10079 } }),
    ).not.toThrow();
    expect(parseConfig(secrets).asterisk).toMatchObject({ rtpStart: 10100, rtpEnd: 10999 });
  });

  it("refuses a port the agents' browsers open that browsers refuse to open", () => {
    const problems = problemsOf(() =>
      parseConfig(
        {
          ...secrets,
          http: { port: 6000 },
          asterisk: { ...secrets.asterisk, httpPort: 5060, wssPort: 8089 },
        },
        { 'http.port': 'CC_HTTP_PORT' },
      ),
    );
    expect(problems).toEqual([
      "http.port: 6000 is a port browsers refuse to open (kept for another protocol), and the agents' browsers open this one (from CC_HTTP_PORT)",
      "asterisk.httpPort: 5060 is a port browsers refuse to open (kept for another protocol), and the agents' browsers open this one",
    ]);
  });

  it('allows the development secret on loopback only', () => {
    expect(() =>
      parseConfig({ asterisk: { ariPassword: DEV_DEFAULT_SECRET, amiSecret: DEV_DEFAULT_SECRET } }),
    ).not.toThrow();
    const problems = problemsOf(() =>
      parseConfig({
        asterisk: { ariPassword: DEV_DEFAULT_SECRET, amiSecret: 'fine-secret', host: '10.1.2.3' },
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^asterisk\.ariPassword: the documented development default/),
    ]);
  });

  it('refuses duplicate agent ids', () => {
    const agent = { id: 'a1', name: 'A', transport: 'webrtc' };
    const problems = problemsOf(() => parseConfig({ ...secrets, agents: [agent, agent] }));
    expect(problems).toEqual([expect.stringMatching(/^agents\.1\.id: duplicate agent id "a1"/)]);
  });

  it('refuses duplicate supervisor ids, and an id or a password not fit to sign in with', () => {
    const sam = { id: 'sam', name: 'Sam Super' };
    expect(problemsOf(() => parseConfig({ ...secrets, supervisors: [sam, sam] }))).toEqual([
      expect.stringMatching(/^supervisors\.1\.id: duplicate supervisor id "sam"/),
    ]);
    const problems = problemsOf(() =>
      parseConfig({
        ...secrets,
        supervisors: [
          { id: 'Sam Super', name: 'Sam' },
          { ...sam, password: 'short' },
        ],
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^supervisors\.0\.id: Expected 1 to 32 lowercase letters, digits, _ or -/),
      expect.stringMatching(/^supervisors\.1\.password: /),
    ]);
    expect(parseConfig(secrets).supervisors).toEqual([]);
  });

  it("takes the site's own not-ready reasons, the system's always added, and refuses the system's or none", () => {
    const reasons = [
      { code: 'coaching', label: 'Coaching', maxMinutes: 30, digits: '5' },
      { code: 'email', label: 'Email work' },
    ];
    const config = parseConfig({ ...secrets, reasonCodes: reasons });
    expect(config.reasonCodes.filter((r) => r.selectable !== false).map((r) => r.code)).toEqual([
      'coaching',
      'email',
    ]);
    expect(config.reasonCodes.map((r) => r.code)).toContain('missed');
    expect(config.reasonCodes[0]).toMatchObject({ maxMinutes: 30, digits: '5', paid: true });
    // Without the field: break (15 min), lunch (60 min), meeting, training.
    expect(
      parseConfig(secrets)
        .reasonCodes.filter((r) => r.selectable !== false)
        .map((r) => `${r.code}${r.maxMinutes ? ` ${r.maxMinutes}` : ''}`),
    ).toEqual(['break 15', 'lunch 60', 'meeting', 'training']);
    expect(
      problemsOf(() =>
        parseConfig({ ...secrets, reasonCodes: [...reasons, { code: 'missed', label: 'Missed it' }] }),
      ),
    ).toEqual([
      'reasonCodes.2.code: "missed" is the system\'s own (Missed an offered call); choose another code',
    ]);
    expect(problemsOf(() => parseConfig({ ...secrets, reasonCodes: [] }))).toEqual([
      'reasonCodes: give at least one reason agents can choose',
    ]);
    expect(
      problemsOf(() => parseConfig({ ...secrets, reasonCodes: [{ code: 'x', label: 'X', maxMinutes: 0 }] })),
    ).toEqual([expect.stringMatching(/^reasonCodes\.0\.maxMinutes: /)]);
  });

  it("takes the desk phone's codes with their defaults, and refuses codes that clash or are no codes", () => {
    expect(parseConfig(secrets).phoneCodes).toEqual({
      enabled: true,
      login: '*51',
      logout: '*52',
      ready: '*53',
      notReady: '*54',
      wrapUpDone: '*55',
      help: '*56',
      withdrawHelp: '*57',
    });
    expect(parseConfig({ ...secrets, phoneCodes: { login: '*7' } }).phoneCodes.login).toBe('*7');
    expect(problemsOf(() => parseConfig({ ...secrets, phoneCodes: { ready: '*51', help: '*549' } }))).toEqual(
      [
        'phoneCodes.ready: *51 is phoneCodes.login already; give each its own code',
        "phoneCodes.help: *549 starts with the not-ready code *54 and would be read as a reason's digits",
      ],
    );
    expect(problemsOf(() => parseConfig({ ...secrets, phoneCodes: { login: '51' } }))).toEqual([
      expect.stringMatching(
        /^phoneCodes\.login: Expected a star \(\*\) and 1 to 4 digits, e\.g\. \*51, got "51"/,
      ),
    ]);
  });

  it('refuses duplicate switch ids and an id flows could not name', () => {
    const storm = { id: 'storm', name: 'Storm closure' };
    expect(problemsOf(() => parseConfig({ ...secrets, switches: [storm, storm] }))).toEqual([
      expect.stringMatching(/^switches\.1\.id: duplicate switch id "storm"/),
    ]);
    expect(problemsOf(() => parseConfig({ ...secrets, switches: [{ id: 'Storm!', name: 'x' }] }))).toEqual([
      expect.stringMatching(/^switches\.0\.id: Expected 1 to 32 lowercase letters/),
    ]);
    expect(parseConfig(secrets).switches).toEqual([]);
  });

  it("takes an agent's direct line on a queue route, and refuses one that could not work", () => {
    const agents = [{ id: 'anna', name: 'Anna', password: 'agent-password', queues: [{ queueId: 'sales' }] }];
    const queues = [{ id: 'sales', name: 'Sales', strategy: 'longest_idle' }];
    const config = parseConfig({
      ...secrets,
      queues,
      agents,
      routes: [{ dialed: '2001', queue: 'sales', agent: 'anna', agentWaitSeconds: 20 }],
    });
    expect(config.routes[0]).toMatchObject({ agent: 'anna', agentWaitSeconds: 20 });
    const problems = problemsOf(() =>
      parseConfig({
        ...secrets,
        queues,
        agents,
        routes: [
          { dialed: '2001', flow: 'main', agent: 'anna' },
          { dialed: '2002', queue: 'sales', agent: 'bob' },
          { dialed: '2003', queue: 'sales', agentWaitSeconds: 20 },
        ],
      }),
    );
    expect(problems).toEqual([
      'routes.0.agent: a direct line needs the queue its team answers in (queue)',
      'routes.1.agent: no agent "bob" (agents lists them)',
      'routes.2.agentWaitSeconds: only for a direct line (agent)',
    ]);
  });

  it("takes a line's language (a Spanish number), and refuses one that is no language code", () => {
    const queues = [{ id: 'sales', name: 'Sales', strategy: 'longest_idle' }];
    const config = parseConfig({
      ...secrets,
      queues,
      routes: [{ dialed: '300', queue: 'sales', language: 'es' }],
    });
    expect(config.routes[0]).toMatchObject({ language: 'es' });
    const problems = problemsOf(() =>
      parseConfig({ ...secrets, queues, routes: [{ dialed: '300', queue: 'sales', language: 'Spanish' }] }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^routes\.0\.language: Expected a language code as Asterisk names its sounds/,
    );
  });

  it("takes the skills a queue route's callers need, not a flow route's (the flow names them)", () => {
    const queues = [{ id: 'sales', name: 'Sales', strategy: 'longest_idle' }];
    const config = parseConfig({
      ...secrets,
      queues,
      routes: [{ dialed: '300', queue: 'sales', language: 'es', skills: { spanish: 1 } }],
    });
    expect(config.routes[0]).toMatchObject({ skills: { spanish: 1 } });
    const problems = problemsOf(() =>
      parseConfig({
        ...secrets,
        queues,
        routes: [{ dialed: '301', queue: 'sales', skills: { spanish: 11 } }],
      }),
    );
    expect(problems).toEqual(['routes.0.skills.spanish: Expected integer to be less or equal to 10, got 11']);
    // The schema first, then the rules between fields.
    expect(
      problemsOf(() =>
        parseConfig({
          ...secrets,
          queues,
          routes: [{ dialed: '300', flow: 'main', skills: { spanish: 1 } }],
        }),
      ),
    ).toEqual(["routes.0.skills: only with a queue (a flow's queue step names the skills it needs)"]);
  });

  it("takes the screen pop's CRM link, its label by default, and refuses a template it could not fill", () => {
    const config = parseConfig({
      ...secrets,
      crmLink: { url: 'https://crm.example.com/c?phone={callerNumber}' },
    });
    expect(config.crmLink).toEqual({
      url: 'https://crm.example.com/c?phone={callerNumber}',
      label: 'Open in CRM',
    });
    expect(problemsOf(() => parseConfig({ ...secrets, crmLink: { url: 'javascript:x({phone})' } }))).toEqual([
      'crmLink.url: unknown placeholder {phone}; use {callerNumber}, {callerName}, {dialedNumber}, {interactionId}, {agentId}, {queueId} or {data.<key>}',
      'crmLink.url: a javascript: link; only http: and https: links are opened',
    ]);
  });

  it('refuses a second route for a number already routed, naming the first', () => {
    const problems = problemsOf(() =>
      parseConfig({
        ...secrets,
        queues: [{ id: 'sales', name: 'Sales', strategy: 'longest_idle' }],
        routes: [
          { dialed: '200', queue: 'sales' },
          { dialed: '*', queue: 'sales' },
          { dialed: '200', flow: 'main' },
        ],
      }),
    );
    expect(problems).toEqual([
      'routes.2.dialed: "200" is routed already (routes.0); give each number one route',
    ]);
  });

  it('says which values a choice takes, what an id must look like, and a missing field once', () => {
    const problems = problemsOf(() =>
      parseConfig({
        asterisk: { ariPassword: 'secret-secret' },
        agents: [{ id: 'Ann Smith', name: 'Ann', transport: 'sip' }],
        queues: [{ id: 'sales', name: 'Sales', strategy: 'fastest' }],
      }),
    );
    expect(problems).toEqual([
      'asterisk.amiSecret: Expected required property, got undefined',
      'agents.0.id: Expected 1 to 32 lowercase letters, digits, _ or -, starting with a letter or digit, got "Ann Smith"',
      'agents.0.transport: Expected one of: "webrtc", "udp", got "sip"',
      'queues.0.strategy: Expected one of: "ring_all", "longest_idle", "fewest_calls", "round_robin", "linear", "random", "skills_based", got "fastest"',
    ]);
  });

  it('generates secrets once per install and keeps them private', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cfg-'));
    const first = loadConfig({ cwd, env: {} });
    const second = loadConfig({ cwd, env: {} });
    expect(first.asterisk.ariPassword).toHaveLength(24);
    expect(first.asterisk.ariPassword).not.toBe(first.asterisk.amiSecret);
    expect(second.asterisk.ariPassword).toBe(first.asterisk.ariPassword);
    const file = join(cwd, '.data', 'secrets.json');
    expect(JSON.parse(readFileSync(file, 'utf8')).amiSecret).toBe(first.asterisk.amiSecret);
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it("generates a supervisor's password once when the file gives none, and keeps one it gives", () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cfg-'));
    const supervisors = [
      { id: 'sam', name: 'Sam Super' },
      { id: 'tess', name: 'Tess Lead', password: 'tess-own-password' },
    ];
    writeFileSync(join(cwd, 'config.json'), JSON.stringify({ supervisors }));
    const first = loadConfig({ cwd, env: {} });
    const second = loadConfig({ cwd, env: {} });
    const [sam, tess] = first.supervisors;
    expect(sam!.password).toHaveLength(24);
    expect(second.supervisors[0]!.password).toBe(sam!.password);
    expect(tess!.password).toBe('tess-own-password');
    const kept = JSON.parse(readFileSync(join(cwd, '.data', 'secrets.json'), 'utf8'));
    expect(kept['supervisor:sam']).toBe(sam!.password);
    expect(kept).not.toHaveProperty('supervisor:tess');
  });

  it('names a damaged secrets file and what to do about it (not a bare SyntaxError)', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cfg-'));
    loadConfig({ cwd, env: {} });
    const file = join(cwd, '.data', 'secrets.json');
    writeFileSync(file, '{"ariPassword": "abc", ');
    const [problem] = problemsOf(() => loadConfig({ cwd, env: {} }));
    expect(problem).toContain(`${file}: not readable as the generated secrets`);
    expect(problem).toContain('delete it to have new ones made');
    writeFileSync(file, '[1, 2]');
    expect(problemsOf(() => loadConfig({ cwd, env: {} }))[0]).toContain('must be a JSON object');
  });

  it('reads a JSON file named by CC_CONFIG and lets the environment override it', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(
      join(cwd, 'mine.json'),
      JSON.stringify({ http: { port: 4000 }, asterisk: { sipPort: 5080 } }),
    );
    const config = loadConfig({ cwd, env: { CC_CONFIG: 'mine.json', CC_HTTP_PORT: '4100' } });
    expect(config.http.port).toBe(4100);
    expect(config.asterisk.sipPort).toBe(5080);
  });

  it('says so when the config file is missing or not JSON', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cfg-'));
    expect(problemsOf(() => loadConfig({ cwd, env: { CC_CONFIG: 'nope.json' } }))[0]).toMatch(
      /CC_CONFIG: file not found/,
    );
    writeFileSync(join(cwd, 'bad.json'), '{ nope');
    expect(problemsOf(() => loadConfig({ cwd, env: { CC_CONFIG: 'bad.json' } }))[0]).toMatch(
      /not valid JSON/,
    );
  });

  it('refuses an object given where a list is expected, instead of merging it into the default list', () => {
    const problems = problemsOf(() =>
      parseConfig({
        ...secrets,
        agents: { agent1: { id: 'agent1', name: 'A', queues: [] } },
        outbound: { allowedDestinations: { us: '^\\+1[0-9]{10}$' } },
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^agents: must be a list/),
        expect.stringMatching(/^outbound\.allowedDestinations: must be a list/),
      ]),
    );
  });

  it('takes a numbering plan, and refuses one that is wrong with the field and what is wanted', () => {
    const plan = { countryCode: '44', trunkPrefix: '0', nationalNumberLengths: [9, 10] };
    expect(parseConfig({ ...secrets, numbering: plan }).numbering).toEqual({
      ...plan,
      internationalPrefix: '00', // the default
    });
    expect(problemsOf(() => parseConfig({ ...secrets, numbering: { ...plan, countryCode: '+44' } }))).toEqual(
      [expect.stringMatching(/^numbering\.countryCode: .*1 to 3 digits, not starting with 0/)],
    );
    expect(problemsOf(() => parseConfig({ ...secrets, numbering: { countryCode: '44' } }))).toEqual([
      expect.stringMatching(/^numbering\.nationalNumberLengths/),
    ]);
    expect(
      problemsOf(() => parseConfig({ ...secrets, numbering: { ...plan, nationalNumberLengths: [14] } })),
    ).toEqual([expect.stringMatching(/more than E\.164's 15 digits/)]);
  });

  it('takes webhooks with their defaults, and refuses a bad URL, an unknown event or a repeated id by name', () => {
    const crm = { id: 'crm', url: 'https://crm.example.com/hooks', events: ['interaction.closed'] };
    const parsed = parseConfig({ ...secrets, webhooks: [crm] });
    expect(parsed.webhooks).toEqual([
      { ...crm, timeoutSeconds: 10, maxAttempts: 8, retryBaseSeconds: 10, concurrency: 4 },
    ]);
    expect(parsed.retention.webhookDeliveriesDays).toBe(30);
    expect(parseConfig(secrets).webhooks).toEqual([]);
    expect(
      problemsOf(() =>
        parseConfig({
          ...secrets,
          webhooks: [
            { ...crm, url: 'crm.example.com/hooks' },
            { ...crm, id: 'ftp', url: 'ftp://crm.example.com/' },
            { ...crm, id: 'typo', events: ['interaction.closed', 'call.ended'] },
            { ...crm, id: 'twice', events: ['acd.connected', 'acd.connected'] },
            crm,
          ],
        }),
      ),
    ).toEqual([
      'webhooks.0.url: "crm.example.com/hooks" is not a URL (e.g. https://crm.example.com/hooks/calls)',
      'webhooks.1.url: must be http: or https:, not ftp:',
      expect.stringMatching(
        /^webhooks\.2\.events\.1: no event "call\.ended"; one of .*interaction\.closed.*queue\.alert\.raised/,
      ),
      'webhooks.3.events: an event is named twice',
      'webhooks.4.id: duplicate webhook id "crm"',
    ]);
    expect(problemsOf(() => parseConfig({ ...secrets, webhooks: [{ ...crm, secret: 'short' }] }))).toEqual([
      expect.stringMatching(/^webhooks\.0\.secret/),
    ]);
  });

  it("takes agent state changes and a webhook's queues, and refuses the two together, or a queue named twice", () => {
    const wfm = { id: 'wfm', url: 'https://wfm.example.com/feed', events: ['agent.state.changed'] };
    const sales = {
      id: 'sales',
      url: 'https://crm.example.com/h',
      events: ['interaction.closed'],
      queues: ['sales'],
    };
    expect(
      parseConfig({ ...secrets, webhooks: [wfm, sales] }).webhooks.map((w) => [w.events, w.queues]),
    ).toEqual([
      [['agent.state.changed'], undefined],
      [['interaction.closed'], ['sales']],
    ]);
    expect(
      problemsOf(() =>
        parseConfig({
          ...secrets,
          webhooks: [
            { ...wfm, queues: ['sales'] },
            { ...sales, queues: ['sales', 'sales'] },
            { ...sales, id: 'pager', events: ['agent.help.asked'] },
            { ...sales, id: 'breaks', events: ['agent.overstay.started'] },
          ],
        }),
      ),
    ).toEqual([
      "webhooks.0.events: agent.state.changed is every agent's, not a queue's; send it on a webhook without queues",
      'webhooks.1.queues: a queue is named twice',
      "webhooks.2.events: agent.help.asked is every agent's, not a queue's; send it on a webhook without queues",
      "webhooks.3.events: agent.overstay.started is every agent's, not a queue's; send it on a webhook without queues",
    ]);
    // Without queues, a pager takes every request for help.
    const pager = {
      id: 'pager',
      url: 'https://pager.example.com/h',
      events: ['agent.help.asked', 'agent.help.ended', 'agent.overstay.started', 'agent.overstay.ended'],
    };
    expect(parseConfig({ ...secrets, webhooks: [pager] }).webhooks[0]?.events).toEqual(pager.events);
    expect(problemsOf(() => parseConfig({ ...secrets, webhooks: [{ ...sales, queues: [] }] }))).toEqual([
      expect.stringMatching(/^webhooks\.0\.queues/),
    ]);
  });

  it('keeps the database in the data directory unless told otherwise', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cfg-'));
    const volume = mkdtempSync(join(tmpdir(), 'cfg-volume-'));
    expect(loadConfig({ cwd, env: { CC_DATA_DIR: volume } }).database.path).toBe(
      join(volume, 'contact-center.db'),
    );
    expect(loadConfig({ cwd, env: {} }).database.path).toBe(join(cwd, '.data', 'contact-center.db'));
    expect(loadConfig({ cwd, env: { CC_DB_PATH: 'elsewhere.db' } }).database.path).toBe(
      join(cwd, 'elsewhere.db'),
    );
  });

  it('refuses an Asterisk address nobody can be reached at (0.0.0.0)', () => {
    const problems = problemsOf(() =>
      parseConfig({ ...secrets, asterisk: { ...secrets.asterisk, host: '0.0.0.0' } }),
    );
    expect(problems.join('\n')).toMatch(/^asterisk\.host: must be an address/m);
  });

  it("takes the contact center's time zone, and refuses one Intl does not know", () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cfg-tz-'));
    expect(loadConfig({ cwd, env: { CC_TIME_ZONE: 'America/Chicago' } }).timeZone).toBe('America/Chicago');
    expect(loadConfig({ cwd, env: {} }).timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(problemsOf(() => loadConfig({ cwd, env: { CC_TIME_ZONE: 'Mars/Olympus' } }))).toEqual([
      'timeZone: not a time zone Intl knows, got "Mars/Olympus"; use an IANA name such as Europe/Paris (from CC_TIME_ZONE)',
    ]);
  });
});
