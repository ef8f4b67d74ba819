/**
 * The Sismos bridge: the dashboard at http://127.0.0.1:8080/, live over a WebSocket at /ws.
 *
 * With KAFKA_BROKERS set it relays the `sismos`, `sismos-revisiones`, `sismos-alertas` and
 * `sismos-stats` topics; without
 * it (direct mode) it polls USGS itself, once for every viewer, and computes alerts and 5-minute
 * windows with the same core the Kafka services use. Protocol: docs/protocol.md.
 *
 *   npm start
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIPv6 } from 'node:net';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { WebSocketServer } from 'ws';
import { DEFAULT_ALERT_THRESHOLD } from '../src/core/alert.ts';
import { parseBrokers } from '../src/core/brokers.ts';
import { DEFAULT_WINDOW_MS } from '../src/core/protocol.ts';
import { RelayLog, type RelayRecord } from '../src/core/relay-log.ts';
import { HOUR_MS, MINUTE_MS, SECOND_MS } from '../src/core/time.ts';
import { tumblingWindows } from '../src/core/window.ts';
import {
  type AccessPolicy,
  hostProblem,
  parseHosts,
  parseOrigins,
  type RequestCredentials,
  readToken,
  showsDetails,
  webSocketProblem,
} from './lib/access.ts';
import { startDirectSource } from './lib/direct-source.ts';
import { envNumber, envString } from './lib/env.ts';
import { chooseFeed } from './lib/feed-choice.ts';
import { helpText, QUAKE_SOURCE } from './lib/help.ts';
import { Hub } from './lib/hub.ts';
import { createKafka } from './lib/kafka.ts';
import { kafkaError } from './lib/kafka-error.ts';
import { clusterEpoch, type KafkaSource, startKafkaSource } from './lib/kafka-source.ts';
import { MessageReader, messageFormat, schemaRegistry } from './lib/message-format.ts';
import { pollSettings } from './lib/poll-loop.ts';
import { Service } from './lib/service.ts';
import { quakeTopic, quakeTopics, topics } from './lib/topics.ts';

const service = new Service(
  'bridge',
  helpText('bridge', {
    summary:
      'the live dashboard at http://127.0.0.1:8080/ and its WebSocket /ws: relays sismos, its revisions, sismos-alertas and sismos-stats with KAFKA_BROKERS set; without it (direct mode) it polls USGS itself.',
    usage: 'npm start',
    variables: [
      ...QUAKE_SOURCE,
      'REVISIONS_TOPIC',
      'ALERTAS_TOPIC',
      'STATS_TOPIC',
      'BRIDGE_HOST',
      'BRIDGE_PORT',
      'BRIDGE_GROUP',
      'BRIDGE_WINDOW_HOURS',
      'BRIDGE_BUFFER',
      'BRIDGE_SNAPSHOT_LIMIT',
      'BRIDGE_MAX_BUFFERED_KB',
      'BRIDGE_STALL_SECONDS',
      'BRIDGE_HEARTBEAT_SECONDS',
      'BRIDGE_MAX_CONNECTIONS',
      'BRIDGE_MAX_CONNECTIONS_PER_ADDRESS',
      'BRIDGE_ALLOWED_ORIGINS',
      'BRIDGE_ALLOWED_HOSTS',
      'BRIDGE_TOKEN',
      'BRIDGE_INDEX',
      'BRIDGE_FEED',
      'BRIDGE_FEED_URL',
      'BRIDGE_POLL_S',
      'FETCH_TIMEOUT_S',
      'RETRY_FIRST_S',
      'RETRY_MAX_S',
      'ALERT_THRESHOLD',
      'STATS_WINDOW_MINUTES',
      'KAFKAJS_LOG_LEVEL',
    ],
    defaults: { KAFKA_BROKERS: '(none: direct mode)' },
    notes:
      'KAFKA_BROKERS unset or empty: direct mode (no Kafka); the BRIDGE_FEED* and BRIDGE_POLL_S variables are for direct mode.',
  }),
);
const config = service.config(() => {
  const port = envNumber('BRIDGE_PORT', 8080, { min: 0, max: 65535 });
  const brokers = envString('KAFKA_BROKERS', '');
  const kafka = brokers === '' ? null : parseBrokers('KAFKA_BROKERS', brokers).join(',');
  return {
    host: envString('BRIDGE_HOST', '127.0.0.1'),
    port,
    kafka,
    direct: kafka === null ? directConfig() : null,
    windowMs:
      envNumber('BRIDGE_WINDOW_HOURS', DEFAULT_WINDOW_MS / HOUR_MS, { min: 0.01 }) * HOUR_MS,
    capacity: envNumber('BRIDGE_BUFFER', 10_000, { min: 10 }),
    snapshotLimit: envNumber('BRIDGE_SNAPSHOT_LIMIT', 20_000, { min: 10 }),
    maxBufferedBytes: envNumber('BRIDGE_MAX_BUFFERED_KB', 1024, { min: 1 }) * 1024,
    stallMs: envNumber('BRIDGE_STALL_SECONDS', 10, { min: 0.1 }) * SECOND_MS,
    heartbeatMs: envNumber('BRIDGE_HEARTBEAT_SECONDS', 20, { min: 0.05 }) * SECOND_MS,
    maxConnections: envNumber('BRIDGE_MAX_CONNECTIONS', 1000, { min: 1 }),
    maxConnectionsPerAddress: envNumber('BRIDGE_MAX_CONNECTIONS_PER_ADDRESS', 128, { min: 1 }),
    access: {
      hosts: parseHosts(envString('BRIDGE_ALLOWED_HOSTS', '')),
      origins: parseOrigins(envString('BRIDGE_ALLOWED_ORIGINS', '')),
      token: readToken(envString('BRIDGE_TOKEN', '')),
    } satisfies AccessPolicy,
    index: resolve(envString('BRIDGE_INDEX', new URL('../index.html', import.meta.url).pathname)),
    group: envString('BRIDGE_GROUP', `sismos-bridge-${hostname()}-${port}`),
    format: messageFormat(),
  };
});

/** Direct mode's settings: the feed it polls, how often, and the rules it applies. */
function directConfig() {
  const feed = chooseFeed(envString('BRIDGE_FEED', 'all_day'), envString('BRIDGE_FEED_URL', ''), {
    name: 'BRIDGE_FEED',
    url: 'BRIDGE_FEED_URL',
  });
  return {
    feed,
    ...pollSettings(
      envNumber('BRIDGE_POLL_S', feed.refreshMs / SECOND_MS, { min: 0.05 }) * SECOND_MS,
    ),
    alertThreshold: envNumber('ALERT_THRESHOLD', DEFAULT_ALERT_THRESHOLD, { min: -10, max: 12 }),
    windows: tumblingWindows(envNumber('STATS_WINDOW_MINUTES', 5, { min: 1 }) * MINUTE_MS),
  };
}

const log = (line: string) => console.log(line);

async function main(): Promise<void> {
  const { relay, hub, source } =
    config.direct === null ? await startKafka() : await startDirect(config.direct);
  const started = Date.now();

  const server = createServer((request, response) => {
    route(request, response, async (details) => ({
      status: hub.sourceOk ? 'ok' : 'source failing',
      mode: config.kafka === null ? 'direct' : 'kafka',
      uptimeSeconds: Math.round((Date.now() - started) / SECOND_MS),
      clients: hub.clients,
      pausedClients: hub.pausedClients,
      slowClientsClosed: hub.slowClosed,
      refusedConnections: hub.refusedConnections,
      relay: {
        records: relay.size,
        capacity: config.capacity,
        // Offsets are BigInts, which JSON cannot write: as strings, like the lag.
        ...(details && {
          cursor: Object.fromEntries([...relay.cursor().next].map(([p, o]) => [p, o.toString()])),
        }),
      },
      // The broker's address and the lag are for this machine, not for every page that asks.
      ...(details && { source: await source.health() }),
    })).catch((error: unknown) => {
      // A failed request must never take the bridge down (an unhandled rejection would).
      log(`bridge: ${request.method} ${request.url} failed: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain' });
      response.end('internal error\n');
    });
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4096, clientTracking: false });
  server.on('upgrade', (request, socket: Duplex, head) => {
    // Until ws takes the socket, its errors (a client that resets) are ours to catch.
    socket.on('error', () => socket.destroy());
    const url = requestUrl(request);
    if (url === null) return refuse(socket, 400, 'Bad Request', 'the request target is not a URL');
    const credentials = credentialsOf(request, url);
    const hostRefusal = hostProblem(config.access, credentials.host);
    if (hostRefusal !== null) return refuse(socket, 421, 'Misdirected Request', hostRefusal);
    if (url.pathname !== '/ws')
      return refuse(socket, 404, 'Not Found', 'the WebSocket endpoint is /ws');
    const refusal = webSocketProblem(config.access, credentials);
    if (refusal !== null) {
      log(`bridge: refused a WebSocket (HTTP 403): ${refusal}`);
      return refuse(socket, 403, 'Forbidden', refusal);
    }
    const peer = request.socket.remoteAddress ?? '?';
    sockets.handleUpgrade(request, socket, head, (ws) =>
      hub.accept(ws, socket, { peer, params: url.searchParams }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  // Later errors (no file descriptor left to accept a connection) cost that connection, not the bridge.
  server.on('error', (error) => log(`bridge: ${error.message}`));
  service.onStop(async () => {
    hub.close();
    server.closeAllConnections();
    await Promise.all([new Promise((resolve) => server.close(resolve)), source.stop()]);
    return 'closed every client (1001, they resume by cursor) and stopped the bridge.';
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  log(
    `Sismos bridge (${source.describe}) at http://${config.host}:${port}/  (WebSocket /ws, health /healthz)`,
  );
  log(`Page from disk, live from this bridge: ${fileAddress(port)}`);

  async function route(
    request: IncomingMessage,
    response: ServerResponse,
    health: (details: boolean) => Promise<unknown>,
  ) {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    response.setHeader('Content-Security-Policy', STRICT_CSP);
    const url = requestUrl(request);
    if (url === null) {
      response
        .writeHead(400, { 'Content-Type': 'text/plain' })
        .end('the request target is not a URL\n');
      return;
    }
    const credentials = credentialsOf(request, url);
    const hostRefusal = hostProblem(config.access, credentials.host);
    if (hostRefusal !== null) {
      response.writeHead(421, { 'Content-Type': 'text/plain' }).end(`${hostRefusal}\n`);
    } else if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
    } else if (url.pathname === '/' || url.pathname === '/index.html') {
      const html = await readFile(config.index, 'utf8');
      response.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-cache',
        'Content-Security-Policy': pageCsp(html),
      });
      response.end(markServed(html));
    } else if (url.pathname === '/healthz') {
      const details = showsDetails(request.socket.remoteAddress, credentials);
      response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      response.end(JSON.stringify(await health(details), null, 2));
    } else {
      response
        .writeHead(404, { 'Content-Type': 'text/plain' })
        .end('not found: the dashboard is at /');
    }
  }
}

interface Running {
  readonly relay: RelayLog;
  readonly hub: Hub;
  readonly source: { describe: string; health(): Promise<unknown>; stop(): Promise<void> };
}

async function startKafka(): Promise<Running> {
  const kafka = createKafka('sismos-bridge');
  const epoch = await clusterEpoch(kafka);
  const { relay, hub, sink } = relayAndHub(epoch, 'kafka');
  const quakes = quakeTopic(config.format);
  const source: KafkaSource = await startKafkaSource(relay, {
    kafka,
    groupId: config.group,
    topics: [
      // The revisions topic is optional: a broker set up before it existed still serves the rest.
      ...quakeTopics(config.format).map((topic) => ({
        topic,
        kind: 'quake' as const,
        optional: topic !== quakes,
      })),
      { topic: topics.alertas, kind: 'alert' },
      { topic: topics.stats, kind: 'stats' },
    ],
    quakeReader: new MessageReader(
      config.format,
      config.format === 'avro' ? schemaRegistry() : null,
    ),
    windowMs: config.windowMs,
    ...sink,
  });
  return {
    relay,
    hub,
    source: {
      describe: `Kafka at ${config.kafka}: ${source.topics.join(', ')}`,
      health: async () => ({ kafka: config.kafka, state: source.state(), lag: await source.lag() }),
      stop: () => source.stop(),
    },
  };
}

async function startDirect(direct: ReturnType<typeof directConfig>): Promise<Running> {
  const { relay, hub, sink } = relayAndHub(`d-${randomUUID().slice(0, 8)}`, 'direct');
  const source = startDirectSource(relay, {
    ...direct,
    positions: {
      quake: `${topics.sismos}:0`,
      alert: `${topics.alertas}:0`,
      stats: `${topics.stats}:0`,
    },
    ...sink,
  });
  return {
    relay,
    hub,
    source: {
      describe: `direct mode: polling USGS ${direct.feed.label}`,
      health: async () => source.health(),
      stop: () => source.stop(),
    },
  };
}

/** The relay log and the clients of one stream, and the sink a source feeds them through. */
function relayAndHub(epoch: string, mode: 'kafka' | 'direct') {
  const relay = new RelayLog({
    epoch,
    capacity: config.capacity,
    windowMs: config.windowMs,
    snapshotLimit: config.snapshotLimit,
  });
  const hub = new Hub(relay, {
    mode,
    maxBufferedBytes: config.maxBufferedBytes,
    stallMs: config.stallMs,
    heartbeatMs: config.heartbeatMs,
    maxConnections: config.maxConnections,
    maxConnectionsPerAddress: config.maxConnectionsPerAddress,
    log,
  });
  const sink = {
    onRecord: (record: RelayRecord) => {
      const entry = relay.append(record);
      if (entry !== null) hub.publish(entry);
    },
    onStatus: (ok: boolean, message: string) => hub.sourceStatus(ok, message),
    log,
  };
  return { relay, hub, sink };
}

/**
 * The page as this bridge serves it: a `<meta name="sismos-bridge">` tells the dashboard that its
 * own server is a Sismos bridge and where its WebSocket is, so a page served by anything else
 * (a static server, GitHub Pages) never tries to open one.
 */
function markServed(html: string): string {
  return html.replace('<head>', '<head>\n<meta name="sismos-bridge" content="/ws">');
}

/**
 * Headers on every answer: no page of another site may frame, sniff or embed what the bridge
 * serves, nor share a browsing context group with it; the page uses no device API.
 */
const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // As the page's own <meta name="referrer">: map tiles need the origin in a Referer.
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy':
    'accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(), payment=(), serial=(), usb=()',
} as const;

/** The CSP of every answer but the page: nothing may load, nothing may frame it. */
const STRICT_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * The page's own Content-Security-Policy (its <meta http-equiv>), as a header with
 * frame-ancestors 'none', which browsers ignore in a <meta>.
 */
function pageCsp(html: string): string {
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
  return meta === null ? "frame-ancestors 'none'" : `${meta[1]}; frame-ancestors 'none'`;
}

/** The request's target as a URL, or null when it is not one (a client may send anything). */
function requestUrl(request: IncomingMessage): URL | null {
  try {
    return new URL(request.url ?? '/', 'http://bridge');
  } catch {
    return null;
  }
}

function credentialsOf(request: IncomingMessage, url: URL): RequestCredentials {
  return {
    host: request.headers.host,
    origin: request.headers.origin,
    token: url.searchParams.get('token'),
  };
}

/**
 * The dashboard opened from disk, with the address of this bridge's WebSocket and its token:
 * what a page without an origin needs to be let in (docs/protocol.md, "Who may connect").
 */
function fileAddress(port: number): string {
  const host = ['0.0.0.0', '::', ''].includes(config.host)
    ? '127.0.0.1'
    : isIPv6(config.host)
      ? `[${config.host}]`
      : config.host;
  const bridge = `ws://${host}:${port}/ws?token=${config.access.token}`;
  return `${pathToFileURL(config.index).href}?bridge=${encodeURIComponent(bridge)}`;
}

/** Answers an upgrade request that is refused with a plain HTTP error, then drops the connection. */
function refuse(socket: Duplex, status: number, text: string, body: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${body}\n`,
  );
}

main().catch((error: unknown) =>
  service.fail(config.kafka === null ? String(error) : kafkaError(error).message),
);
