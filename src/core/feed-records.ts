import type { Quake } from './quake.ts';
import type { SeenQuakes } from './seen.ts';

/** One polled feed against what was already published: what to publish now, and the counts. */
interface FeedRecords {
  /** The feed's quakes, all of them. */
  readonly feed: readonly Quake[];
  /** The records to publish, in this order: quakes never published, then revisions of published ones. */
  readonly outgoing: readonly Quake[];
  readonly fresh: number;
  readonly revised: number;
  /** Quakes whose newest published version is this one or newer. */
  readonly unchanged: number;
}

/**
 * The records a polled feed makes: its new quakes and its revisions. Changes nothing: once the
 * sink has taken them (the broker acknowledged), call `recordsPublished`.
 */
export function feedRecords(seen: SeenQuakes, feed: readonly Quake[]): FeedRecords {
  const { fresh, revised, unchanged } = seen.sort(feed);
  return {
    feed,
    outgoing: [...fresh, ...revised],
    fresh: fresh.length,
    revised: revised.length,
    unchanged,
  };
}

/**
 * Remembers that `records` were published at `now`, marks every id of their feed as still in it,
 * and forgets the ids neither in a feed nor published for a whole feed window.
 */
export function recordsPublished(seen: SeenQuakes, records: FeedRecords, now: number): void {
  for (const quake of records.outgoing) seen.markSent(quake, now);
  seen.touch(records.feed, now);
  seen.forget(now);
}

/** One send of a poll: quakes for one topic, in order. */
export interface RecordSend {
  readonly topic: string;
  readonly quakes: readonly Quake[];
}

/**
 * Where a poll's records go: first versions to `sismos`, so a consumer of `sismos` sees each quake
 * once; revisions to `revisions` after them (in the same send when it is `sismos` itself, the old
 * behaviour), or nowhere when it is null.
 */
export function recordSends(
  records: FeedRecords,
  sismos: string,
  revisions: string | null,
): RecordSend[] {
  const firsts = records.outgoing.slice(0, records.fresh);
  const later = records.outgoing.slice(records.fresh);
  if (revisions === sismos)
    return records.outgoing.length > 0 ? [{ topic: sismos, quakes: records.outgoing }] : [];
  const sends: RecordSend[] = [];
  if (firsts.length > 0) sends.push({ topic: sismos, quakes: firsts });
  if (revisions !== null && later.length > 0) sends.push({ topic: revisions, quakes: later });
  return sends;
}
