import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCluster, startCluster } from '../../scripts/kafka-local.ts';
import { createTopic, produce, readAll, unique } from '../helpers/kafka.ts';

// This file kills and restarts nodes, so it runs a cluster of its own.
let cluster: LocalCluster;
beforeAll(async () => {
  cluster = await startCluster({ nodes: 3 });
}, 240_000);
afterAll(async () => {
  await cluster?.stop();
}, 120_000);

/** Polls `read` until `done` holds for its value. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined && done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits until no partition of `topic` is led by `node`; returns partition 0's new leader. */
async function movedFrom(topic: string, node: number): Promise<number> {
  const leaders = await Promise.all(
    [0, 1, 2].map((p) =>
      until(
        () => cluster.leaderOf(topic, p),
        (id) => id !== node && id >= 0,
      ),
    ),
  );
  return leaders[0] as number;
}

const batch = (from: number) =>
  Array.from({ length: 30 }, (_, i) => ({ key: `k${from + i}`, value: String(from + i) }));

describe('startCluster (npm run kafka:local -- --nodes 3, for tests)', () => {
  it('survives kill -9 of the leader of a partition and of the active controller, losing and duplicating no record', async () => {
    expect(cluster.nodes).toEqual([1, 2, 3]);
    expect(cluster.brokers.split(',')).toEqual(cluster.nodes.map((n) => cluster.address(n)));
    const topic = unique('sismos');
    await createTopic(topic, 3, cluster.brokers);
    await produce(topic, batch(0), cluster.brokers);

    const leader = await cluster.leaderOf(topic, 0);
    expect(cluster.nodes).toContain(leader);
    await cluster.crash(leader);
    expect(cluster.pid(leader)).toBeUndefined();
    // The controller fences the dead node and another replica takes the partition over.
    const next = await movedFrom(topic, leader);
    expect(cluster.nodes).toContain(next);
    // Two of three replicas in sync are enough for acks=all (min.insync.replicas 2).
    await produce(topic, batch(30), cluster.brokers);
    await cluster.start(leader);

    const controller = await cluster.activeController();
    expect(cluster.nodes).toContain(controller);
    await cluster.crash(controller);
    const successor = await cluster.activeController();
    expect(successor).not.toBe(controller);
    expect(cluster.pid(successor)).toBeDefined();
    await movedFrom(topic, controller);
    await produce(topic, batch(60), cluster.brokers);
    await cluster.start(controller);

    const values = (await readAll(topic, cluster.brokers)).map((r) => Number(r.value));
    expect(values.sort((a, b) => a - b)).toEqual(Array.from({ length: 90 }, (_, i) => i));
  }, 240_000);
});
