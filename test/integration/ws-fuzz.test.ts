/**
 * Random WebSocket frames against a running bridge (direct mode, fake USGS), as any page or program
 * could send them: text of 1-4 byte characters of every length up to the 4 KiB limit and past it,
 * text that is not JSON, subscribe frames with hostile cursors, filters and bounding boxes, binary
 * frames, text that is not UTF-8, unmasked frames, messages in fragments (with pings between them),
 * and connection URLs with hostile filters and cursors. Each connection gets its answer (a close
 * code of docs/protocol.md with a readable reason, or a pong when nothing it sent was wrong); the
 * bridge never dies, and a well-behaved client connected throughout gets every record once, in order.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freePort } from '../../scripts/kafka-local.ts';
import { type FakeUsgs, startFakeUsgs } from '../helpers/fake-usgs.ts';
import { feedText, recentFeatures } from '../helpers/fixtures.ts';
import { type Command, startCommand } from '../helpers/process.ts';
import { runs } from '../helpers/seed.ts';
import {
  type BridgeClient,
  clientFrame,
  connectBridge,
  cursorBreaks,
  rawWebSocket,
  type ServerFrame,
} from '../helpers/ws-client.ts';

const FEED = '2016-11-03_all_day.geojson';
const LIMIT = 4096;
const features = recentFeatures(FEED);
/** Quakes (raw features) added to the feed while the fuzzing runs: the watcher must get each once. */
// biome-ignore lint/suspicious/noExplicitAny: raw GeoJSON
const added: any[] = [];

let usgs: FakeUsgs;
let bridge: Command;
let base: string;
let watcher: BridgeClient;
let watcherStart: string;

beforeAll(async () => {
  usgs = await startFakeUsgs();
  usgs.set('/day.geojson', { body: feedText(FEED, features, Date.now()) });
  const port = await freePort();
  base = `ws://127.0.0.1:${port}/ws`;
  bridge = startCommand('bridge/server.ts', {
    KAFKA_BROKERS: '',
    BRIDGE_PORT: String(port),
    BRIDGE_FEED_URL: usgs.url('/day.geojson'),
    BRIDGE_POLL_S: '0.2',
  });
  await bridge.waitFor(new RegExp(`: ${features.length} new, `));
  watcher = await connectBridge(base);
  watcherStart = (await watcher.next((f) => f.type === 'snapshot')).cursor;
});
afterAll(async () => {
  await watcher?.close();
  bridge?.child.kill('SIGINT');
  await bridge?.exited;
  await usgs?.close();
});

/** What the bridge may answer a message with: close codes, or 'open' (it stays open and answers a ping). */
type Answer = number | 'open';

/** One client message: its bytes as frames, and what the bridge may answer it with. */
interface Message {
  readonly describe: string;
  readonly frames: Buffer[];
  readonly answers: readonly Answer[];
}

/** A character of 1, 2, 3 or 4 bytes in UTF-8. */
const character = fc
  .oneof(
    fc.integer({ min: 0x20, max: 0x7e }),
    fc.integer({ min: 0x80, max: 0x7ff }),
    fc.integer({ min: 0x800, max: 0xd7ff }),
    fc.integer({ min: 0xe000, max: 0xffff }),
    fc.integer({ min: 0x10000, max: 0x10ffff }),
  )
  .map((code) => String.fromCodePoint(code));

/** Text of about `bytes` bytes (never more), its characters drawn and repeated. */
function textOf(bytes: number, characters: readonly string[]): string {
  let text = '';
  for (let i = 0; ; i++) {
    const next = characters[i % characters.length] as string;
    if (Buffer.byteLength(text) + Buffer.byteLength(next) > bytes) return text;
    text += next;
  }
}

/** Text of every length up to `max` bytes, of characters of every width. */
const text = (max: number) =>
  fc
    .tuple(fc.integer({ min: 0, max }), fc.array(character, { minLength: 1, maxLength: 12 }))
    .map(([bytes, characters]) => textOf(bytes, characters));

/** A value a client could put in any field. */
const hostileValue = fc.oneof(
  text(300),
  fc.jsonValue({ maxDepth: 2 }),
  fc.double(),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -0, 90, 180, -180, 10),
  fc.array(fc.oneof(fc.double({ min: -200, max: 200 }), text(40)), { maxLength: 6 }),
);

/** Cursors: of this stream (read from the watcher), of another, broken, or anything at all. */
const cursor = fc.oneof(
  fc.constant(null),
  fc.constant('watcher'),
  text(200).map((t) => `d-other;sismos:0=${t.length}`),
  text(200).map((t) => `a${t}`),
  hostileValue,
);

/** A subscribe frame, valid or not: each field absent, plausible or hostile. */
const subscribe = fc
  .record(
    {
      minMag: fc.oneof(fc.double({ min: -2, max: 10, noNaN: true }), hostileValue),
      bbox: fc.oneof(
        fc.tuple(
          fc.double({ min: -180, max: 180, noNaN: true }),
          fc.double({ min: -90, max: 0, noNaN: true }),
          fc.double({ min: -180, max: 180, noNaN: true }),
          fc.double({ min: 0, max: 90, noNaN: true }),
        ),
        hostileValue,
      ),
      cursor,
      filters: hostileValue,
    },
    { requiredKeys: [] },
  )
  .map(({ minMag, bbox, cursor: at, filters }) => {
    const frame: Record<string, unknown> = { type: 'subscribe' };
    if (filters !== undefined) frame.filters = filters;
    else if (minMag !== undefined || bbox !== undefined) frame.filters = { minMag, bbox };
    if (at !== undefined) frame.cursor = at === 'watcher' ? watcherStart : at;
    return JSON.stringify(frame);
  });

/** Splits `payload` into `parts` fragments (RFC 6455 §5.4), a ping between some of them. */
function fragments(
  opcode: number,
  payload: Buffer,
  cuts: readonly number[],
  pings: boolean,
): Buffer[] {
  const at = [...new Set(cuts.map((cut) => cut % (payload.length + 1)))].sort((a, b) => a - b);
  const pieces = [0, ...at, payload.length]
    .slice(1)
    .map((end, i, ends) => payload.subarray(i === 0 ? 0 : (ends[i - 1] as number), end));
  return pieces.flatMap((piece, i) => {
    const frame = clientFrame(i === 0 ? opcode : 0, Buffer.from(piece), {
      fin: i === pieces.length - 1,
    });
    return pings && i > 0 ? [clientFrame(9, Buffer.from('between')), frame] : [frame];
  });
}

/** A message: its payload (text or bytes), sent whole or in fragments. */
const message: fc.Arbitrary<Message> = fc
  .tuple(
    fc.oneof(
      text(LIMIT).map((t) => ({ kind: 'text', payload: Buffer.from(t) })),
      text(LIMIT * 2).map((t) => ({ kind: 'text', payload: Buffer.from(t) })),
      subscribe.map((t) => ({ kind: 'subscribe', payload: Buffer.from(t) })),
      subscribe.map((t) => ({ kind: 'not JSON', payload: Buffer.from(t.slice(0, -1)) })),
      fc
        .uint8Array({ maxLength: LIMIT + 100, size: 'max' })
        .map((bytes) => ({ kind: 'binary', payload: Buffer.from(bytes) })),
      fc.tuple(text(LIMIT - 1), fc.nat()).map(([t, at]) => {
        const bytes = Buffer.from(t);
        const cut = at % (bytes.length + 1);
        // 0xff is never part of UTF-8.
        return {
          kind: 'not UTF-8',
          payload: Buffer.concat([
            bytes.subarray(0, cut),
            Buffer.from([0xff]),
            bytes.subarray(cut),
          ]),
        };
      }),
      fc
        .uint8Array({ maxLength: 125 })
        .map((bytes) => ({ kind: 'ping', payload: Buffer.from(bytes) })),
      text(100).map((t) => ({ kind: 'unmasked', payload: Buffer.from(t) })),
    ),
    fc.array(fc.nat(), { maxLength: 4 }),
    fc.boolean(),
  )
  .map(([{ kind, payload }, cuts, pings]) => {
    const describe = `${kind} of ${payload.length} bytes${cuts.length > 0 ? ` in fragments at ${cuts}` : ''}`;
    const opcode = kind === 'binary' ? 2 : 1;
    if (kind === 'ping') return { describe, frames: [clientFrame(9, payload)], answers: ['open'] };
    if (kind === 'unmasked')
      return { describe, frames: [clientFrame(1, payload, { mask: false })], answers: [1002] };
    const frames =
      cuts.length === 0 ? [clientFrame(opcode, payload)] : fragments(opcode, payload, cuts, pings);
    if (payload.length > LIMIT) return { describe, frames, answers: [1009] };
    const answers: Answer[] =
      kind === 'binary' || kind === 'text' || kind === 'not JSON'
        ? [4000]
        : kind === 'not UTF-8'
          ? [1007]
          : [4000, 'open'];
    return { describe, frames, answers };
  });

/** Query parameters of the connection: none, or filters and cursor that may be anything. */
const query = fc.oneof(
  { arbitrary: fc.constant(null), weight: 4 },
  {
    arbitrary: fc
      .record(
        { minMag: fc.oneof(text(200), fc.constant('4.5')), bbox: text(200), cursor: text(300) },
        { requiredKeys: [] },
      )
      .map((params) => `?${new URLSearchParams(params)}`),
    weight: 1,
  },
);

interface Script {
  readonly query: string | null;
  readonly messages: readonly Message[];
  /** Where the bytes of all the messages are cut into TCP writes. */
  readonly writes: readonly number[];
}

const script: fc.Arbitrary<Script> = fc.record({
  query,
  messages: fc.array(message, { minLength: 1, maxLength: 4 }),
  writes: fc.array(fc.nat(), { maxLength: 3 }),
});

/** The examples of issue 11, each of which killed the bridge. */
const ISSUE_EXAMPLES: Script[] = [
  `x${'日'.repeat(32)}`,
  JSON.stringify({ type: 'subscribe', cursor: `a${'日'.repeat(32)}` }),
  JSON.stringify({ type: 'subscribe', filters: { bbox: '日'.repeat(20) } }),
].map((payload) => ({
  query: null,
  messages: [
    { describe: payload, frames: [clientFrame(1, Buffer.from(payload))], answers: [4000] },
  ],
  writes: [],
}));

/** Valid UTF-8 of at most 123 bytes, as a close reason must be; else why not. */
function reasonProblem(reason: Buffer): string | null {
  if (reason.length > 123) return `a close reason of ${reason.length} bytes`;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(reason);
    return null;
  } catch {
    return 'a close reason that is not UTF-8';
  }
}

const isSnapshot = (frame: ServerFrame) =>
  frame.opcode === 1 && frame.payload.toString().startsWith('{"type":"snapshot"');

let ran = 0;

/** Connects, sends the script's messages and a ping, and checks the bridge's answer. */
async function play({ query: params, messages, writes }: Script): Promise<void> {
  // Now and then USGS has a new quake: the watcher must get it while the fuzzing goes on.
  if (++ran % 100 === 0) {
    const quake = {
      ...features[0],
      id: `fuzz${ran}`,
      properties: { ...features[0].properties, time: Date.now(), updated: Date.now() },
    };
    added.push(quake);
    usgs.set('/day.geojson', { body: feedText(FEED, [...features, ...added], Date.now()) });
  }
  const client = await rawWebSocket(`${base}${params ?? ''}`);
  try {
    const started = await client.next((f) => isSnapshot(f) || f.opcode === 8, 10_000);
    expect(bridge.child.exitCode, 'the bridge died').toBeNull();
    if (started === null || started.opcode === 8) {
      // Only filters in the URL that are not valid close a connection before its snapshot.
      expect(started?.payload.readUInt16BE(0), `closed at once with ${params}`).toBe(4000);
      expect(reasonProblem((started as ServerFrame).payload.subarray(2))).toBeNull();
      return;
    }
    const bytes = Buffer.concat([
      ...messages.flatMap((m) => m.frames),
      clientFrame(9, Buffer.from('probe')),
    ]);
    const cuts = [...new Set(writes.map((cut) => cut % bytes.length))].sort((a, b) => a - b);
    [0, ...cuts].forEach((start, i) => {
      client.socket.write(bytes.subarray(start, cuts[i] ?? bytes.length));
    });
    const answer = await client.next(
      (f) => f.opcode === 8 || (f.opcode === 10 && f.payload.toString() === 'probe'),
      10_000,
    );
    expect(bridge.child.exitCode, 'the bridge died').toBeNull();
    // The messages up to the first that must close the connection are what it may answer.
    const last = messages.findIndex((m) => !m.answers.includes('open'));
    const possible = new Set(
      messages.slice(0, last === -1 ? undefined : last + 1).flatMap((m) => m.answers),
    );
    if (last !== -1) possible.delete('open');
    const got: Answer =
      answer === null ? -1 : answer.opcode === 10 ? 'open' : answer.payload.readUInt16BE(0);
    const sent = messages.map((m) => m.describe).join('; ');
    expect([...possible], `answer to ${sent}`).toContain(got);
    if (answer?.opcode === 8) expect(reasonProblem(answer.payload.subarray(2)), sent).toBeNull();
  } finally {
    client.socket.destroy();
    await client.closed;
  }
}

describe('the bridge under random WebSocket frames', () => {
  it('answers every frame as docs/protocol.md says, stays up, and keeps a well-behaved client whole', async () => {
    await fc.assert(fc.asyncProperty(script, play), {
      ...runs<[Script]>(1500),
      examples: ISSUE_EXAMPLES.map((example): [Script] => [example]),
    });
    expect(bridge.child.exitCode).toBeNull();
    const health = await fetch(base.replace(/^ws(.*)\/ws$/, 'http$1/healthz'));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', mode: 'direct' });
    // Every quake added meanwhile reached the watcher once, in an unbroken chain of cursors.
    const got = () => watcher.frames.filter((f) => f.type === 'quake').map((f) => f.quake.id);
    const ids = added.map((quake) => quake.id);
    await watcher.next(() => ids.every((id) => got().includes(id)), 30_000);
    expect(got()).toEqual(ids);
    expect(cursorBreaks(watcherStart, watcher.frames)).toEqual([]);
    expect(watcher.socket.readyState).toBe(WebSocket.OPEN);
  }, 300_000);
});
