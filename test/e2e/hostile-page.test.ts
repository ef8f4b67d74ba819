/**
 * A web site the user visits attacks the bridge on their machine through their browser (issue 11):
 * it opens ws://127.0.0.1:<port>/ws from its own page, from a sandboxed iframe and from a data: URL
 * (both send `Origin: null`), and by DNS rebinding (its own name pointed at 127.0.0.1). Under the
 * default settings none of them gets a single frame. The dashboard opened from disk with the
 * address the bridge prints (it carries the token) still goes live.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/kafka-local.ts';
import { launchChromium } from '../helpers/browser.ts';
import { openDashboard } from '../helpers/dashboard.ts';
import { type FakeUsgs, startFakeUsgs } from '../helpers/fake-usgs.ts';
import { feedText, recentFeatures } from '../helpers/fixtures.ts';
import { type Command, startCommand } from '../helpers/process.ts';

const FEED = '2016-11-03_all_day.geojson';
const features = recentFeatures(FEED);
/** The attacker's name; Chromium resolves it to this machine, as DNS rebinding would. */
const EVIL = 'evil.example';

let browser: Browser;
let usgs: FakeUsgs;
let bridge: Command;
let port: number;
/** The file:// address the bridge printed at start. */
let fromDisk: string;
let evil: Server;
let evilPort: number;

/** What one attempt got: whether its WebSocket opened, and how many frames came. */
interface Attempt {
  readonly via: string;
  readonly opened: boolean;
  readonly frames: number;
}

/**
 * Opens a WebSocket to `url` and reports once, to the top page, what it got: on the first frame,
 * or when the socket closes. Runs in the attacker's pages, as text.
 */
function attempt(url: string, via: string): void {
  let opened = false;
  let reported = false;
  const report = (frames: number) => {
    if (reported) return;
    reported = true;
    window.top?.postMessage({ via, opened, frames }, '*');
  };
  const socket = new WebSocket(url);
  socket.onopen = () => {
    opened = true;
  };
  socket.onmessage = () => report(1);
  socket.onclose = () => report(0);
}

/** A script that runs attempt() with these arguments. */
const script = (url: string, via: string) =>
  `<script>(${attempt.toString()})(${JSON.stringify(url)}, ${JSON.stringify(via)})</script>`;

/** The attacker's page: the three ways in, each reporting to this top page. */
function attackPage(target: string): string {
  const inner = (via: string) => script(target, via);
  return `<!doctype html><title>A page of ${EVIL}</title>
<script>window.attempts = []; addEventListener('message', (event) => attempts.push(event.data));</script>
${script(target, 'its own page')}
<iframe sandbox="allow-scripts" srcdoc="${inner('a sandboxed iframe').replaceAll('"', '&quot;')}"></iframe>
<iframe src="data:text/html,${encodeURIComponent(inner('a data: URL'))}"></iframe>`;
}

async function attempts(page: Page, count: number): Promise<Attempt[]> {
  await page.waitForFunction(
    (n) => (window as unknown as { attempts: unknown[] }).attempts.length >= n,
    count,
  );
  return page.evaluate(() => (window as unknown as { attempts: Attempt[] }).attempts);
}

beforeAll(async () => {
  [browser, usgs] = await Promise.all([
    launchChromium([
      `--host-resolver-rules=MAP ${EVIL} 127.0.0.1`,
      // Recent Chromium refuses a public page's requests to this machine (Local Network Access);
      // other browsers do not, so the bridge must hold on its own: the test turns that off.
      '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults',
    ]),
    startFakeUsgs(),
  ]);
  usgs.set('/day.geojson', { body: feedText(FEED, features, Date.now()) });
  port = await freePort();
  bridge = startCommand('bridge/server.ts', {
    KAFKA_BROKERS: '',
    BRIDGE_PORT: String(port),
    BRIDGE_FEED_URL: usgs.url('/day.geojson'),
    BRIDGE_POLL_S: '0.5',
  });
  await bridge.waitFor(new RegExp(`: ${features.length} new, `));
  await bridge.waitFor(/^Page from disk, live from this bridge: file:\S+\n/m);
  fromDisk =
    /^Page from disk, live from this bridge: (file:\S+)\n/m.exec(bridge.stdout())?.[1] ?? '';
  evil = createServer((_, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end(attackPage(`ws://127.0.0.1:${port}/ws`));
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilPort = (evil.address() as AddressInfo).port;
});
afterAll(async () => {
  bridge?.child.kill('SIGINT');
  await bridge?.exited;
  await new Promise((resolve) => evil?.close(resolve));
  await Promise.all([browser?.close(), usgs?.close()]);
});

describe('a hostile web page, under the default settings', () => {
  it('gets no frame from the bridge: from its own page, a sandboxed iframe or a data: URL', async () => {
    const page = await browser.newPage();
    await page.goto(`http://${EVIL}:${evilPort}/`);
    const got = await attempts(page, 3);
    expect(got.map((a) => a.via).sort()).toEqual([
      'a data: URL',
      'a sandboxed iframe',
      'its own page',
    ]);
    expect(got.filter((a) => a.opened || a.frames > 0)).toEqual([]);
    await page.close();
  });

  it('gets nothing by DNS rebinding: its name pointed at the bridge is refused, page, /healthz and WebSocket', async () => {
    const page = await browser.newPage();
    const rebound = `http://${EVIL}:${port}`;
    expect((await page.goto(`${rebound}/`))?.status()).toBe(421);
    // The attacker's page, at its own name on the bridge's port (served here as the attacker's
    // server served it before the name was pointed at 127.0.0.1).
    await page.route(`${rebound}/attack`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html>
<script>
window.attempts = [];
addEventListener('message', (event) => attempts.push(event.data));
fetch('/healthz').then(async (r) => attempts.push({ via: 'healthz', status: r.status, text: await r.text() }));
</script>
${script(`ws://${EVIL}:${port}/ws`, 'its own name')}`,
      }),
    );
    await page.goto(`${rebound}/attack`);
    const got = (await attempts(page, 2)) as (Attempt & { status?: number; text?: string })[];
    expect(got.find((a) => a.via === 'its own name')).toEqual({
      via: 'its own name',
      opened: false,
      frames: 0,
    });
    const health = got.find((a) => a.via === 'healthz');
    expect(health?.status).toBe(421);
    expect(health?.text).toMatch(/add evil\.example to BRIDGE_ALLOWED_HOSTS/);
    await page.close();
  });
});

describe('the dashboard opened from disk', () => {
  it('goes live with the address the bridge printed at start, which carries its token', async () => {
    expect(fromDisk).toMatch(
      /^file:\/\/\/.*\/index\.html\?bridge=ws%3A%2F%2F127\.0\.0\.1%3A\d+%2Fws%3Ftoken%3D[\w-]{43}$/,
    );
    const { page, problems } = await openDashboard(browser);
    await page.goto(`${fromDisk}&lang=en`);
    await page.waitForFunction(
      (count) =>
        document.body.dataset.connection === 'live' && document.body.dataset.markers === count,
      String(features.length),
    );
    expect(problems.cspViolations).toEqual([]);
    await page.close();
  });
});
