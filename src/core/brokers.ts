import { ConfigError } from './errors.ts';

/**
 * A broker list as Kafka clients take it ("host:port,host:port"), read from the setting `name`:
 * every entry a host (a name, an IPv4 address or a bracketed IPv6 one) and a port from 1 to 65535.
 * Spaces around entries are ignored; an empty list or entry is refused, so is a port-less one
 * (kafkajs would read it as port NaN and fail much later with a riddle).
 */
export function parseBrokers(name: string, text: string): string[] {
  const entries = text.split(',').map((entry) => entry.trim());
  const fix = `set ${name} to host:port entries separated by commas, e.g. localhost:9092 or kafka-1:9092,kafka-2:9092`;
  if (entries.every((entry) => entry === '')) {
    throw new ConfigError('CONFIG_FORMAT', `${name} names no broker; ${fix}`);
  }
  for (const entry of entries) {
    const problem = brokerProblem(entry);
    if (problem !== null) {
      throw new ConfigError('CONFIG_FORMAT', `${name} has "${entry}", ${problem}; ${fix}`);
    }
  }
  return entries;
}

/** What is wrong with one entry, or null. */
function brokerProblem(entry: string): string | null {
  if (entry === '') return 'an empty entry';
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d*))?$/.exec(entry);
  if (match === null) return 'which is not a host name or address followed by :port';
  const port = match[2];
  if (port === undefined) return 'a host without a port';
  const number = Number(port);
  if (port === '' || !Number.isInteger(number) || number < 1 || number > 65535) {
    return `whose port is not a number from 1 to 65535`;
  }
  return null;
}
