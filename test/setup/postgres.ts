import type { TestProject } from 'vitest/node';
import { startPostgres } from '../../scripts/postgres-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser's URL of the real PostgreSQL the tests talk to; each test makes its own database. */
    postgresUrl: string;
  }
}

/** Uses the server in POSTGRES_URL when set; otherwise starts a throw-away cluster and removes it after the run. */
export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const existing = process.env.POSTGRES_URL;
  if (existing !== undefined && existing !== '') {
    project.provide('postgresUrl', existing);
    return undefined;
  }
  const server = await startPostgres();
  project.provide('postgresUrl', server.url);
  return () => server.remove();
}
