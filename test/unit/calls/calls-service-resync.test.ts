/**
 * The calls service's reconcile after a (re)connect, against a stand-in ARI (fake-ari.ts): a call that
 * arrives while the channel listing is on its way is alive, and a listing that fails is asked for again.
 */
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { CallsService } from '../../../src/calls/calls-service.js';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { InteractionLog } from '../../../src/store/interaction-log.js';
import { Telephony } from '../../../src/telephony/telephony.js';
import { channel, fakeAri, type Handler } from './fake-ari.js';
import { NumberPlan } from '../../../src/calls/number-plan.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function start(
  handler: Handler,
  acdLegs: string[] = [],
  before: (log: InteractionLog) => Promise<void> = async () => undefined,
  callbackLegs: string[] = [],
) {
  const ari = await fakeAri(handler);
  const { db } = openDatabase(':memory:');
  await migrateToLatest(db);
  const log = new InteractionLog(db);
  await before(log); // what a previous run left in the log
  const logger = pino({ level: 'silent' });
  const telephony = new Telephony({
    ari: { baseUrl: ari.baseUrl, user: 'u', password: 'p', app: 'cc' },
    ami: { host: '127.0.0.1', port: 1, user: 'u', secret: 's' },
    logger,
  });
  const legEvents: { type: string; channelId?: string }[] = [];
  const acd = {
    onLegEvent: (e: { type: string; channelId?: string }) => {
      const ours = [...acdLegs, ...callbackLegs].includes(e.channelId ?? '');
      if (ours) legEvents.push(e);
      return ours;
    },
    legs: { get: () => undefined, all: () => acdLegs.map((channelId) => ({ channelId })) },
    callbacks: { channels: () => callbackLegs },
    enqueue: () => [],
    enqueueArriving: () => [],
    digit: () => undefined,
    options: { agents: [] },
    numbers: NumberPlan.asDelivered,
  };
  const calls = new CallsService({
    telephony,
    log,
    logger,
    welcomeMedia: ['sound:hello'],
    acd: acd as never,
    routes: [],
  });
  calls.start();
  telephony.start();
  cleanups.push(() => {
    telephony.stop();
    ari.close();
  });
  const row = async (channelId: string) => {
    await log.afterQueuedWrites();
    return db
      .selectFrom('interactions')
      .select(['state', 'disposition'])
      .where('channel_id', '=', channelId)
      .executeTakeFirst();
  };
  return { ari, calls, row, legEvents, db, log };
}

async function until<T>(check: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(50);
  }
}

describe('reconcile after a (re)connect', () => {
  it('keeps a call that arrived while the channel listing was on its way', async () => {
    let ari!: Awaited<ReturnType<typeof fakeAri>>;
    const rig = await start((req) => {
      if (req.method === 'GET' && req.url === '/ari/channels') {
        // Listed now (none), and the call's StasisStart reaches the service before the listing does.
        setTimeout(() => {
          ari.send({
            type: 'StasisStart',
            application: 'cc',
            args: ['inbound', 'carrier', '100'],
            channel: channel('c-new'),
          });
        }, 5);
        return { status: 200, body: [], delayMs: 80 };
      }
      if (req.method === 'GET' && req.url === '/ari/bridges') return { status: 200, body: [] };
      if (req.url?.includes('/play/')) return { status: 201, body: { id: 'p' } };
      return { status: 204 };
    });
    ari = rig.ari;
    await until(async () => ((await rig.row('c-new')) ? true : undefined));
    await sleep(200); // the listing has been handled
    expect(await rig.row('c-new')).toEqual({ state: 'open', disposition: null });
    expect(rig.calls.activeCalls).toBe(1);
  });

  it('asks for the listing again when it fails, and closes the calls that ended while the link was down', async () => {
    let listings = 0;
    const rig = await start((req) => {
      if (req.method === 'GET' && req.url === '/ari/channels') {
        listings++;
        return listings === 2 ? { status: 503, body: { message: 'busy' } } : { status: 200, body: [] };
      }
      if (req.method === 'GET' && req.url === '/ari/bridges') return { status: 200, body: [] };
      if (req.url?.includes('/play/')) return { status: 201, body: {} };
      return { status: 204 };
    });
    await until(async () => (listings >= 1 ? true : undefined));
    rig.ari.send({
      type: 'StasisStart',
      application: 'cc',
      args: ['inbound', 'carrier', '100'],
      channel: channel('c1'),
    });
    await until(async () => ((await rig.row('c1')) ? true : undefined));
    rig.ari.dropSockets(); // the link goes, and the caller hangs up meanwhile (no event ever comes)
    const closed = await until(async () => {
      const r = await rig.row('c1');
      return r?.state === 'closed' ? r : undefined;
    });
    expect(closed).toEqual({ state: 'closed', disposition: 'lost' });
    expect(listings).toBeGreaterThanOrEqual(3); // the one that failed was asked for again
  });
});

describe('a call a previous run left, gone when this run starts', () => {
  it('is closed as lost, and its stay in the queue it waited in ends as abandoned (not open for ever)', async () => {
    let id = '';
    const rig = await start(
      (req) => {
        if (req.method === 'GET' && (req.url === '/ari/channels' || req.url === '/ari/bridges'))
          return { status: 200, body: [] };
        return { status: 204 };
      },
      [],
      async (log) => {
        const at = Date.now() - 60_000;
        id = await log.open({
          direction: 'inbound',
          channelId: 'gone-1',
          callerNumber: '+1555',
          startedAt: at,
        });
        await log.queueEntered(id, 'sales', at + 2_000);
        await log.afterQueuedWrites();
      },
    );
    const closed = await until(async () => {
      const r = await rig.row('gone-1');
      return r?.state === 'closed' ? r : undefined;
    });
    expect(closed).toEqual({ state: 'closed', disposition: 'lost' });
    const stays = await until(async () => {
      await rig.log.afterQueuedWrites();
      const rows = await rig.db
        .selectFrom('queue_visits')
        .select(['queue_id', 'outcome'])
        .where('interaction_id', '=', id)
        .where('left_at', 'is not', null)
        .execute();
      return rows.length > 0 ? rows : undefined;
    });
    expect(stays).toEqual([{ queue_id: 'sales', outcome: 'abandoned' }]);
  });
});

describe('a waiting caller a previous run left, who hangs up while this run takes the calls over', () => {
  it('is told of its end once taken over, and closed (not a caller waiting for ever that nobody is on)', async () => {
    let rig!: Awaited<ReturnType<typeof start>>;
    rig = await start(
      (req) => {
        if (req.method === 'GET' && req.url === '/ari/channels')
          return { status: 200, body: [channel('c9')] };
        if (req.method === 'GET' && req.url === '/ari/bridges') {
          // Listed alive, then gone before the new run has taken it over.
          rig.ari.send({
            type: 'ChannelDestroyed',
            application: 'cc',
            channel: channel('c9'),
            cause: 16,
            cause_txt: 'Normal Clearing',
          });
          return { status: 200, body: [] };
        }
        return { status: 204 };
      },
      [],
      async (log) => {
        const at = Date.now() - 30_000;
        const id = await log.open({
          direction: 'inbound',
          channelId: 'c9',
          callerNumber: '+1555',
          startedAt: at,
        });
        await log.record(
          id,
          at + 1000,
          {
            type: 'acd.enqueued',
            payload: { queueId: 'sales', position: 1, priority: 0, estimatedWaitSeconds: null },
          },
          { queue_id: 'sales', enqueued_at: at + 1000, answered_at: at + 500 },
        );
        await log.afterQueuedWrites();
      },
    );
    const closed = await until(async () => {
      const r = await rig.row('c9');
      return r?.state === 'closed' ? r : undefined;
    });
    // Ended by the caller (this stand-in ACD does not mark it queued, which would make it 'abandoned').
    expect(closed.disposition).toBe('caller-hangup');
  });
});

describe('what ended while the link was down', () => {
  it('a prompt that ended unseen lets the call go on; an agent leg and a callback customer leg that ended unseen are told', async () => {
    let connects = 0;
    const rig = await start(
      (req) => {
        if (req.method === 'GET' && req.url === '/ari/channels') {
          connects++;
          return { status: 200, body: connects === 1 ? [] : [channel('c1')] };
        }
        if (req.method === 'GET' && req.url === '/ari/bridges') return { status: 200, body: [] };
        if (req.method === 'GET' && req.url?.startsWith('/ari/playbacks/')) return { status: 404, body: {} };
        if (req.url?.includes('/play/')) return { status: 201, body: {} };
        return { status: 204 };
      },
      ['agent-leg-1'],
      undefined,
      ['callback-customer-1'], // a callback's customer leg, ringing out while the link is down
    );
    await until(async () => (connects >= 1 ? true : undefined));
    rig.ari.send({
      type: 'StasisStart',
      application: 'cc',
      args: ['inbound', 'carrier', '100'],
      channel: channel('c1'),
    });
    await until(async () => (rig.ari.requests.some((r) => r.includes('/play/')) ? true : undefined));
    rig.ari.dropSockets(); // the welcome prompt ends while nobody listens: no PlaybackFinished ever comes
    // After the reconnect the prompt is known to be over: the welcome script goes on and hangs up.
    await until(async () =>
      rig.ari.requests.some((r) => r.startsWith('DELETE /ari/channels/c1')) ? true : undefined,
    );
    expect(rig.ari.requests.some((r) => r.startsWith('GET /ari/playbacks/'))).toBe(true);
    expect(rig.legEvents).toContainEqual(
      expect.objectContaining({ type: 'channel.ended', channelId: 'agent-leg-1' }),
    );
    expect(rig.legEvents).toContainEqual(
      expect.objectContaining({ type: 'channel.ended', channelId: 'callback-customer-1' }),
    );
  });
});
