import pg from 'pg';
import { inject } from 'vitest';
import { unique } from './kafka.ts';

/** A database of its own on `serverUrl` (the shared test server by default); returns its URL. */
export async function newDatabase(serverUrl = inject('postgresUrl')): Promise<string> {
  const name = unique('observatorio').replace('-', '_');
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs one query on `url` and returns its rows. */
export async function query<R extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}
