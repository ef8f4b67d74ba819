import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, PROJECT_TOPICS } from '../../scripts/kafka-local.ts';
import { testKafka, unique } from '../helpers/kafka.ts';
import { type Command, startCommand } from '../helpers/process.ts';

const SCRIPT = 'scripts/kafka-local.ts';
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The JVMs of the Kafka nodes whose data is under `dataDir`, found in /proc whatever the command prints. */
function nodePids(dataDir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return args.includes('kafka.Kafka') && args.some((a) => a.startsWith(`${dataDir}/`));
      } catch {
        return false; // ended while we looked
      }
    })
    .map(Number);
}

/** Starts `npm run kafka:local` on free ports in a new data directory. */
async function kafkaLocal(nodes: number): Promise<{ command: Command; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sismos-kafka-local-'));
  dirs.push(dataDir);
  // Two free ports at least 2 * nodes apart is what the command needs: it takes port + 2i.
  const port = await freePort();
  const controllerPort = port > 60_000 ? port - 100 : port + 100;
  const command = startCommand(SCRIPT, {
    KAFKA_LOCAL_NODES: String(nodes),
    KAFKA_LOCAL_PORT: String(port),
    KAFKA_LOCAL_CONTROLLER_PORT: String(controllerPort),
    KAFKA_LOCAL_DATA_DIR: dataDir,
  });
  await command.waitFor(/^Kafka ready at /m, 180_000);
  return { command, dataDir };
}

describe('npm run kafka:local', () => {
  it('reports a broker that dies, with the reason and its last log lines, and exits non-zero', async () => {
    const { command, dataDir } = await kafkaLocal(1);
    const [pid] = nodePids(dataDir);
    expect(pid).toBeDefined();
    expect(command.stdout()).toContain(`(pid ${pid})`);

    process.kill(pid as number, 'SIGKILL');

    expect(await command.exited).toBe(1);
    expect(command.stderr()).toMatch(
      new RegExp(
        `^kafka:local: Kafka node 1 \\(pid ${pid}\\) was killed by SIGKILL; last lines of ${dataDir}/server.log:\\n\\[\\d{4}-`,
      ),
    );
  }, 240_000);

  it('--nodes 3 starts a 3-node cluster with the project topics replicated 3 times (min.insync.replicas 2), and exits non-zero when a node dies', async () => {
    const { command, dataDir } = await kafkaLocal(3);
    await command.waitFor(/^Point the commands at it with KAFKA_BROKERS=\S+$/m);
    const brokers = /KAFKA_BROKERS=(\S+)/.exec(command.stdout())?.[1] ?? '';
    expect(brokers.split(',')).toHaveLength(3);
    for (const address of brokers.split(',')) expect(address).toMatch(/^127\.0\.0\.1:\d+$/);

    const admin = testKafka(brokers).admin();
    await admin.connect();
    try {
      expect((await admin.describeCluster()).brokers.map((b) => b.nodeId).sort()).toEqual([
        1, 2, 3,
      ]);
      const { topics } = await admin.fetchTopicMetadata({ topics: [...PROJECT_TOPICS] });
      for (const topic of topics) {
        expect(topic.partitions, topic.name).toHaveLength(3);
        for (const partition of topic.partitions) expect(partition.replicas).toHaveLength(3);
      }
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: PROJECT_TOPICS.map((name) => ({ type: 2, name })), // 2: topic
      });
      for (const resource of configs.resources) {
        const minIsr = resource.configEntries.find((e) => e.configName === 'min.insync.replicas');
        expect(minIsr?.configValue, resource.resourceName).toBe('2');
      }
    } finally {
      await admin.disconnect();
    }
    // A consumer group makes Kafka create its offsets topic, with the cluster's replication too.
    const topic = PROJECT_TOPICS[0];
    const group = testKafka(brokers).consumer({ groupId: unique('grupo') });
    await group.connect();
    await group.subscribe({ topics: [topic] });
    await new Promise<void>((resolve) => {
      group.on(group.events.GROUP_JOIN, () => resolve());
      void group.run({ eachMessage: async () => {} });
    });
    await group.disconnect();
    const check = testKafka(brokers).admin();
    await check.connect();
    const offsets = await check.fetchTopicMetadata({ topics: ['__consumer_offsets'] });
    await check.disconnect();
    expect(offsets.topics[0]?.partitions[0]?.replicas).toHaveLength(3);

    const pids = nodePids(dataDir);
    expect(pids).toHaveLength(3);
    process.kill(pids[1] as number, 'SIGKILL');

    expect(await command.exited).toBe(1);
    expect(command.stderr()).toMatch(
      new RegExp(`^kafka:local: Kafka node \\d \\(pid ${pids[1]}\\) was killed by SIGKILL;`),
    );
    expect(command.stderr()).toContain('kafka:local: stopping the other nodes ...');
    expect(nodePids(dataDir)).toEqual([]);
  }, 300_000);
});
