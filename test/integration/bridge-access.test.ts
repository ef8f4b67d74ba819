/**
 * Who may reach the bridge, and what it tells them (docs/protocol.md, "Who may connect"): the Host
 * header against DNS rebinding, the Origin of the pages that may open the WebSocket, the token of
 * the file:// address it prints, the headers of what it serves, what /healthz shows to whom, and
 * the connection limits.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/kafka-local.ts';
import { brokers, createTopic, unique } from '../helpers/kafka.ts';
import { stopCommand } from '../helpers/pipeline.ts';
import { type Command, startCommand } from '../helpers/process.ts';
import { closeCode, rawWebSocket } from '../helpers/ws-client.ts';

const topics = {
  SISMOS_TOPIC: unique('sismos'),
  ALERTAS_TOPIC: unique('alertas'),
  STATS_TOPIC: unique('stats'),
};

interface Running {
  readonly command: Command;
  readonly port: number;
  readonly ws: string;
  /** The token in the file:// address the bridge printed. */
  readonly token: string;
}

async function startBridge(env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const command = startCommand('bridge/server.ts', { BRIDGE_PORT: String(port), ...env });
  await command.waitFor(/^Page from disk, live from this bridge: file:\S+\n/m);
  const address = /^Page from disk, live from this bridge: (file:\S+)\n/m.exec(
    command.stdout(),
  )?.[1];
  const bridge = new URL(new URL(address as string).searchParams.get('bridge') as string);
  return {
    command,
    port,
    ws: `ws://127.0.0.1:${port}/ws`,
    token: bridge.searchParams.get('token') as string,
  };
}

/** A plain HTTP GET with any headers (Host included), as a page or a program could send it. */
function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

let kafka: Running;

beforeAll(async () => {
  await Promise.all(Object.values(topics).map((topic) => createTopic(topic)));
  kafka = await startBridge({
    ...topics,
    KAFKA_BROKERS: brokers(),
    BRIDGE_GROUP: unique('bridge'),
  });
});
afterAll(() => stopCommand(kafka.command));

describe('the Host header (DNS rebinding)', () => {
  it('is refused with 421, naming BRIDGE_ALLOWED_HOSTS, on a page, /healthz and the WebSocket', async () => {
    const fix =
      'host evil.example:80 is not served: the bridge answers to localhost and IP addresses; to serve it by this name, add evil.example to BRIDGE_ALLOWED_HOSTS\n';
    for (const path of ['/', '/healthz']) {
      const answer = await get(kafka.port, path, { Host: 'evil.example:80' });
      expect(answer.status).toBe(421);
      expect(answer.body).toBe(fix);
    }
    // A page of evil.example that DNS pointed at 127.0.0.1: its own origin, its own Host.
    await expect(
      rawWebSocket(kafka.ws, {
        headers: { Host: 'evil.example:80', Origin: 'http://evil.example' },
      }),
    ).rejects.toThrow(`handshake refused: HTTP/1.1 421 Misdirected Request: ${fix}`);
  });

  it('is served for localhost and IP addresses', async () => {
    for (const host of [`localhost:${kafka.port}`, `127.0.0.1:${kafka.port}`, '[::1]']) {
      expect((await get(kafka.port, '/healthz', { Host: host })).status).toBe(200);
    }
  });
});

describe('the pages that may open the WebSocket', () => {
  it('refuses Origin null (a page from disk, a sandboxed iframe, a data: URL) without the token, saying how to get in', async () => {
    await expect(rawWebSocket(kafka.ws, { headers: { Origin: 'null' } })).rejects.toThrow(
      /^handshake refused: HTTP\/1.1 403 Forbidden: a page without an origin .* open the file:\/\/ address the bridge printed at start, which carries its token\n$/,
    );
  });

  it('refuses another site, naming BRIDGE_ALLOWED_ORIGINS', async () => {
    await expect(
      rawWebSocket(kafka.ws, { headers: { Origin: 'https://evil.example' } }),
    ).rejects.toThrow(
      'handshake refused: HTTP/1.1 403 Forbidden: origin https://evil.example may not open the WebSocket: allow it with BRIDGE_ALLOWED_ORIGINS\n',
    );
  });

  it('lets any page in with the token of the printed address, and refuses a wrong token saying why', async () => {
    for (const origin of ['null', 'https://evil.example']) {
      const client = await rawWebSocket(`${kafka.ws}?token=${kafka.token}`, {
        headers: { Origin: origin },
      });
      const snapshot = await client.next((f) =>
        f.payload.toString().startsWith('{"type":"snapshot"'),
      );
      expect(snapshot).not.toBeNull();
      client.socket.destroy();
    }
    await expect(
      rawWebSocket(`${kafka.ws}?token=${kafka.token.slice(1)}`, { headers: { Origin: 'null' } }),
    ).rejects.toThrow(
      /^handshake refused: HTTP\/1.1 403 Forbidden: the token is not this bridge's/,
    );
  });

  it('draws a token of 256 bits at every start, unless BRIDGE_TOKEN sets it', async () => {
    expect(kafka.token).toMatch(/^[\w-]{43}$/);
    const direct = { KAFKA_BROKERS: '', BRIDGE_FEED_URL: 'http://127.0.0.1:9/none.geojson' };
    const [again, fixed] = await Promise.all([
      startBridge(direct),
      startBridge({ ...direct, BRIDGE_TOKEN: 'a-token-of-twenty-two-c' }),
    ]);
    expect(again.token).toMatch(/^[\w-]{43}$/);
    expect(again.token).not.toBe(kafka.token);
    expect(fixed.token).toBe('a-token-of-twenty-two-c');
    await Promise.all([stopCommand(again.command), stopCommand(fixed.command)]);
  });
});

describe('what the bridge serves', () => {
  it('sends the page with its own CSP as a header, with frame-ancestors, and the usual protective headers', async () => {
    const page = await get(kafka.port, '/');
    expect(page.status).toBe(200);
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(
      page.body,
    )?.[1];
    expect(meta).toMatch(/^default-src 'none'; script-src 'sha256-/);
    expect(page.headers['content-security-policy']).toBe(`${meta}; frame-ancestors 'none'`);
    const referrer = /<meta name="referrer" content="([^"]+)">/.exec(page.body)?.[1];
    expect(page.headers['referrer-policy']).toBe(referrer);
    expect(referrer).toBe('strict-origin-when-cross-origin');
    expect(page.headers).toMatchObject({
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    });
    for (const feature of ['camera', 'microphone', 'geolocation', 'usb', 'payment']) {
      expect(page.headers['permissions-policy']).toContain(`${feature}=()`);
    }
    // The marker that tells the dashboard it was served by a bridge.
    expect(page.body).toContain('<meta name="sismos-bridge" content="/ws">');
  });

  it('answers everything else with a CSP that lets nothing load or frame it', async () => {
    for (const path of ['/healthz', '/nothing-here']) {
      const answer = await get(kafka.port, path);
      expect(answer.headers['content-security-policy']).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(answer.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('shows the broker address and the lag on /healthz only to this machine, not to the pages of other sites', async () => {
    const local = JSON.parse((await get(kafka.port, '/healthz')).body);
    expect(local).toMatchObject({ status: 'ok', mode: 'kafka', clients: expect.any(Number) });
    expect(local.source).toMatchObject({ kafka: brokers(), lag: expect.any(Object) });
    const own = JSON.parse(
      (await get(kafka.port, '/healthz', { Origin: `http://127.0.0.1:${kafka.port}` })).body,
    );
    expect(own.source.kafka).toBe(brokers());
    for (const origin of ['https://evil.example', 'null', 'http://localhost:5173']) {
      const answer = await get(kafka.port, '/healthz', { Origin: origin });
      const view = JSON.parse(answer.body);
      expect(view).toMatchObject({ status: 'ok', mode: 'kafka', clients: expect.any(Number) });
      expect(view.source).toBeUndefined();
      expect(view.relay.cursor).toBeUndefined();
      expect(answer.body).not.toContain(brokers());
    }
    expect(JSON.stringify(local)).not.toContain(kafka.token);
  });
});

describe('connection limits', () => {
  it('closes a connection over the per-address or the global limit with 4029, saying which setting', async () => {
    const limited = await startBridge({
      KAFKA_BROKERS: '',
      BRIDGE_FEED_URL: 'http://127.0.0.1:9/none.geojson',
      BRIDGE_MAX_CONNECTIONS_PER_ADDRESS: '3',
      BRIDGE_MAX_CONNECTIONS: '5',
    });
    const open = (from: string) => rawWebSocket(limited.ws, { localAddress: from });
    const hello = (client: Awaited<ReturnType<typeof open>>) =>
      client.next((f) => f.opcode === 8 || f.payload.toString().startsWith('{"type":"snapshot"'));
    const first = await Promise.all([open('127.0.0.1'), open('127.0.0.1'), open('127.0.0.1')]);
    for (const client of first) expect((await hello(client))?.opcode).toBe(1);
    const fourth = await open('127.0.0.1');
    await fourth.next((f) => f.opcode === 8);
    expect(closeCode(fourth.frames)).toBe(4029);
    expect(fourth.frames.at(-1)?.payload.subarray(2).toString()).toBe(
      'too many connections from 127.0.0.1 (limit 3, BRIDGE_MAX_CONNECTIONS_PER_ADDRESS)',
    );
    const others = await Promise.all([open('127.0.0.2'), open('127.0.0.3')]);
    for (const client of others) expect((await hello(client))?.opcode).toBe(1);
    const sixth = await open('127.0.0.4');
    await sixth.next((f) => f.opcode === 8);
    expect(closeCode(sixth.frames)).toBe(4029);
    expect(sixth.frames.at(-1)?.payload.subarray(2).toString()).toBe(
      'too many connections (limit 5, BRIDGE_MAX_CONNECTIONS)',
    );
    // A connection that closes makes room for another.
    (first[0] as (typeof first)[number]).socket.destroy();
    await (first[0] as (typeof first)[number]).closed;
    let again = await open('127.0.0.1');
    // The bridge counts a connection until it sees its socket close, a moment after this side.
    while ((await hello(again))?.opcode !== 1) {
      again.socket.destroy();
      again = await open('127.0.0.1');
    }
    const health = JSON.parse((await get(limited.port, '/healthz')).body);
    expect(health.refusedConnections).toBeGreaterThanOrEqual(2);
    for (const client of [...first, fourth, ...others, sixth, again]) client.socket.destroy();
    await stopCommand(limited.command);
  });
});
