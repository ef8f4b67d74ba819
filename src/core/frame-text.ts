/**
 * The text of the frames the bridge sends (docs/protocol.md): each is JSON.stringify of its
 * ServerFrame, written in pieces so that what many clients share is encoded once.
 */
import { encodeMessage } from './message.ts';
import { type Cursor, encodeCursor, PROTOCOL_VERSION, type ServerFrame } from './protocol.ts';
import type { Quake } from './quake.ts';
import type { Entry, RelayRecord } from './relay-log.ts';
import { toStatsMessage } from './stats-message.ts';
import type { WindowStats } from './window.ts';

/** The hello frame, saying which protocol version the rest of the connection speaks. */
export function helloFrameText(
  mode: 'kafka' | 'direct',
  windowMs: number,
  version = PROTOCOL_VERSION,
): string {
  return JSON.stringify({
    type: 'hello',
    version,
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
  return `{${recordFields(record)},"cursor":${JSON.stringify(cursor)}}`;
}

/**
 * The batch frame (version 2) of relayed records, in order: each record as its version-1 frame
 * without the cursor, and the cursor after the last. `entries` is not empty.
 */
export function batchFrameText(entries: readonly Entry[]): string {
  return batchFramePieces(entries).join('');
}

/**
 * batchFrameText in pieces that join into it: a message's text is a piece of its own, so that the
 * frame's bytes are written from the texts as they are, never copied into one long string first.
 */
export function batchFramePieces(entries: readonly Entry[]): string[] {
  const pieces = ['{"type":"batch","items":['];
  for (const [i, { record }] of entries.entries()) {
    const comma = i === 0 ? '' : ',';
    if (record.window !== null) {
      pieces.push(`${comma}{${statsFields(record.window)}}`);
    } else {
      pieces.push(`${comma}{"type":"${quakeType(record)}","quake":`, messageText(record), '}');
    }
  }
  const { cursor } = entries.at(-1) as Entry;
  pieces.push(`],"cursor":${JSON.stringify(cursor)}}`);
  return pieces;
}

/** The fields of a record's frame (RecordItem) but the cursor, without the braces. */
function recordFields(record: RelayRecord): string {
  if (record.window !== null) return statsFields(record.window);
  return `"type":"${quakeType(record)}","quake":${messageText(record)}`;
}

function statsFields(window: WindowStats): string {
  return `"type":"stats","window":${JSON.stringify(toStatsMessage(window))}`;
}

function quakeType(record: RelayRecord): 'quake' | 'alert' {
  return record.kind === 'alert' ? 'alert' : 'quake';
}

function messageText(record: RelayRecord): string {
  return record.text ?? encodeMessage(record.quake as Quake);
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
