/**
 * The text of the frames the bridge sends (docs/protocol.md): each is JSON.stringify of its
 * ServerFrame, written in pieces so that what many clients share is encoded once.
 */
import { encodeMessage } from './message.ts';
import { type Cursor, encodeCursor, PROTOCOL_VERSION, type ServerFrame } from './protocol.ts';
import type { Quake } from './quake.ts';
import type { Entry } from './relay-log.ts';
import { toStatsMessage } from './stats-message.ts';
import type { WindowStats } from './window.ts';

export function helloFrameText(mode: 'kafka' | 'direct', windowMs: number): string {
  return JSON.stringify({
    type: 'hello',
    version: PROTOCOL_VERSION,
    mode,
    windowMs,
  } satisfies ServerFrame);
}

export function sourceFrameText(ok: boolean, message: string): string {
  return JSON.stringify({ type: 'source', ok, message } satisfies ServerFrame);
}

/**
 * The frame of a relayed record. A message that came as text from Kafka is passed on as that text
 * (it was validated already; encoding the quake again cost a quarter of the relay's time).
 */
export function recordFrameText({ record, cursor }: Entry): string {
  const tail = `,"cursor":${JSON.stringify(cursor)}}`;
  if (record.window !== null) {
    return `{"type":"stats","window":${JSON.stringify(toStatsMessage(record.window))}${tail}`;
  }
  const type = record.kind === 'alert' ? 'alert' : 'quake';
  return `{"type":"${type}","quake":${record.text ?? encodeMessage(record.quake as Quake)}${tail}`;
}

/** The start of a snapshot frame, up to its `reset`: the part that differs from client to client. */
export function snapshotFrameHead(reset: string | null): string {
  return `{"type":"snapshot","reset":${JSON.stringify(reset)}`;
}

/**
 * The rest of a snapshot frame, shared by the clients with the same filters: its quakes and alerts
 * as JSON arrays of challenge-4 messages, its windows and its cursor.
 */
export function snapshotFrameTail(
  quakes: string,
  alerts: string,
  stats: readonly WindowStats[],
  cursor: Cursor,
): string {
  const windows = JSON.stringify(stats.map(toStatsMessage));
  return `,"quakes":${quakes},"alerts":${alerts},"stats":${windows},"cursor":${JSON.stringify(encodeCursor(cursor))}}`;
}
