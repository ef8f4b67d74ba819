/**
 * The commands' --help: what each does, how to run it, and every environment variable it reads
 * with its default, from one catalogue so that a variable reads the same in every command's help.
 */

/** Every variable a command reads: its default, then what it sets. */
const VARIABLES = {
  KAFKA_BROKERS: ['localhost:9092', 'Kafka brokers, host:port entries separated by commas'],
  KAFKAJS_LOG_LEVEL: ['nothing', "kafkajs's own logs: error, warn, info or debug"],
  KAFKA_SESSION_TIMEOUT_S: [
    '30',
    "seconds before a silent member's partitions go to another (6-300)",
  ],
  MENSAJES_TOPIC: ['mensajes-test', 'the topic of challenges 2 and 3'],
  CONSUMER_GROUP: ['mi-grupo-consumidor', 'the consumer group'],
  SISMOS_TOPIC: ['sismos', 'the quake topic: one record per quake, its first version'],
  REVISIONS_TOPIC: [
    'sismos-revisiones',
    'later versions of the quakes; sismos: into SISMOS_TOPIC too; empty: dropped',
  ],
  MESSAGE_FORMAT: [
    'json',
    'json, or avro: SISMOS_AVRO_TOPIC through the schema registry (--format)',
  ],
  SISMOS_AVRO_TOPIC: ['sismos-avro', 'the quake topic in Avro, every version of each quake'],
  SCHEMA_REGISTRY_URL: [
    'http://127.0.0.1:8081/apis/ccompat/v7',
    "the schema registry's Confluent-compatible API (npm run registry:local)",
  ],
  ALERTAS_TOPIC: ['sismos-alertas', 'the alerts topic'],
  STATS_TOPIC: ['sismos-stats', 'the window figures topic'],
  DLQ_TOPIC: ['sismos-dlq', 'where records that cannot be read are copied'],
  USGS_FEED: ['all_hour', 'one of the 20 USGS summary feeds (--feed)'],
  USGS_FEED_URL: ['(USGS_FEED on earthquake.usgs.gov)', 'any GeoJSON feed URL (--url)'],
  POLL_INTERVAL_S: ['30', 'seconds between polls (--interval)'],
  FETCH_TIMEOUT_S: ['10', 'seconds a feed may take to arrive'],
  RETRY_FIRST_S: ['5', 'seconds before polling again after a failure; doubles each time'],
  RETRY_MAX_S: ['300', 'longest delay between failed polls'],
  ALERT_THRESHOLD: ['4.5', 'alert at this magnitude or more'],
  ALERTAS_LOG: ['alertas.log', 'the alert log file (in the working directory)'],
  ALERTS_GROUP: ['consumidor-alertas', 'the consumer group'],
  STATS_WINDOW_MINUTES: ['5', 'window length in minutes (1-1440)'],
  STATS_LATENESS_MINUTES: ['60', 'allowed lateness in minutes (0-43200)'],
  STATS_GROUP: ['estadisticas-sismos', 'the consumer group (its commits hold the checkpoint)'],
  BRIDGE_HOST: ['127.0.0.1', 'listen address (0.0.0.0 serves other machines)'],
  BRIDGE_PORT: ['8080', 'port of the dashboard /, the WebSocket /ws and /healthz'],
  BRIDGE_GROUP: ['sismos-bridge-<host>-<port>', 'the consumer group (Kafka mode)'],
  BRIDGE_WINDOW_HOURS: ['24', 'the snapshot holds the quakes of this many past hours'],
  BRIDGE_BUFFER: ['10000', 'records kept for clients resuming by cursor'],
  BRIDGE_SNAPSHOT_LIMIT: ['20000', 'most quakes (and alerts) a snapshot holds'],
  BRIDGE_MAX_BUFFERED_KB: ['1024', "bytes waiting in a client's socket before it is paused"],
  BRIDGE_STALL_SECONDS: ['10', 'a client paused this long is closed'],
  BRIDGE_HEARTBEAT_SECONDS: ['20', 'ping period; a client silent for a whole period is dropped'],
  BRIDGE_MAX_CONNECTIONS: ['1000', 'most WebSockets open at once'],
  BRIDGE_MAX_CONNECTIONS_PER_ADDRESS: ['128', 'most WebSockets open at once from one address'],
  BRIDGE_ALLOWED_ORIGINS: ['(none)', 'more web origins allowed to open the WebSocket'],
  BRIDGE_ALLOWED_HOSTS: ['(none)', 'host names answered besides localhost and IP addresses'],
  BRIDGE_TOKEN: ['(drawn at every start)', 'the token that lets a page with any Origin in'],
  BRIDGE_INDEX: ['index.html', 'the dashboard page served at /'],
  BRIDGE_FEED: ['all_day', 'direct mode: the USGS feed polled'],
  BRIDGE_FEED_URL: ['(BRIDGE_FEED on earthquake.usgs.gov)', 'direct mode: any GeoJSON feed URL'],
  BRIDGE_POLL_S: ["(the feed's refresh period)", 'direct mode: seconds between polls'],
  EVENTOS_QOG_TOPIC: ['eventos_qog', "the observatory's indicator events, keyed by country"],
  ALERTAS_QOG_TOPIC: ['alertas_qog', "the observatory's alerts, keyed by country"],
  SIMULADOR_EVENTOS_POR_SEGUNDO: ['2', 'events per second (--eventos-por-segundo)'],
  POSTGRES_URL: [
    'postgres://observatorio:observatorio@localhost:5432/observatorio',
    'the PostgreSQL database with the observatory tables',
  ],
  UMBRALES_QOG: ['(the built-in bands)', 'alert bands per indicator, e.g. wdi_lifexp=8:4'],
  QOG_GROUP: ['procesador-qog', 'the consumer group'],
  QOG_RETRASO_S: ['60', 'allowed lateness (watermark delay) in seconds'],
} as const;

export type Variable = keyof typeof VARIABLES;

/** What every command that reads or writes the quake topic is configured by, JSON or Avro. */
export const QUAKE_SOURCE = [
  'KAFKA_BROKERS',
  'SISMOS_TOPIC',
  'MESSAGE_FORMAT',
  'SISMOS_AVRO_TOPIC',
  'SCHEMA_REGISTRY_URL',
] as const satisfies readonly Variable[];

interface HelpSpec {
  /** What the command does, in a sentence or two. */
  readonly summary: string;
  /** How to run it, e.g. "npm run productor-sismos -- [--feed NAME]". */
  readonly usage: string;
  readonly variables: readonly Variable[];
  /** Where this command's default differs from the catalogue's. */
  readonly defaults?: Partial<Record<Variable, string>>;
  /** Anything more a user should know (modes, files it writes). */
  readonly notes?: string;
}

/** The text --help prints. */
export function helpText(name: string, spec: HelpSpec): string {
  const width = Math.max(...spec.variables.map((variable) => variable.length));
  const rows = spec.variables.map((variable) => {
    const [catalogued, what] = VARIABLES[variable];
    const fallback = spec.defaults?.[variable] ?? catalogued;
    return `  ${variable.padEnd(width)}  ${what} (default ${fallback})`;
  });
  return [
    `${name}: ${spec.summary}`,
    '',
    `Usage: ${spec.usage}`,
    '',
    'Environment variables:',
    ...rows,
    '',
    ...(spec.notes === undefined ? [] : [spec.notes, '']),
    'Every line it prints starts with the time, ISO 8601 UTC. Exit status: 0 after Ctrl+C or',
    'SIGTERM (or when done), 1 after a failure, 2 for a setting it cannot start with.',
  ].join('\n');
}

/** True when the command was asked for its help (--help or -h anywhere among its arguments). */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}
