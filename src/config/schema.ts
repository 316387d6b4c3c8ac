import { PhoneCodesSchema } from '../agents/phone-codes.js';
import { type Static, Type } from '@sinclair/typebox';
import { QueueDefinitionSchema } from '../acd/schema.js';
import { ConfigId } from './ids.js';
import { LANGUAGE_CODE } from '../ivr/check.js';
import { DEFAULT_EVALUATION_FORMS, EvaluationFormSchema } from '../supervision/evaluations.js';
import { processTimeZone } from '../acd/site-day.js';
import {
  DEFAULT_REASON_CODES,
  QueueMembershipSchema,
  ReasonCodeSchema,
  SkillMapSchema,
} from '../agents/schema.js';

/** One schema for the whole service configuration: validation, TypeScript types and docs come from it. */

const Host = Type.String({ minLength: 1, description: 'An IP address or host name to bind or connect to' });

export const AgentEndpointSchema = Type.Object(
  {
    id: ConfigId('Agent id, also the SIP user name'),
    name: Type.String({ minLength: 1 }),
    transport: Type.Union([Type.Literal('webrtc'), Type.Literal('udp')], {
      description: 'webrtc: the softphone page; udp: a desk phone or third-party softphone',
      default: 'webrtc',
    }),
    password: Type.Optional(
      Type.String({ minLength: 8, description: 'SIP password; generated when absent' }),
    ),
    contact: Type.Optional(
      Type.String({ description: 'Static contact (sip:user@host:port) for a phone that does not register' }),
    ),
    skills: Type.Optional(SkillMapSchema),
    queues: Type.Optional(Type.Array(QueueMembershipSchema)),
    autoAnswer: Type.Optional(Type.Boolean()),
    wrapUpSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
  },
  { additionalProperties: false },
);
export type AgentEndpointConfig = Static<typeof AgentEndpointSchema>;

export const SupervisorAccountSchema = Type.Object(
  {
    id: ConfigId('Supervisor id, what they sign in with'),
    name: Type.String({ minLength: 1, maxLength: 64, description: 'Shown to agents and on the record' }),
    password: Type.Optional(
      Type.String({ minLength: 8, description: 'Sign-in password; generated when absent' }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'A person who supervises: signs in to the supervisor page as themselves, so their seat changes and monitors are on the record under their name',
  },
);
export type SupervisorAccountConfig = Static<typeof SupervisorAccountSchema>;

export const SwitchSchema = Type.Object(
  {
    id: ConfigId("What IVR flows name it by (whenSwitch('storm-closure', …))"),
    name: Type.String({ minLength: 1, maxLength: 64, description: 'What supervisors see on the wallboard' }),
    description: Type.Optional(
      Type.String({ maxLength: 200, description: 'What turning it on does, in words, for the supervisor' }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'A switch supervisors turn on and off from the wallboard (an emergency closure, a message of the day); IVR flows route on it with whenSwitch. Off until first turned on; kept through restarts.',
  },
);
export type SwitchConfig = Static<typeof SwitchSchema>;

export const RouteSchema = Type.Object(
  {
    dialed: Type.String({ minLength: 1, description: 'The dialed number, or * for any' }),
    flow: Type.Optional(Type.String({ minLength: 1, description: 'Entry IVR flow id' })),
    queue: Type.Optional(Type.String({ minLength: 1, description: 'Queue id, skipping the IVR' })),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    skills: Type.Optional({
      ...SkillMapSchema,
      description:
        'skills its callers need (with `queue`; a flow sets its own): a Spanish line `{ "spanish": 1 }` is offered to Spanish speakers only',
    }),
    language: Type.Optional(
      Type.String({
        pattern: LANGUAGE_CODE.source,
        description:
          "a language code as Asterisk names its sounds (`es`, `en_US`): the callers' language on this number (a Spanish line), what they hear from the first prompt (Asterisk's sounds, the queue's announcements, `sounds/es/` for the contact center's own), the caller data `language` a flow and the agent's screen pop see; a flow's `setLanguage` may change it",
      }),
    ),
    agent: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "An agent's direct line (with `queue`): the caller is offered to this agent alone for `agentWaitSeconds`, then to the queue's agents; straight to them when the agent is logged out or not in the queue, or lets it ring out",
      }),
    ),
    agentWaitSeconds: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 600,
        description:
          'How long a direct line waits for its agent (busy, not ready) before the team may take the call; default 30',
      }),
    ),
  },
  { additionalProperties: false },
);
export type RouteConfig = Static<typeof RouteSchema>;

/** `crmLink`: the screen pop's link to the caller in the CRM. */
export type CrmLinkConfig = NonNullable<Config['crmLink']>;

/** One receiver of webhook deliveries (config `webhooks`). */
export const WebhookSchema = Type.Object(
  {
    id: ConfigId('Webhook id: names it in the API, the metrics and each delivery'),
    url: Type.String({
      minLength: 1,
      description:
        'Where each delivery is POSTed (http: or https:); credentials in it are never shown by the API',
    }),
    events: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description:
        'Event types to deliver: timeline events (see GET /api/interactions/:id), e.g. ["interaction.closed", "acd.connected"], queue.alert.raised / queue.alert.cleared / queue.alert.acknowledged, agent.state.changed, agent.help.asked / agent.help.taken / agent.help.ended, agent.overstay.started / agent.overstay.ended',
    }),
    queues: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        description:
          "Only these queues' events: timeline events of an interaction in one of them when the event is written, and their alerts (absent: every queue, and calls in none)",
      }),
    ),
    secret: Type.Optional(
      Type.String({
        minLength: 16,
        description:
          'Signs each delivery: header X-CC-Signature `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`',
      }),
    ),
    timeoutSeconds: Type.Integer({
      minimum: 1,
      maximum: 60,
      default: 10,
      description: 'A delivery not answered within this is a failed attempt',
    }),
    maxAttempts: Type.Integer({
      minimum: 1,
      maximum: 20,
      default: 8,
      description:
        'Attempts before a delivery is given up as failed (it can still be redelivered through the API)',
    }),
    retryBaseSeconds: Type.Integer({
      minimum: 1,
      maximum: 3600,
      default: 10,
      description:
        "The wait before the first retry; each later one waits four times longer, up to an hour (a receiver's Retry-After is honoured within that)",
    }),
    concurrency: Type.Integer({
      minimum: 1,
      maximum: 16,
      default: 4,
      description: 'Deliveries in flight at once to this receiver',
    }),
  },
  { additionalProperties: false },
);
export type WebhookConfig = Static<typeof WebhookSchema>;

export const ConfigSchema = Type.Object(
  {
    http: Type.Object(
      {
        host: Type.String({ default: '127.0.0.1' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
        agentTokenHours: Type.Integer({
          minimum: 1,
          maximum: 168,
          default: 12,
          description:
            "How long an agent's API token is good for after sign-in (a shift). The softphone page signs in again before it runs out; signing out ends all of that agent's tokens at once.",
        }),
        supervisorSessionHours: Type.Integer({
          minimum: 1,
          maximum: 168,
          default: 12,
          description:
            "How long a supervisor's session token (POST /api/supervisor/session, what the supervisor page keeps) is good for after sign-in. DELETE /api/supervisor/session ends every supervisor session at once; the supervisor token itself stays good for tools.",
        }),
        signInLocks: Type.Object(
          {
            failures: Type.Integer({
              minimum: 2,
              maximum: 100,
              default: 5,
              description:
                'Wrong passwords for one account from one address (within windowMinutes) that lock that account from there',
            }),
            addressFailures: Type.Integer({
              minimum: 2,
              maximum: 1000,
              default: 30,
              description:
                'Wrong passwords from one address, for any accounts, that lock every sign-in from it',
            }),
            windowMinutes: Type.Integer({
              minimum: 1,
              maximum: 1440,
              default: 15,
              description: 'How long a wrong password counts',
            }),
            lockMinutes: Type.Integer({
              minimum: 1,
              maximum: 1440,
              default: 15,
              description:
                'The first lock; each further one of the same account and address lasts twice the last, up to a day',
            }),
          },
          {
            additionalProperties: false,
            default: {},
            description:
              "Password guessing held back: wrong passwords at the API's sign-ins and the phone server's SIP (AMI security events) are counted per account and address; past the limit, sign-in is refused (429) until the lock runs out or a supervisor lifts it",
          },
        ),
        trustedProxies: Type.Array(Type.String({ minLength: 1 }), {
          default: [],
          description:
            'Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For names the client: sign-in locks count per client address, so behind a proxy list it here, or every client shares its address',
        }),
        tls: Type.Optional(
          Type.Object(
            {
              certFile: Type.String({
                minLength: 1,
                description: 'PEM certificate (chain) for the host name agents open the pages at',
              }),
              keyFile: Type.String({ minLength: 1, description: "The certificate's PEM private key" }),
            },
            {
              additionalProperties: false,
              description:
                "HTTPS for the pages and the API, and WSS on Asterisk's asterisk.wssPort for the softphone's SIP: browsers give a page its microphone only over https (or on localhost), so agents on other machines need this.",
            },
          ),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    asterisk: Type.Object(
      {
        host: Type.String({ default: '127.0.0.1', description: 'Where ARI/AMI are reached and bound' }),
        httpPort: Type.Integer({ minimum: 1, maximum: 65535, default: 8088 }),
        wssPort: Type.Integer({
          minimum: 1,
          maximum: 65535,
          default: 8089,
          description:
            "With http.tls: Asterisk's TLS listener (bound like the pages, on http.host) where the softphone page registers over WSS",
        }),
        sipWsUrl: Type.Optional(
          Type.String({
            pattern: '^wss?://',
            patternHint: 'a ws:// or wss:// URL',
            description:
              "The SIP WebSocket URL the softphone page is given, when agents reach Asterisk through something in between (a reverse proxy). By default: ws://<asterisk.host>:<httpPort>/ws, or with http.tls wss://<the page's host>:<wssPort>/ws",
          }),
        ),
        amiPort: Type.Integer({ minimum: 1, maximum: 65535, default: 5038 }),
        sipHost: Type.String({ default: '127.0.0.1' }),
        sipPort: Type.Integer({ minimum: 1, maximum: 65535, default: 5060 }),
        ariUser: Type.String({ minLength: 1, default: 'contact-center' }),
        ariPassword: Type.String({ minLength: 8, description: 'Generated per install when absent' }),
        ariApp: Type.String({
          pattern: '^[A-Za-z0-9_-]+$',
          patternHint: 'a name of letters, digits, _ or -',
          default: 'contact-center',
        }),
        ariRequestSockets: Type.Integer({
          minimum: 0,
          maximum: 16,
          default: 4,
          description:
            "WebSockets that carry ARI requests (Asterisk 22.4 or later), instead of HTTP: less CPU per call and a quicker ring. Asterisk runs each socket's requests in turn, so several. 0 sends everything over HTTP, which also carries requests while no socket is up or when Asterisk is too old.",
        }),
        amiUser: Type.String({ minLength: 1, default: 'contact-center' }),
        amiSecret: Type.String({ minLength: 8, description: 'Generated per install when absent' }),
        trunkAddress: Type.String({ default: '127.0.0.1', description: "The carrier's source address" }),
        trunkPort: Type.Integer({ minimum: 1, maximum: 65535, default: 5070 }),
        mediaAddress: Type.String({ default: '127.0.0.1' }),
        rtpStart: Type.Integer({
          minimum: 1024,
          maximum: 65535,
          default: 10100,
          description:
            "First UDP port of Asterisk's RTP range. Not 10000: the range may not hold a port browsers never send to (10080 is one), or a softphone call given it would have no sound.",
        }),
        rtpEnd: Type.Integer({ minimum: 1024, maximum: 65535, default: 10999 }),
        agentMediaTimeoutSeconds: Type.Integer({
          minimum: 0,
          maximum: 3600,
          default: 20,
          description:
            'A softphone page that sends no audio for this long has gone (closed, crashed, network lost): Asterisk ends its leg and the caller goes back to the front of the queue. 0 turns it off. Browsers send audio all the time, even muted.',
        }),
        deskPhoneQualifySeconds: Type.Integer({
          minimum: 0,
          maximum: 3600,
          default: 60,
          description:
            'How often Asterisk asks each desk phone (an agent on UDP) whether it is there (SIP OPTIONS): one that stops answering is not rung until it does, so a call offered to its agent goes to the next agent at once (the agent is set not ready, phone_unreachable) instead of ringing a phone that is gone until the ring timeout (a free agent is set not ready as soon as Asterisk finds the phone gone); once it answers again its agent is ready again. 0 turns it off. Softphone pages are left out: their audio is watched instead (agentMediaTimeoutSeconds).',
        }),
        trunkMediaTimeoutSeconds: Type.Integer({
          minimum: 0,
          maximum: 3600,
          default: 60,
          description:
            'A carrier call whose line sends no audio for this long is gone (the far end vanished without a BYE): Asterisk hangs it up, so it neither waits in a queue for ever nor reaches an agent as dead air. Carriers send audio, or comfort noise, all through a call. 0 turns it off. Not while the far end holds the call.',
        }),
        iceHostCandidates: Type.Array(
          Type.Object({ local: Host, advertised: Host }, { additionalProperties: false }),
          {
            default: [],
            description:
              'rtp.conf [ice_host_candidates]: advertise `advertised` for the local interface address `local`',
          },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    sipEdge: Type.Optional(
      Type.Object(
        {
          host: Type.String({
            default: '127.0.0.1',
            description: 'The address carriers send their calls to (the edge listens there on UDP)',
          }),
          port: Type.Integer({ minimum: 1, maximum: 65535, default: 5080 }),
          carriers: Type.Optional(
            Type.Array(
              Type.Union([
                Type.String({
                  minLength: 1,
                  description: 'An address or network of a carrier named "carrier"',
                }),
                Type.Object(
                  {
                    id: ConfigId("The carrier, as calls from it are recorded (the interaction's trunk)"),
                    addresses: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
                  },
                  { additionalProperties: false },
                ),
              ]),
              {
                minItems: 1,
                description:
                  'Carriers: each an IP address or a network (203.0.113.0/24), or { id, addresses } to tell carriers apart on the record; only these reach Asterisk. Default: asterisk.trunkAddress',
              },
            ),
          ),
          floodRequests: Type.Integer({
            minimum: 2,
            maximum: 10000,
            default: 16,
            description:
              'A source that is not a carrier and sends more requests than this in 2 s is ignored until it slows down',
          }),
        },
        {
          additionalProperties: false,
          description:
            'A Kamailio SIP edge in front of Asterisk (sip-edge/kamailio.cfg): carriers send calls to it; others get 403; floods are ignored; with Asterisk down carriers get 503 at once',
        },
      ),
    ),
    database: Type.Object(
      {
        path: Type.String({ minLength: 1, default: '.data/contact-center.db' }),
        backups: Type.Object(
          {
            dir: Type.Optional(
              Type.String({
                minLength: 1,
                description:
                  'Where backups go: best on another disk than the database. Default: `backups` beside the database file',
              }),
            ),
            everyHours: Type.Integer({
              minimum: 0,
              maximum: 168,
              default: 24,
              description:
                'A backup this often, counted from the newest in the folder (0: none by the service; `npm run backup` still takes one)',
            }),
            keep: Type.Integer({
              minimum: 1,
              maximum: 1000,
              default: 7,
              description: 'How many backups are kept, the newest; older ones are deleted',
            }),
          },
          {
            additionalProperties: false,
            default: {},
            description:
              "Snapshots of the database while the service runs (consistent, checked before they take their name), so a disk lost or a file damaged does not take the record of every call with it. Recordings are files of their own (recordingsDir): back them up with the folder's usual tools",
          },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    admission: Type.Object(
      {
        maxEventLoopLagMs: Type.Integer({
          minimum: 0,
          maximum: 60000,
          default: 2000,
          description:
            "New calls are refused with a 503 (congestion) while the service's event loop runs this far behind (p99 over the last 2-4 s): it has more calls than CPU, and a caller let in would wait in silence while every call already here slows down further. 0 never refuses.",
        }),
        maxAriRoundTripMs: Type.Integer({
          minimum: 0,
          maximum: 60000,
          default: 1000,
          description:
            'New calls are refused with a 503 (congestion) while Asterisk takes this long to answer an ARI request (median over the last 2-4 s, at least 3 requests): Asterisk has more calls than CPU, and every answer, ring and bridge already waits that long. 0 never refuses.',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    retention: Type.Object(
      {
        recordingsDays: Type.Integer({
          minimum: 0,
          maximum: 3650,
          default: 0,
          description:
            "Recordings of calls (and of worked voicemails) older than this many days are deleted, daily at the site's midnight and at start-up; the interaction and its timeline stay, with a recording.deleted entry. 0 keeps recordings for ever. A file an open interaction still needs (a voicemail not worked yet) is kept.",
        }),
        personalDataDays: Type.Integer({
          minimum: 0,
          maximum: 3650,
          default: 0,
          description:
            "Customers' personal data on calls older than this many days is erased, daily at the site's midnight and at start-up, as an erasure at the customer's request erases it (their number, name, data, the call's notes and recording; the timeline says [erased] where they were, with an interaction.erased entry); what the call was stays, so the figures do. 0 keeps it for ever.",
        }),
        webhookDeliveriesDays: Type.Integer({
          minimum: 1,
          maximum: 3650,
          default: 30,
          description:
            'Webhook deliveries taken by their receiver are forgotten this many days later (at start-up and daily); pending and failed ones are kept until delivered',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    restart: Type.Object(
      {
        keepSeatsSeconds: Type.Integer({
          minimum: 0,
          maximum: 86400,
          default: 600,
          description:
            'After a restart of the service that kept it away at most this long (a deploy, a crash and restart), every agent comes back as they were: available, or not ready with their reason; an agent whose call the restart cut comes back not ready (`service_restarted`). After a longer absence everyone starts logged out, and the log shows them logged out from when the service went away. 0: always logged out.',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    shifts: Type.Object(
      {
        adherenceGraceSeconds: Type.Integer({
          minimum: 0,
          maximum: 3600,
          default: 300,
          description:
            "How long an agent's seat may be off their roster (signed out or not ready while to work, on calls on a break) before supervisors are told (`shift.adherence`, GET /api/shifts/exceptions): a late return from lunch within it is not an exception.",
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    helpUnansweredSeconds: Type.Integer({
      minimum: 0,
      maximum: 3600,
      default: 60,
      description:
        "A request for help nobody has taken on this long is said unanswered, once: marked on the wallboard and the agent's softphone, on the call's record, and agent.help.unanswered for webhooks (a team lead's pager when nobody is at the wallboard). 0: never",
    }),
    timeZone: Type.String({
      minLength: 1,
      default: processTimeZone(),
      description:
        'The contact center\'s IANA time zone (e.g. America/New_York): "today" in queue and agent figures and the fewest-calls strategy\'s daily counts start at its midnight. Default: the zone the service runs in (UTC in the container image).',
    }),
    dataDir: Type.String({ minLength: 1, default: '.data' }),
    recordingsDir: Type.String({ minLength: 1, default: 'recordings' }),
    customSoundsDir: Type.String({
      minLength: 1,
      default: 'sounds',
      description:
        "The contact center's own sounds (greetings, queue announcements), played as `custom/<name>` (the file's path below it, without extension): queues and IVR flows name them so. Asterisk reads them there; a file added is found at once.",
    }),
    flowsDir: Type.String({ minLength: 1, default: 'ivr-flows' }),
    logLevel: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { default: 'info' },
    ),
    prompts: Type.Object(
      {
        welcome: Type.String({ default: 'sound:hello-world', description: 'Played on the first call path' }),
      },
      { additionalProperties: false, default: {} },
    ),
    agents: Type.Array(AgentEndpointSchema, { default: [] }),
    queues: Type.Array(QueueDefinitionSchema, {
      default: [],
      description: 'Queues defined by this file; on start they replace the stored definitions of the same id',
    }),
    routes: Type.Array(RouteSchema, {
      default: [],
      description: 'Dialed number → entry flow or queue; the first match wins; `*` matches any number',
    }),
    outbound: Type.Object(
      {
        callerId: Type.Object(
          {
            mode: Type.Union([Type.Literal('fixed'), Type.Literal('withheld')], {
              default: 'fixed',
              description: 'fixed: present `number` (and `name`); withheld: present no number (privacy)',
            }),
            number: Type.String({
              default: 'contact-center',
              pattern: '^[+0-9A-Za-z_-]{1,32}$',
              patternHint: '1 to 32 digits, letters, +, _ or -',
              description: 'The number customers see when an agent calls out',
            }),
            name: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false, default: {} },
        ),
        allowedDestinations: Type.Array(Type.String({ minLength: 1 }), {
          default: ['^\\+?[1-9][0-9]{2,14}$'],
          description:
            'Regular expressions; an agent may dial (call out, transfer, consult, conference) a number matching one',
        }),
        deniedDestinations: Type.Array(Type.String({ minLength: 1 }), {
          default: ['^\\+?1?900', '^\\+?0?90[0-9]'],
          description: 'Regular expressions never dialled whatever `allowedDestinations` says (premium rate)',
        }),
        ringSeconds: Type.Integer({
          minimum: 5,
          maximum: 120,
          default: 30,
          description: 'How long the customer (or a consulted / conferenced party) rings before giving up',
        }),
      },
      {
        additionalProperties: false,
        default: {},
        description: 'Calls agents place on the carrier trunk: caller ID and the numbers they may dial',
      },
    ),
    numbering: Type.Optional(
      Type.Object(
        {
          countryCode: Type.String({
            pattern: '^[1-9][0-9]{0,2}$',
            patternHint: '1 to 3 digits, not starting with 0, e.g. 44 or 1',
            description: "The site's country calling code",
          }),
          internationalPrefix: Type.String({
            pattern: '^[0-9]{2,4}$',
            patternHint: '2 to 4 digits, e.g. 00 or 011',
            default: '00',
            description: 'Dialled before a country code: 00 in most countries, 011 in North America',
          }),
          trunkPrefix: Type.Optional(
            Type.String({
              pattern: '^[0-9]{1,2}$',
              patternHint: '1 or 2 digits, e.g. 0 or 1',
              description: 'Dialled before a national number: 0 in most countries, 1 in North America',
            }),
          ),
          dialAs: Type.Optional(
            Type.Union(
              [
                Type.Literal('e164'),
                Type.Literal('e164-digits'),
                Type.Literal('international'),
                Type.Literal('national'),
              ],
              {
                description:
                  "How the carrier is sent the numbers the service dials (callbacks, agents' calls, transfers): e164 +447700900123 (default), e164-digits 447700900123, international 00447700900123, national 07700900123",
              },
            ),
          ),
          nationalNumberLengths: Type.Array(Type.Integer({ minimum: 4, maximum: 14 }), {
            minItems: 1,
            maxItems: 6,
            description:
              'Digits of a national number without its trunk prefix: [10] in North America, [9, 10] in the UK',
          }),
        },
        {
          additionalProperties: false,
          description:
            'The local numbering plan: caller numbers, VIP lists, contacts, searches and callback numbers in a national or international form are read as E.164 (+447700900123), so one customer is one number. Absent: numbers are kept as delivered',
        },
      ),
    ),
    crmLink: Type.Optional(
      Type.Object(
        {
          url: Type.String({
            minLength: 1,
            maxLength: 2000,
            description:
              'The CRM page of a caller, with {callerNumber}, {callerName}, {dialedNumber}, {interactionId}, {agentId}, {queueId} or {data.<key>} (caller data an IVR flow gathered) in it, each URL-encoded: https://crm.example.com/customers?phone={callerNumber}',
          }),
          label: Type.String({
            minLength: 1,
            maxLength: 40,
            default: 'Open in CRM',
            description: "The link's words on the screen pop",
          }),
        },
        {
          additionalProperties: false,
          description:
            "A link on the agent's screen pop to the caller in the company's CRM, filled in for each call (opens in a new tab)",
        },
      ),
    ),
    webhooks: Type.Array(WebhookSchema, {
      default: [],
      description:
        'Systems told of what happens to calls (a CRM, a ticketing tool): each gets an HTTP POST per timeline event it names, carrying the event and the interaction as it stood. Written to the database with the event itself, so none is lost to a restart or a receiver that is down; retried with back-off',
    }),
    supervisorToken: Type.Optional(
      Type.String({
        minLength: 16,
        description:
          'Bearer token for supervisor API calls by tools and scripts (an API key); generated when absent',
      }),
    ),
    supervisors: Type.Array(SupervisorAccountSchema, {
      default: [],
      description: 'Named supervisors, each signing in with their own password',
    }),
    reasonCodes: Type.Array(ReasonCodeSchema, {
      default: DEFAULT_REASON_CODES.filter((c) => c.selectable !== false),
      description:
        "The not-ready reasons agents choose from (the page's list, a desk phone's *54 and digits), in the order shown; the system's own (missed, connection_lost, phone_unreachable, service_restarted) are always there and cannot be given",
    }),
    phoneCodes: PhoneCodesSchema,
    switches: Type.Array(SwitchSchema, {
      default: [],
      description: 'Switches supervisors turn on and off, which IVR flows route on',
    }),
    evaluationForms: Type.Array(EvaluationFormSchema, {
      default: DEFAULT_EVALUATION_FORMS,
      maxItems: 20,
      description:
        "The forms supervisors score calls with (quality evaluations); absent: one 'call-review' form",
    }),
  },
  { additionalProperties: false },
);
export type Config = Static<typeof ConfigSchema>;

/** Secrets the documentation publishes for a first local try; refused on any non-loopback address. */
export const DEV_DEFAULT_SECRET = 'dev-only-insecure';
