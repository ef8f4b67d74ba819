/**
 * The page served over http by a server that is not a Sismos bridge (python -m http.server,
 * GitHub Pages): it polls its feed and never tries a WebSocket, so no false bridge banner.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDashboard, state, waitForUpdates, withBrowserAndUsgs } from '../helpers/dashboard.ts';

const env = withBrowserAndUsgs();
const INDEX = fileURLToPath(new URL('../../index.html', import.meta.url));

/** A plain static server: index.html at / and nothing else, as any web server would. */
let server: Server;
let origin: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/' || path === '/index.html') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(readFileSync(INDEX));
    } else {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the page served by a plain static server', () => {
  it.each([
    ['with an explicit feed', true],
    ['with the default feed', false],
  ])('%s makes no WebSocket attempt and shows no bridge banner', async (_label, explicit) => {
    const { page, problems, external } = await openDashboard(env.browser);
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    const feed = env.usgs.url('/fixtures/2016-11-03_all_day.geojson');
    const query = new URLSearchParams({ lang: 'en', ...(explicit ? { feed } : {}) });
    await page.goto(`${origin}/?${query}`);
    if (explicit) {
      await waitForUpdates(page, 1);
      expect(await state(page)).toMatchObject({ connection: 'polling', phase: 'live' });
    } else {
      // The default feed is the real USGS, refused off this machine: the page polls it and fails.
      await page.waitForFunction(() => Number(document.body.dataset.failures) >= 1);
      expect(external[0]).toMatch(/^https:\/\/earthquake\.usgs\.gov\//);
      expect(await state(page)).toMatchObject({ connection: 'polling' });
    }
    expect(await page.locator('#stale').textContent()).not.toContain('bridge');
    expect(sockets).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });
});
