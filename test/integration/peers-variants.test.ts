import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/kafka-local.ts';
import { parseFeedText } from '../../src/core/feed.ts';
import { tumblingWindows, windowsOf } from '../../src/core/window.ts';
import { type FakeUsgs, startFakeUsgs } from '../helpers/fake-usgs.ts';
import { fixtureText } from '../helpers/fixtures.ts';
import { brokers, createTopic, readAll, unique } from '../helpers/kafka.ts';
import { type PythonProducerOptions, runPythonProductorSismos } from '../helpers/peers.ts';
import { type Command, startCommand } from '../helpers/process.ts';
import { expectWindows, lastByKey, waitUntilHandled } from '../helpers/stats.ts';
import { connectBridge } from '../helpers/ws-client.ts';

const FEED = '2018-06-12_4.5_week.geojson';
const QUAKES = parseFeedText(fixtureText(FEED)).quakes;
const ALERTED = QUAKES.filter((q) => q.mag !== null && q.mag >= 4.5).map((q) => q.id);

async function stop(command: Command): Promise<void> {
  command.child.kill('SIGTERM');
  expect(await command.exited).toBe(0);
}

describe("a Python productor_sismos in each of the course's message variants, read by our services", () => {
  let usgs: FakeUsgs;
  beforeAll(async () => {
    usgs = await startFakeUsgs();
  });
  afterAll(() => usgs?.close());

  it.each<
    [NonNullable<PythonProducerOptions['tsunami']>, NonNullable<PythonProducerOptions['time']>]
  >([
    ['bool', 'iso'],
    ['usgs', 'naive'],
    ['null', 'naive'],
    ['omit', 'epoch-ms'],
  ])(
    'tsunami %s, time %s: consumidor-alertas alerts each M4.5+ quake once, estadisticas-sismos counts every quake, the bridge relays every quake',
    async (tsunami, time) => {
      // Issue 13, defect 2: every record but the course's exact form was dead-lettered.
      const topic = unique('sismos');
      const [alerts, dlq, stats] = [unique('alertas'), unique('dlq'), unique('stats')];
      await Promise.all([
        createTopic(topic),
        createTopic(alerts),
        createTopic(dlq, 1),
        createTopic(stats),
      ]);
      const sent = await runPythonProductorSismos({
        feedUrl: usgs.url(`/fixtures/${FEED}`),
        brokers: brokers(),
        topic,
        tsunami,
        time,
      });
      expect(sent.code, sent.stderr).toBe(0);

      const common = {
        KAFKA_BROKERS: brokers(),
        SISMOS_TOPIC: topic,
        KAFKA_SESSION_TIMEOUT_S: '6',
      };
      const alertas = startCommand('bridge/consumidor_alertas.ts', {
        ...common,
        ALERTAS_TOPIC: alerts,
        DLQ_TOPIC: dlq,
        ALERTS_GROUP: unique('alertas'),
        ALERTAS_LOG: join(mkdtempSync(join(tmpdir(), 'sismos-alertas-')), 'alertas.log'),
      });
      const estadisticas = startCommand('bridge/estadisticas_sismos.ts', {
        ...common,
        STATS_TOPIC: stats,
        STATS_GROUP: unique('estadisticas'),
      });
      const port = await freePort();
      const bridge = startCommand('bridge/server.ts', {
        ...common,
        ALERTAS_TOPIC: alerts,
        STATS_TOPIC: stats,
        BRIDGE_PORT: String(port),
        BRIDGE_GROUP: unique('bridge'),
        // The recorded week is from 2018: the snapshot reaches back to it.
        BRIDGE_WINDOW_HOURS: '100000',
      });
      await waitUntilHandled(estadisticas, topic);
      await alertas.waitFor(
        (out) => (out.match(/^║ +ALERTA SISMICA/gm) ?? []).length >= ALERTED.length,
      );
      await bridge.waitFor(/Sismos bridge \(Kafka/, 60_000);
      const client = await connectBridge(`ws://127.0.0.1:${port}/ws`);
      const snapshot = await client.next((f) => f.type === 'snapshot');
      await client.close();
      await Promise.all([stop(alertas), stop(estadisticas), stop(bridge)]);
      expect(snapshot.quakes.map((q: { id: string }) => q.id).sort()).toEqual(
        QUAKES.map((q) => q.id).sort(),
      );
      expect(bridge.stdout()).not.toMatch(/rejected/);

      expect((await readAll(alerts)).map((r) => r.key).sort()).toEqual([...ALERTED].sort());
      expect(await readAll(dlq)).toEqual([]);
      expect(alertas.stderr()).toBe('');
      expect(estadisticas.stderr()).toBe('');
      expect(estadisticas.stdout()).toMatch(/ 0 late quakes this run\.$/m);
      expectWindows(lastByKey(await readAll(stats)), windowsOf(QUAKES, tumblingWindows()));
    },
  );
});
