/**
 * The baseline of the relay benchmark's 100-client figure, in a child process: a bare `ws` server
 * that writes pre-built frames to every client as fast as its socket takes them (waiting for
 * "drain" when one is full), and does nothing else. The frames are the bridge's own for the same
 * 100,000 messages (recordFrameText over a relay log with a cluster id and topics of the same
 * lengths, so the same bytes but for the digits of the cursors), built before the clock starts.
 *
 *   fork('bench/lib/bare-broadcaster.ts', [quakeTopic, alertTopic, statsTopic])
 * Messages to the parent: {type: "listening", url}, then on {type: "go"}: {type: "started", at}.
 */
import { createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { frameRun, textFrame } from '../../bridge/lib/ws-frame.ts';
import { recordFrameText, snapshotFrameHead } from '../../src/core/frame-text.ts';
import { decodeMessageText } from '../../src/core/message.ts';
import { RelayLog } from '../../src/core/relay-log.ts';
import { now } from './clock.ts';
import { RECORDS, relayMessages } from './relay-messages.ts';

const topics = process.argv.slice(2);
const PARTITIONS = 3;
/** Bytes handed to a socket per write: what the bridge's flow control lets wait in one (1 MiB) is larger. */
const WRITE_BYTES = 256 * 1024;

function frames(): Buffer {
  const relay = new RelayLog({
    epoch: `k-${'x'.repeat(22)}`,
    capacity: RECORDS,
    windowMs: 86_400_000,
    snapshotLimit: RECORDS,
  });
  for (const topic of topics) {
    for (let p = 0; p < PARTITIONS; p++) relay.track(`${topic}:${p}`, 0n);
  }
  const texts = relayMessages().map((message, i) => {
    const { quake, text } = decodeMessageText(message.value as string, Date.now());
    const position = `${topics[0]}:${i % PARTITIONS}`;
    const offset = BigInt(Math.floor(i / PARTITIONS));
    const entry = relay.append({ position, offset, kind: 'quake', quake, window: null, text });
    if (entry === null) throw new Error(`record ${i} was not kept`);
    return recordFrameText(entry);
  });
  return frameRun(texts).bytes;
}

const bytes = frames();
const sockets: Duplex[] = [];
const wss = new WebSocketServer({ noServer: true });
const server = createServer();
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, () => {
    sockets.push(socket);
    // The readers start counting after a snapshot, as with the bridge.
    socket.write(textFrame(`${snapshotFrameHead(null)},"quakes":[],"alerts":[],"stats":[]}`));
  });
});

/** Writes all of `bytes` to `socket`, a slice at a time, waiting whenever the socket is full. */
function pump(socket: Duplex): void {
  let at = 0;
  const more = () => {
    while (at < bytes.length) {
      const end = Math.min(at + WRITE_BYTES, bytes.length);
      const room = socket.write(bytes.subarray(at, end));
      at = end;
      if (!room) {
        socket.once('drain', more);
        return;
      }
    }
  };
  more();
}

process.on('message', (message: { type: string }) => {
  if (message.type !== 'go') return;
  const at = now();
  for (const socket of sockets) pump(socket);
  process.send?.({ type: 'started', at });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  process.send?.({ type: 'listening', url: `ws://127.0.0.1:${address.port}/ws` });
});
