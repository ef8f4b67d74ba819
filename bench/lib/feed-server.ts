/**
 * A local HTTP server standing in for USGS in the benchmarks: each path answers with a function
 * of how many times it was asked, so a feed can change (or stay the same but be regenerated) at
 * every poll, and an answer can wait (a pending promise) while the benchmark measures.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The body for the `hit`-th request of a path (1 for the first). */
export type Answer = (hit: number) => string | Promise<string>;

export interface FeedServer {
  url(path: string): string;
  route(path: string, answer: Answer): void;
  hits(path: string): number;
  close(): Promise<void>;
}

export async function startFeedServer(): Promise<FeedServer> {
  const answers = new Map<string, Answer>();
  const hits = new Map<string, number>();
  const open = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://bench').pathname;
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);
    response.setHeader('Access-Control-Allow-Origin', '*');
    response.setHeader('Cache-Control', 'no-store');
    const answer = answers.get(path);
    if (answer === undefined) {
      response.writeHead(404).end('not found');
      return;
    }
    open.add(response);
    response.on('close', () => open.delete(response));
    void Promise.resolve(answer(hit)).then((body) => {
      response.writeHead(200, { 'Content-Type': 'application/geo+json' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    route: (path, answer) => answers.set(path, answer),
    hits: (path) => hits.get(path) ?? 0,
    close: () =>
      new Promise((resolve) => {
        for (const response of open) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A promise that never settles: a USGS that never answers. */
export const never = (): Promise<string> => new Promise(() => {});

/** The same feed regenerated: `metadata.generated` moves a minute per poll, the features stay. */
export function regenerated(text: string, generated: number): Answer {
  const field = `"generated":${generated}`;
  if (!text.includes(field)) throw new Error(`the feed has no ${field}`);
  return (hit) => text.replace(field, `"generated":${generated + (hit - 1) * 60_000}`);
}
