import { existsSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KAFKA_HEAP_OPTS, KAFKA_VERSION, PROJECT_TOPICS } from '../../scripts/kafka-local.ts';
import { bridgeHealthcheck, compose, service } from '../helpers/compose.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('docker-compose.yml', () => {
  it('runs the same Kafka version as the local broker the tests use', () => {
    expect([...compose.matchAll(/apache\/kafka:(\S+)/g)].map((m) => m[1])).toEqual([KAFKA_VERSION]);
  });

  it('creates the project topics npm run kafka:local creates, revisions included, with 3 partitions', () => {
    const topics = /for topic in ([\w\s-]+?); do/.exec(compose)?.[1]?.split(/\s+/);
    expect(topics).toEqual([...PROJECT_TOPICS]);
    expect(topics).toContain('sismos-revisiones');
    expect(compose).toContain('--partitions 3 --replication-factor 1');
  });

  it('stops kafka-init at the first topic it cannot create (set -e), so the services waiting for it do not start', () => {
    const script = /command:\n\s+- \|\n((?: {8}.*\n)+)/.exec(service('kafka-init'))?.[1] ?? '';
    expect(script.trim().split('\n')[0]).toBe('set -e');
    expect(service('kafka-init')).toContain('entrypoint: ["/bin/bash", "-c"]');
  });

  it('is valid for docker-compose 1.29: no top-level name (it rejects one), and .env names the project for both versions', () => {
    expect(compose).not.toMatch(/^name:/m);
    expect(compose).not.toMatch(/^version:/m);
    expect(read('.env').split('\n')).toContain('COMPOSE_PROJECT_NAME=sismos');
  });

  it('publishes every port on the loopback interface only', () => {
    const published = [...compose.matchAll(/^ {4}ports:\n((?: {6}- .*\n)+)/gm)].flatMap((m) =>
      (m[1] ?? '').trim().split('\n'),
    );
    expect(published.length).toBeGreaterThanOrEqual(3);
    for (const line of published) expect(line).toMatch(/^\s*- "127\.0\.0\.1:\d+:\d+"/);
  });

  it('gives the broker the heap of the local broker instead of the image default of 1 GB', () => {
    expect(service('kafka')).toContain(`KAFKA_HEAP_OPTS: ${KAFKA_HEAP_OPTS}`);
  });
});

/** The shared settings of the Node services (the x-node-service anchor). */
const nodeService = /x-node-service: &node-service\n((?: {2}.*\n)+)/.exec(compose)?.[1] ?? '';

describe('docker-compose.yml pipeline services', () => {
  it('builds the Node services from the Dockerfile and starts them once Kafka is healthy and the topics exist', () => {
    expect(nodeService).toContain('build: .');
    expect(nodeService).toMatch(/kafka:\n\s+condition: service_healthy/);
    expect(nodeService).toMatch(/kafka-init:\n\s+condition: service_completed_successfully/);
    expect(nodeService).toContain('restart: on-failure');
  });

  it('runs productor_sismos, consumidor_alertas and estadisticas_sismos against the listener for containers', () => {
    for (const [name, script] of [
      ['usgs-producer', 'bridge/productor_sismos.ts'],
      ['alerts', 'bridge/consumidor_alertas.ts'],
      ['bridge', 'bridge/server.ts'],
      ['stats', 'bridge/estadisticas_sismos.ts'],
    ] as const) {
      const block = service(name);
      expect(block).toContain('<<: *node-service');
      expect(block).toContain(`command: ["node", "--import", "tsx", "${script}"]`);
      expect(block).toContain('KAFKA_BROKERS: kafka:29092');
      expect(existsSync(new URL(`../../${script}`, import.meta.url))).toBe(true);
    }
  });

  it('keeps alertas.log on a named volume', () => {
    const block = service('alerts');
    const path = /ALERTAS_LOG: (\S+)/.exec(block)?.[1];
    const mount = /- alertas:(\S+)/.exec(block)?.[1];
    expect(path).toBe(`${mount}/alertas.log`);
    expect(compose).toMatch(/^volumes:\n(?: {2}.*\n)*? {2}alertas:/m);
  });

  it('publishes the bridge on this machine only, listening on every interface inside its container', () => {
    const block = service('bridge');
    expect(block).toContain('BRIDGE_HOST: 0.0.0.0');
    expect(block).toContain('- "127.0.0.1:8080:8080"');
  });

  it('checks the bridge with /healthz on its own port, asked at an IP address its Host check accepts', () => {
    const script = bridgeHealthcheck();
    expect(script).toContain("fetch('http://127.0.0.1:' + process.env.BRIDGE_PORT + '/healthz')");
    expect(script).toContain("h.status === 'ok'");
    // Compose would read a dollar sign as one of its own variables.
    expect(script).not.toContain('$');
    expect(service('bridge')).toMatch(/BRIDGE_PORT: 8080\n/);
  });

  it('creates the dead-letter topic the alert consumer writes to, and the stats topic', () => {
    expect(/for topic in ([\w\s-]+?); do/.exec(compose)?.[1]?.split(/\s+/)).toEqual(
      expect.arrayContaining(['sismos-dlq', 'sismos-stats']),
    );
  });

  it('counts 5-minute windows with the same allowed lateness in both engines', () => {
    for (const name of ['stats', 'spark']) {
      expect(service(name)).toContain('STATS_WINDOW_MINUTES: 5');
      expect(service(name)).toContain('STATS_LATENESS_MINUTES: 60');
    }
  });
});

describe('docker-compose.yml spark profile', () => {
  const block = compose.slice(compose.indexOf('\n  spark:\n'), compose.indexOf('\nvolumes:\n'));
  const job = readFileSync(
    new URL('../../spark/spark_streaming_sismos.py', import.meta.url),
    'utf8',
  );
  const pyspark = readFileSync(new URL('../../spark/requirements.txt', import.meta.url), 'utf8');
  const version = /^pyspark==(\S+)$/m.exec(pyspark)?.[1];

  it('is optional: only the spark profile starts it', () => {
    expect(block).toContain('profiles: ["spark"]');
    expect(service('stats')).not.toContain('profiles:');
  });

  it('runs the PySpark job in the Apache Spark image of the version the tests run, with the same Kafka connector', () => {
    expect(version).toBeDefined();
    expect(job).toContain(`SPARK_VERSION = "${version}"`);
    expect(block).toMatch(
      new RegExp(`image: apache/spark:${version}-scala2\\.12-java17-python3-ubuntu$`, 'm'),
    );
    expect(block).toContain('- /opt/spark/bin/spark-submit');
    expect(block).toContain(`- org.apache.spark:spark-sql-kafka-0-10_2.12:${version}`);
    // The job is the repository's file, mounted read-only.
    const mount = /- \.\/spark:(\S+):ro$/m.exec(block)?.[1];
    expect(block).toContain(`- ${mount}/spark_streaming_sismos.py`);
  });

  it('reaches Kafka on the listener for containers once it is healthy and the topics exist', () => {
    expect(block).toContain('KAFKA_BROKERS: kafka:29092');
    expect(block).toMatch(/kafka:\n\s+condition: service_healthy/);
    expect(block).toMatch(/kafka-init:\n\s+condition: service_completed_successfully/);
    expect(block).toContain('restart: on-failure');
  });

  it('keeps its checkpoints and the downloaded connector on a named volume', () => {
    const mount = /- spark-work:(\S+)$/m.exec(block)?.[1];
    expect(mount).toBeDefined();
    expect(/SPARK_CHECKPOINT_DIR: (\S+)/.exec(block)?.[1]?.startsWith(`${mount}/`)).toBe(true);
    expect(/spark\.jars\.ivy=(\S+)/.exec(block)?.[1]?.startsWith(`${mount}/`)).toBe(true);
    expect(compose).toMatch(/^volumes:\n(?: {2}.*\n)*? {2}spark-work:/m);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
  const copied = [...dockerfile.matchAll(/^COPY (\S+)\/ /gm)].map((m) => `${m[1]}/`);
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

  it('runs on a Node LTS line CI also tests (.ci/run), not the end-of-life Node 20', () => {
    const image = /^FROM node:(\d+)-slim$/m.exec(dockerfile)?.[1];
    const ci = /^NODE_LTS_LINES="([\d ]+)"$/m.exec(read('.ci/run'))?.[1]?.split(' ');
    expect(['22', '24']).toContain(image);
    expect(ci).toContain(image);
  });

  it('installs only the runtime dependencies, tsx among them', () => {
    expect(dockerfile).toContain('npm ci --omit=dev');
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['tsx', 'kafkajs']));
  });

  it('holds every file the services import, and every package they import is a runtime dependency', () => {
    const files = new Set<string>();
    const packages = new Set<string>();
    const visit = (path: string) => {
      if (files.has(path)) return;
      files.add(path);
      const source = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
      for (const [, spec] of source.matchAll(/^(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)) {
        if (spec === undefined) continue;
        if (spec.startsWith('.')) visit(posix.join(posix.dirname(path), spec));
        else if (!spec.startsWith('node:')) packages.add(spec.split('/')[0] ?? spec);
      }
    };
    visit('bridge/productor_sismos.ts');
    visit('bridge/consumidor_alertas.ts');
    visit('bridge/estadisticas_sismos.ts');
    for (const file of files)
      expect(
        copied.some((dir) => file.startsWith(dir)),
        file,
      ).toBe(true);
    for (const name of packages) expect(pkg.dependencies, name).toHaveProperty(name);
    expect(files.size).toBeGreaterThan(10);
  });
});
