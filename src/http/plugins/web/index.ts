import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import { ApiError, ErrorBody } from '../../errors.js';

/**
 * Where an agent's calls ring: `softphone`, this page (WebRTC: it registers and answers); `desk`, a SIP desk
 * phone or softphone on its own credentials (the page then only signs in to the service: the seat, the
 * caller's card, call control, wrap-up; it must not register, which would take the phone's place).
 */
export const AgentPhoneSchema = Type.Union([Type.Literal('softphone'), Type.Literal('desk')], {
  description:
    "Where the agent's calls ring: this page (softphone) or a SIP desk phone (desk: the page does not register)",
});
export type AgentPhone = Static<typeof AgentPhoneSchema>;

export const SoftphoneConfigBody = Type.Object({
  sipWsUrl: Type.String({
    description:
      'SIP over WebSocket server of Asterisk, e.g. ws://127.0.0.1:8088/ws, or wss://<the host the page came from>:8089/ws when the service runs https',
  }),
  sipDomain: Type.String({
    description: 'SIP domain agents register to (their URI is sip:<agent id>@<domain>)',
  }),
  iceServers: Type.Array(
    Type.Object({
      urls: Type.Union([Type.String(), Type.Array(Type.String())]),
      username: Type.Optional(Type.String()),
      credential: Type.Optional(Type.String()),
    }),
    { description: 'RTCPeerConnection iceServers; empty: host candidates only' },
  ),
  phone: Type.Optional(AgentPhoneSchema),
});
export type SoftphoneConfig = Static<typeof SoftphoneConfigBody>;

export const SoftphoneConfigQuery = Type.Object({
  agentId: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'The agent about to sign in: the answer then says where their calls ring (`phone`)',
    }),
  ),
});

export interface SoftphoneSettings {
  /** The SIP WebSocket URL for a page loaded from `hostname` (over https that host's wss listener). */
  sipWsUrl: (hostname: string) => string;
  sipDomain: string;
  /** Where an agent's calls ring: this page, or a SIP desk phone (undefined: no such agent). */
  phoneOf?: (agentId: string) => AgentPhone | undefined;
}

export interface WebPluginOptions {
  /** Where the page finds Asterisk; absent: the page says the softphone is not configured. */
  softphone?: SoftphoneSettings;
  /** The folder holding index.html, app.js, …; found next to the sources by default. */
  pageDir?: string;
  /** The supervisor wallboard's folder; found next to the sources by default. */
  supervisorDir?: string;
}

/** src/web/<page>, both when running from src/ (tsx) and from dist/src/ (built); `marker` is a file in it. */
function webDir(page: string, marker = 'index.html'): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, '..', '..', '..', 'web', page),
    join(here, '..', '..', '..', '..', '..', 'src', 'web', page),
  ];
  return candidates.find((dir) => existsSync(join(dir, marker))) ?? candidates[0]!;
}

/** src/web/softphone, both when running from src/ (tsx) and from dist/src/ (built). */
export function defaultPageDir(): string {
  return webDir('softphone');
}

/** src/web/supervisor (the wallboard), found the same way as the softphone page. */
export function defaultSupervisorDir(): string {
  return webDir('supervisor');
}

/** node_modules/sip.js/lib: SIP.js 0.21 ships ES modules only, served as they are (no bundler). */
function sipJsLibDir(): string {
  return dirname(createRequire(import.meta.url).resolve('sip.js'));
}

/**
 * The agent softphone: the static page at /softphone/, SIP.js at /vendor/sip.js/, and
 * GET /api/softphone/config telling the page where Asterisk's SIP WebSocket is. The supervisor
 * wallboard: the static page at /supervisor/ (it reads the REST API and the live event stream).
 */
export const webPlugin: FastifyPluginAsyncTypebox<WebPluginOptions> = async (app, options) => {
  await app.register(fastifyStatic, {
    root: options.pageDir ?? defaultPageDir(),
    prefix: '/softphone/',
    redirect: true,
    decorateReply: false,
    cacheControl: false,
  });
  await app.register(fastifyStatic, {
    root: options.supervisorDir ?? defaultSupervisorDir(),
    prefix: '/supervisor/',
    redirect: true,
    decorateReply: false,
    cacheControl: false,
  });
  // A wall display's page (its link carries the display's key after #); it imports the wallboard's formats.
  await app.register(fastifyStatic, {
    root: webDir('wall'),
    prefix: '/wall/',
    redirect: true,
    decorateReply: false,
    cacheControl: false,
  });
  // What both pages share (the API client and the live event stream), imported as ../common/….
  await app.register(fastifyStatic, {
    root: webDir('common', 'service-api.js'),
    prefix: '/common/',
    decorateReply: false,
    index: false,
    cacheControl: false,
  });
  await app.register(fastifyStatic, {
    root: sipJsLibDir(),
    prefix: '/vendor/sip.js/',
    decorateReply: false,
    index: false,
  });

  app.get(
    '/api/softphone/config',
    {
      schema: {
        tags: ['softphone'],
        summary: 'Where the softphone page registers: the SIP WebSocket URL, the SIP domain, ICE servers',
        querystring: SoftphoneConfigQuery,
        response: { 200: SoftphoneConfigBody, 503: ErrorBody },
      },
    },
    async (request) => {
      const { agentId } = request.query;
      const softphone = options.softphone;
      if (!softphone) {
        throw new ApiError(
          503,
          'SOFTPHONE_NOT_CONFIGURED',
          'this service was started without Asterisk connection details for the softphone',
        );
      }
      const body: SoftphoneConfig = {
        sipWsUrl: softphone.sipWsUrl(request.hostname),
        sipDomain: softphone.sipDomain,
        iceServers: [],
        // An id no agent has is answered as a page's: its sign-in then fails as any wrong one does.
        ...(agentId !== undefined ? { phone: softphone.phoneOf?.(agentId) ?? 'softphone' } : {}),
      };
      return body;
    },
  );
};
