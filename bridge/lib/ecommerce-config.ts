/** The flags and environment variables of simulador_ecommerce and procesador_ecommerce, read once. */
import { parseArgs } from 'node:util';
import { DEFAULT_PROCESSOR, type ProcessorOptions } from '../../src/core/ecommerce-processor.ts';
import type { SimulatorOptions } from '../../src/core/ecommerce-simulator.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { MINUTE_MS, SECOND_MS } from '../../src/core/time.ts';

/** The simulator's options, with the environment variable each defaults to. */
export const SIMULATOR_HELP = `  --semilla N           seed of the generator: the same seed gives the same events (ECOMMERCE_SEED, 42)
  --eventos N           how many events, 0 for no end (ECOMMERCE_EVENTS, 0)
  --ritmo R             events per second, in event time and, without --sin-pausa, in real time (ECOMMERCE_RATE, 1)
  --sin-pausa           do not wait between events: the simulated hours pass at once
  --inicio ISO          event time of the first event, e.g. 2026-12-01T10:00:00Z (ECOMMERCE_START, now)
  --usuarios N          users user_1 ... user_N (ECOMMERCE_USERS, 100)
  --desorden-seg S      events may carry a time up to S seconds behind the stream's clock (ECOMMERCE_DISORDER_S, 2)`;

export const PROCESSOR_HELP = `  --ventana-seg S       tumbling windows of S seconds (ECOMMERCE_WINDOW_S, 20)
  --deslizante S/P      sliding windows of S seconds every P seconds (ECOMMERCE_SLIDING, 20/10)
  --sesion-min M        a user's session ends after M minutes without events (ECOMMERCE_SESSION_MIN, 30)
  --retraso-seg S       allowed lateness: the watermark trails the newest event time by S seconds (ECOMMERCE_LATENESS_S, 5)
  --conteo N[/P]        also the notebook's count windows: N events, one every P (ECOMMERCE_COUNT, none)`;

const SIMULATOR_FLAGS = {
  semilla: { type: 'string' },
  eventos: { type: 'string' },
  ritmo: { type: 'string' },
  'sin-pausa': { type: 'boolean', default: false },
  inicio: { type: 'string' },
  usuarios: { type: 'string' },
  'desorden-seg': { type: 'string' },
} as const;

const PROCESSOR_FLAGS = {
  ...SIMULATOR_FLAGS,
  'ventana-seg': { type: 'string' },
  deslizante: { type: 'string' },
  'sesion-min': { type: 'string' },
  'retraso-seg': { type: 'string' },
  conteo: { type: 'string' },
  'sin-kafka': { type: 'boolean', default: false },
} as const;

type Values = Partial<Record<string, string | boolean>>;

/** The flags of one command; a ConfigError naming the flag and the usage for an unknown one. */
export function parseFlags(command: 'simulador' | 'procesador', usage: string): Values {
  try {
    const options = command === 'simulador' ? SIMULATOR_FLAGS : PROCESSOR_FLAGS;
    return parseArgs({ options, strict: true }).values as Values;
  } catch (error) {
    throw new ConfigError('CONFIG_FLAG', `${(error as Error).message}; ${usage}`);
  }
}

/** A simulated stream: its events and how fast they are sent. */
export interface SimulationConfig {
  readonly simulator: SimulatorOptions;
  /** 0 for no end. */
  readonly events: number;
  /** Wait 1/rate seconds between events, so event time keeps up with the clock. */
  readonly paced: boolean;
}

export function simulationConfig(values: Values, now: number): SimulationConfig {
  const start = setting(values, 'inicio', 'ECOMMERCE_START');
  const startMs = start === undefined ? now : Date.parse(start);
  if (!Number.isFinite(startMs)) {
    throw new ConfigError(
      'CONFIG_FLAG',
      `--inicio (ECOMMERCE_START) must be an ISO 8601 time such as 2026-12-01T10:00:00Z, got "${start}"`,
    );
  }
  return {
    simulator: {
      seed: number(values, 'semilla', 'ECOMMERCE_SEED', 42, 0, 2 ** 32 - 1, true),
      start: startMs,
      ratePerSecond: number(values, 'ritmo', 'ECOMMERCE_RATE', 1, 0.0001, 100_000),
      users: number(values, 'usuarios', 'ECOMMERCE_USERS', 100, 1, 1_000_000, true),
      disorderMs: number(values, 'desorden-seg', 'ECOMMERCE_DISORDER_S', 2, 0, 86_400) * SECOND_MS,
    },
    events: number(values, 'eventos', 'ECOMMERCE_EVENTS', 0, 0, 100_000_000, true),
    paced: values['sin-pausa'] !== true,
  };
}

export function processorConfig(values: Values): ProcessorOptions {
  const [slidingS, slideS] = pair(values, 'deslizante', 'ECOMMERCE_SLIDING', '20/10', false);
  const count = setting(values, 'conteo', 'ECOMMERCE_COUNT');
  const options: ProcessorOptions = {
    tumblingMs: number(values, 'ventana-seg', 'ECOMMERCE_WINDOW_S', 20, 0.001, 86_400) * SECOND_MS,
    slidingMs: slidingS * SECOND_MS,
    slideMs: slideS * SECOND_MS,
    sessionGapMs:
      number(
        values,
        'sesion-min',
        'ECOMMERCE_SESSION_MIN',
        DEFAULT_PROCESSOR.sessionGapMs / MINUTE_MS,
        0.001,
        10_080,
      ) * MINUTE_MS,
    latenessMs:
      number(
        values,
        'retraso-seg',
        'ECOMMERCE_LATENESS_S',
        DEFAULT_PROCESSOR.latenessMs / SECOND_MS,
        0,
        86_400,
      ) * SECOND_MS,
    count: null,
  };
  if (slideS > slidingS) {
    throw new ConfigError(
      'CONFIG_FLAG',
      `--deslizante (ECOMMERCE_SLIDING) needs a slide no longer than the window, got "${slidingS}/${slideS}"; try 20/10`,
    );
  }
  if (count === undefined || count === '') return options;
  const [size, slide] = pair(values, 'conteo', 'ECOMMERCE_COUNT', count, true);
  return { ...options, count: { size, slide } };
}

function setting(values: Values, flag: string, env: string): string | undefined {
  const value = values[flag];
  if (typeof value === 'string') return value;
  const fromEnv = process.env[env];
  return fromEnv === undefined || fromEnv.trim() === '' ? undefined : fromEnv.trim();
}

function number(
  values: Values,
  flag: string,
  env: string,
  fallback: number,
  min: number,
  max: number,
  whole = false,
): number {
  const raw = setting(values, flag, env);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw === '' || !(value >= min && value <= max) || (whole && !Number.isInteger(value))) {
    throw new ConfigError(
      'CONFIG_FLAG',
      `--${flag} (${env}) must be ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}, got "${raw}"`,
    );
  }
  return value;
}

/** "S/P" or "S" (P = S): a window and its slide. */
function pair(
  values: Values,
  flag: string,
  env: string,
  fallback: string,
  whole: boolean,
): [number, number] {
  const raw = setting(values, flag, env) ?? fallback;
  const [size, slide = size] = raw.split('/').map(Number);
  const ok = (n: number | undefined): n is number =>
    n !== undefined && n > 0 && n <= 1_000_000 && (!whole || Number.isInteger(n));
  if (!ok(size) || !ok(slide) || raw.split('/').length > 2) {
    throw new ConfigError(
      'CONFIG_FLAG',
      `--${flag} (${env}) must be SIZE or SIZE/SLIDE with ${whole ? 'whole numbers' : 'numbers'} > 0, e.g. 20/10, got "${raw}"`,
    );
  }
  return [size, slide];
}
