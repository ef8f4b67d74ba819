/**
 * A throw-away PostgreSQL without Docker: a cluster made by the machine's own initdb in a temporary
 * folder, listening on a free loopback port, trusted connections only from this machine. PostgreSQL
 * refuses to run as root: as root, the cluster belongs to the system user `postgres` (Debian's
 * package creates it). Tests use startPostgres(); set POSTGRES_BIN to another bin folder if needed.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './kafka-local.ts';

const BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

export interface LocalPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres, the superuser's database. */
  readonly url: string;
  readonly port: number;
  /** Stops the server (immediately: a test of a lost database), keeping its data. */
  stop(): void;
  /** Starts the stopped server again on the same port. */
  start(): void;
  /** Stops the server and deletes its folder. */
  remove(): void;
}

export async function startPostgres(): Promise<LocalPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'sismos-postgres-'));
  const data = join(dir, 'data');
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString());
    chownSync(dir, id('-u'), id('-g'));
    chmodSync(dir, 0o700);
  }
  const run = (program: string, args: string[]) =>
    execFileSync(
      asRoot ? 'runuser' : join(BIN, program),
      asRoot ? ['-u', 'postgres', '--', join(BIN, program), ...args] : args,
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '--encoding=UTF8',
    '--no-instructions',
  ]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const start = () =>
    run('pg_ctl', ['start', '-w', '-t', '60', '-D', data, '-l', join(dir, 'log'), '-o', options]);
  const stop = () => {
    try {
      run('pg_ctl', ['stop', '-w', '-m', 'immediate', '-D', data]);
    } catch {
      // Already stopped.
    }
  };
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop,
    start,
    remove: () => {
      stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
