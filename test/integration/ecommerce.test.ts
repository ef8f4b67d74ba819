import { describe, expect, it } from 'vitest';
import { windowRecord } from '../../src/core/ecommerce-metrics.ts';
import { CommerceProcessor, DEFAULT_PROCESSOR } from '../../src/core/ecommerce-processor.ts';
import { CommerceSimulator } from '../../src/core/ecommerce-simulator.ts';
import { brokers, createTopic, endOffsets, produce, readAll, unique } from '../helpers/kafka.ts';
import { type Command, runCommand, startCommand } from '../helpers/process.ts';

const SIMULATOR = 'bridge/simulador_ecommerce.ts';
const PROCESSOR = 'bridge/procesador_ecommerce.ts';
const SEC = 1000;
const MIN = 60 * SEC;
const START = '2026-12-01T10:00:00.000Z';
const EVENTS = 600;
/** One event every 20 s of event time over 100 users: visits, and sessions that end. */
const STREAM = [
  '--semilla',
  '7',
  '--eventos',
  String(EVENTS),
  '--sin-pausa',
  '--inicio',
  START,
  '--ritmo',
  '0.05',
];
const WINDOWS = [
  '--ventana-seg',
  '600',
  '--deslizante',
  '600/300',
  '--sesion-min',
  '30',
  '--retraso-seg',
  '5',
];

/** The window blocks a processor printed (the notebook's process_window()), each as one string. */
function blocks(stdout: string): string[] {
  return [
    ...stdout.matchAll(/^={50}\nPROCESANDO VENTANA[\s\S]*?^Revenue de la ventana: .*$/gm),
  ].map((m) => m[0]);
}

/** Per partition, the last offset procesador_ecommerce says it read. */
async function waitUntilRead(service: Command, topic: string): Promise<void> {
  const ends = await endOffsets(topic);
  await service.waitFor((out) => {
    const read = new Map<number, number>();
    for (const [, p, last] of out.matchAll(
      new RegExp(`^Batch: ${topic} \\[(\\d+)\\] @ \\d+–(\\d+)`, 'gm'),
    )) {
      read.set(Number(p), Math.max(read.get(Number(p)) ?? -1, Number(last)));
    }
    return [...ends].every(([p, end]) => end === 0 || (read.get(p) ?? -1) >= end - 1);
  }, 120_000);
}

/** What the core computes for the same stream, closing windows after every event as --sin-kafka does. */
function expectedRecords(count: { size: number; slide: number } | null): Map<string, string> {
  const simulator = new CommerceSimulator({
    seed: 7,
    start: Date.parse(START),
    ratePerSecond: 0.05,
    users: 100,
    disorderMs: 2 * SEC,
  });
  const processor = new CommerceProcessor({
    ...DEFAULT_PROCESSOR,
    tumblingMs: 600 * SEC,
    slidingMs: 600 * SEC,
    slideMs: 300 * SEC,
    sessionGapMs: 30 * MIN,
    latenessMs: 5 * SEC,
    count,
  });
  const records = new Map<string, string>();
  for (let i = 0; i < EVENTS; i++) {
    const { counted } = processor.add(simulator.next());
    for (const window of [...(counted === null ? [] : [counted]), ...processor.advance()]) {
      const { key, value } = windowRecord(window);
      records.set(key, value);
    }
  }
  return records;
}

describe('the e-commerce stream (the notebook’s simulator and processor)', () => {
  it.each([
    { partitions: 3, count: null },
    { partitions: 1, count: { size: 20, slide: 10 } },
  ])(
    'gives the same windows through Kafka ($partitions partitions) as --sin-kafka for the same seed',
    async ({ partitions, count }) => {
      const topic = unique('eventos-ecommerce');
      const results = unique('ecommerce-resultados');
      await Promise.all([createTopic(topic, partitions), createTopic(results)]);
      const env = {
        KAFKA_BROKERS: brokers(),
        ECOMMERCE_TOPIC: topic,
        ECOMMERCE_RESULTS_TOPIC: results,
        ECOMMERCE_GROUP: unique('procesador-ecommerce'),
        KAFKA_SESSION_TIMEOUT_S: '6',
      };
      const countFlags = count === null ? [] : ['--conteo', `${count.size}/${count.slide}`];

      const simulated = await runCommand(SIMULATOR, env, STREAM);
      expect(simulated.stderr).toBe('');
      expect(simulated.code).toBe(0);
      expect(simulated.stdout).toMatch(
        /^Evento generado: view - (laptop|mouse|keyboard|monitor|headphones)$/m,
      );
      expect(simulated.stdout).toMatch(new RegExp(`^${EVENTS} events sent to ${topic}\\.$`, 'm'));
      const sent = await readAll(topic);
      expect(sent).toHaveLength(EVENTS);
      // Keyed by user: every event of a user lands in the partition of its key.
      for (const record of sent) expect(JSON.parse(record.value ?? '').user_id).toBe(record.key);

      // A record that is no e-commerce event is skipped with one line, and changes no window.
      const poison = JSON.stringify({ event_id: 'x', timestamp: START, event_type: 'click' });
      await produce(topic, [{ key: 'user_1', value: poison, partition: 0 }]);
      const poisonAt = ((await endOffsets(topic)).get(0) ?? 0) - 1;

      const service = startCommand(PROCESSOR, env, [...WINDOWS, ...countFlags]);
      await waitUntilRead(service, topic);
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      expect(service.stderr()).toBe(
        `skipped ${topic} [0] @ ${poisonAt}: field "event_type" must be one of view, add_to_cart, purchase, remove_from_cart, got string "click"\n`,
      );
      expect(service.stdout()).toMatch(
        /^SIGTERM: left group \S+, offsets committed; \d+ windows published, 0 late events, 1 unreadable record this run\.$/m,
      );
      expect(service.stdout()).toMatch(/^ESTADÍSTICAS FINALES\n={50}\n\nTotal de eventos: 600$/m);

      const offline = await runCommand(PROCESSOR, {}, [
        '--sin-kafka',
        ...STREAM,
        ...WINDOWS,
        ...countFlags,
      ]);
      expect(offline.stderr).toBe('');
      expect(offline.code).toBe(0);
      const [beforeEnd = '', atEnd = ''] = offline.stdout.split(/^Fin del stream: .*$/m);
      expect(blocks(atEnd).length).toBeGreaterThan(0);

      // Both modes print the same windows, with the same figures.
      const viaKafka = blocks(service.stdout());
      expect(viaKafka.sort()).toEqual(blocks(beforeEnd).sort());
      for (const pattern of [
        'ventana fija',
        'ventana deslizante',
        'sesión',
        ...(count ? ['ventana de conteo'] : []),
      ]) {
        expect(viaKafka.filter((b) => b.includes(`\n${pattern}: `)).length).toBeGreaterThan(3);
      }
      // Sessions of several events, some with purchases: the simulator's visits.
      expect(viaKafka.some((b) => b.includes('\nsesión: ') && /\npurchase +\d+\n/.test(b))).toBe(
        true,
      );

      // And the same running totals, the users of the whole stream estimated by HyperLogLog.
      const totals = (out: string) =>
        out.match(/^ESTADÍSTICAS FINALES[\s\S]*?^Revenue total: .*$/m)?.[0];
      expect(totals(service.stdout())).toBe(totals(offline.stdout));
      expect(totals(offline.stdout)).toMatch(
        /^Usuarios únicos \(HyperLogLog, error típico 1\.6%\): \d+$/m,
      );

      // The results topic holds those windows, as the core computes them.
      const published = new Map((await readAll(results)).map((r) => [r.key ?? '', r.value ?? '']));
      expect(published.size).toBe(viaKafka.length);
      expect(published).toEqual(expectedRecords(count));
    },
    240_000,
  );

  it('stops a simulated stream without end on Ctrl+C, closing its windows and printing the totals', async () => {
    const offline = startCommand(PROCESSOR, {}, ['--sin-kafka', '--sin-pausa', '--ritmo', '50']);
    await offline.waitFor(/^PROCESANDO VENTANA DE \d+ EVENTOS$/m, 60_000);
    offline.child.kill('SIGINT');
    expect(await offline.exited).toBe(0);
    const out = offline.stdout();
    expect(out).toMatch(
      /^Fin del stream: las ventanas abiertas se cierran \(watermark .+ UTC\)\.$/m,
    );
    expect(out).toMatch(/^ESTADÍSTICAS FINALES$/m);
    expect(out).toMatch(/^SIGINT: \d+ events processed, 0 late events$/m);
    expect(offline.stderr()).toBe('');
  }, 120_000);

  it('prints its help without touching Kafka, and names a bad flag and its fix', async () => {
    const offline = { KAFKA_BROKERS: '127.0.0.1:1' };
    for (const command of [SIMULATOR, PROCESSOR]) {
      const help = await runCommand(command, offline, ['--help']);
      expect(help.code).toBe(0);
      expect(help.stderr).toBe('');
      expect(help.stdout).toMatch(/^usage: (simulador|procesador)_ecommerce \[options\]$/m);
      expect(help.stdout).toContain('--semilla N');
    }
    const bad = await runCommand(PROCESSOR, offline, ['--sin-kafka', '--deslizante', '10/20']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'procesador_ecommerce: --deslizante (ECOMMERCE_SLIDING) needs a slide no longer than the window, got "10/20"; try 20/10\n',
    );
    const unknown = await runCommand(SIMULATOR, offline, ['--rate', '5']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^simulador_ecommerce: Unknown option '--rate'.*; usage: simulador_ecommerce/,
    );
  });
});
