import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KAFKA_VERSION } from '../../scripts/kafka-local.ts';

const compose = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');

describe('docker-compose.yml', () => {
  it('runs the same Kafka version as the local broker the tests use', () => {
    expect([...compose.matchAll(/apache\/kafka:(\S+)/g)].map((m) => m[1])).toEqual([KAFKA_VERSION]);
  });

  it('creates the course topics with 3 partitions', () => {
    const topics = /for topic in ([\w\s-]+?); do/.exec(compose)?.[1]?.split(/\s+/);
    expect(topics).toEqual(expect.arrayContaining(['sismos', 'sismos-alertas', 'mensajes-test']));
    expect(compose).toContain('--partitions 3 --replication-factor 1');
  });
});
