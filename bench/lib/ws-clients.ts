/**
 * A child process holding many WebSocket clients of the bridge, as cheap as a client can be, so
 * that 100 of them (in a process per core) leave the CPU to the server they read: each does the
 * real handshake (no compression offered), reads frames by their headers, answers pings, and looks
 * inside only the frames it must (one byte of each data frame, to tell quake frames; the whole
 * frame only to count the quakes of a batch frame (protocol 2, `?v=2` in the url) or to read the
 * send time from the id when timing). A frame cut by a read is skipped over in the next one rather
 * than copied, once its first bytes told what it is.
 *
 *   fork('bench/lib/ws-clients.ts', [url, clients, mode, expected])
 *   mode "count": reports when every client has `expected` quakes, when it got them, and the bytes of their frames;
 *   mode "latency": on a "report" message ("reset" forgets what came before), sends the latency percentiles of every quake.
 * Messages to the parent: {type: "ready"}, {type: "done", ...}, {type: "latency", ...}, {type: "error", message}.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { now, percentile, sentAtOf } from './clock.ts';

const [url = '', clientsArg = '1', mode = 'count', expectedArg = '0'] = process.argv.slice(2);
const clients = Number(clientsArg);
const expected = Number(expectedArg);
const SNAPSHOT = Buffer.from('{"type":"snapshot"');
/** Frames start `{"type":"` and only quake frames have a "q" next (hello, snapshot, source, alert, stats, batch). */
const TYPE_AT = 9;
const Q = 0x71;
/** A batch frame (protocol 2): "b". */
const B = 0x62;
/** How each quake of a batch frame starts: no text inside a JSON string can hold its unescaped quotes. */
const QUAKE_ITEM = Buffer.from('{"type":"quake"');

interface Client {
  quakes: number;
  /** Bytes of the quake frames it got, headers included. */
  bytes: number;
  /** Bytes of a data frame cut by the last read, still to come and to be skipped. */
  skip: number;
  first: number | null;
  done: number | null;
  snapshot: boolean;
  pending: Buffer;
}

const all: Client[] = [];
const latencies: number[] = [];

function send(message: object): void {
  process.send?.(message);
}

function startsWith(buffer: Buffer, at: number, prefix: Buffer): boolean {
  return (
    buffer.length - at >= prefix.length &&
    buffer.compare(prefix, 0, prefix.length, at, at + prefix.length) === 0
  );
}

/** A client frame (masked, as RFC 6455 requires) with a small payload. */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const frame = Buffer.alloc(6 + payload.length);
  frame[0] = 0x80 | opcode;
  frame[1] = 0x80 | payload.length;
  mask.copy(frame, 2);
  for (let i = 0; i < payload.length; i++)
    frame[6 + i] = (payload[i] as number) ^ (mask[i % 4] as number);
  return frame;
}

/** Handles a frame whose payload starts at `at`; `size` is the whole frame's, header included. */
function onFrame(
  client: Client,
  socket: Socket,
  opcode: number,
  data: Buffer,
  at: number,
  length: number,
  size: number,
): void {
  if (opcode === 0x9) {
    socket.write(clientFrame(0xa, data.subarray(at, at + length)));
    return;
  }
  if (opcode === 0x8) {
    const code = length >= 2 ? data.readUInt16BE(at) : 1005;
    send({
      type: 'error',
      message: `client closed by the bridge with ${code} ${data.toString('utf8', at + 2, at + length)}`,
    });
    return;
  }
  if (opcode !== 0x1) return;
  const type = data[at + TYPE_AT];
  if (type === Q || type === B) {
    const received = now();
    client.first ??= received;
    client.quakes += type === Q ? 1 : occurrences(data, at, at + length, QUAKE_ITEM);
    client.bytes += size;
    if (mode === 'latency') {
      const text = data.toString('utf8', at, at + length);
      for (const [, id] of text.matchAll(/"id":"([^"]+)"/g)) {
        const sentAt = sentAtOf(id as string);
        if (sentAt !== null) latencies.push(received - sentAt);
      }
    } else if (client.done === null && client.quakes >= expected) {
      client.done = received;
      if (all.every((c) => c.done !== null)) {
        send({
          type: 'done',
          first: Math.min(...all.map((c) => c.first as number)),
          last: Math.max(...all.map((c) => c.done as number)),
          bytes: all.reduce((sum, c) => sum + c.bytes, 0),
        });
      }
    }
  } else if (!client.snapshot && startsWith(data, at, SNAPSHOT)) {
    client.snapshot = true;
    if (all.length === clients && all.every((c) => c.snapshot)) send({ type: 'ready' });
  }
}

/** How many times `what` occurs in data[from, to). */
function occurrences(data: Buffer, from: number, to: number, what: Buffer): number {
  let count = 0;
  for (let at = data.indexOf(what, from); at !== -1 && at < to; at = data.indexOf(what, at + 1))
    count++;
  return count;
}

/**
 * Handles the frames of `data`; returns where the first frame it must see whole (a
 * cut control or batch frame, or any cut frame when timing) starts, or data.length. A cut data frame whose
 * first bytes are here is handled now and the rest of it skipped in the next reads (client.skip).
 */
function parse(client: Client, socket: Socket, data: Buffer): number {
  let at = 0;
  for (;;) {
    if (data.length - at < 2) return at;
    const opcode = (data[at] as number) & 0x0f;
    let length = (data[at + 1] as number) & 0x7f;
    let header = 2;
    if (length === 126) {
      if (data.length - at < 4) return at;
      length = data.readUInt16BE(at + 2);
      header = 4;
    } else if (length === 127) {
      if (data.length - at < 10) return at;
      length = Number(data.readBigUInt64BE(at + 2));
      header = 10;
    }
    const size = header + length;
    if (data.length - at < size) {
      const control = opcode >= 0x8;
      if (control || mode === 'latency' || data.length - at < header + SNAPSHOT.length) return at;
      if (data[at + header + TYPE_AT] === B) return at;
      onFrame(client, socket, opcode, data, at + header, length, size);
      client.skip = size - (data.length - at);
      return data.length;
    }
    onFrame(client, socket, opcode, data, at + header, length, size);
    at += size;
  }
}

function onData(client: Client, socket: Socket, chunk: Buffer): void {
  let data = chunk;
  if (client.skip > 0) {
    const skipped = Math.min(client.skip, data.length);
    client.skip -= skipped;
    data = data.subarray(skipped);
    if (data.length === 0) return;
  }
  // A frame start cut by the last read (a few bytes, or a control frame) is completed with this one.
  if (client.pending.length > 0) data = Buffer.concat([client.pending, data]);
  const at = parse(client, socket, data);
  client.pending = at === data.length ? EMPTY : Buffer.from(data.subarray(at));
}

const EMPTY = Buffer.alloc(0);

function connect(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url.replace(/^ws/, 'http'), {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      },
    });
    req.on('upgrade', (_response, socket, head) => {
      const client: Client = {
        quakes: 0,
        bytes: 0,
        skip: 0,
        first: null,
        done: null,
        snapshot: false,
        pending: Buffer.alloc(0),
      };
      all.push(client);
      socket.setNoDelay(true);
      socket.on('data', (chunk: Buffer) => onData(client, socket, chunk));
      socket.on('error', (error) => send({ type: 'error', message: error.message }));
      if (head.length > 0) onData(client, socket, head);
      resolve();
    });
    req.on('response', (response) =>
      reject(new Error(`the bridge answered HTTP ${response.statusCode}`)),
    );
    req.on('error', reject);
    req.end();
  });
}

process.on('message', (message: { type: string }) => {
  if (message.type === 'reset') latencies.length = 0;
  if (message.type !== 'report') return;
  send({
    type: 'latency',
    count: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
  });
});

try {
  for (let i = 0; i < clients; i++) await connect();
} catch (error) {
  send({ type: 'error', message: (error as Error).message });
}
