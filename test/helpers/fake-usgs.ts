import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FIXTURE_DIR } from './fixtures.ts';

/** What the fake USGS answers on one path. */
export interface Answer {
  readonly status?: number;
  readonly body?: string;
  /** Never answer (the client must time out). */
  readonly hang?: boolean;
}

export interface FakeUsgs {
  /** Absolute URL of `path` on this server, e.g. url('/fixtures/2016-11-03_all_day.geojson'). */
  url(path: string): string;
  /** Answers `path` with `answer` from now on. */
  set(path: string, answer: Answer): void;
  /** Answers the next requests of `path` with `answers`, one each, in order; then as before. */
  queue(path: string, answers: readonly Answer[]): void;
  /** How many requests `path` received. */
  hits(path: string): number;
  close(): Promise<void>;
}

/**
 * A local HTTP server standing in for earthquake.usgs.gov. By default `/fixtures/<file>` serves the
 * recorded feeds of test/fixtures/usgs; tests replace any path's answer to play outages and revisions.
 */
export async function startFakeUsgs(): Promise<FakeUsgs> {
  const answers = new Map<string, Answer>();
  const queued = new Map<string, Answer[]>();
  const hits = new Map<string, number>();
  const hanging = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    response.setHeader('Access-Control-Allow-Origin', '*');
    response.setHeader('Cache-Control', 'no-store');
    const answer = queued.get(path)?.shift() ?? answers.get(path) ?? fixtureAnswer(path);
    if (answer.hang) {
      hanging.add(response);
      response.on('close', () => hanging.delete(response));
      return;
    }
    response.writeHead(answer.status ?? 200, { 'Content-Type': 'application/geo+json' });
    response.end(answer.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    set: (path, answer) => answers.set(path, answer),
    queue: (path, more) => queued.set(path, [...(queued.get(path) ?? []), ...more]),
    hits: (path) => hits.get(path) ?? 0,
    close: () =>
      new Promise((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function fixtureAnswer(path: string): Answer {
  const match = /^\/fixtures\/([\w.-]+\.geojson)$/.exec(path);
  if (match === null) return { status: 404, body: 'not found' };
  try {
    return { body: readFileSync(`${FIXTURE_DIR}${match[1]}`, 'utf8') };
  } catch {
    return { status: 404, body: 'not found' };
  }
}
