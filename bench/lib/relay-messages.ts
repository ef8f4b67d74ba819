/** The messages of the relay benchmark, shared by its producer and by the bare broadcaster that frames them. */
import type { Message } from 'kafkajs';
import { parseFeedText } from '../../src/core/feed.ts';
import { encodeMessage } from '../../src/core/message.ts';
import type { Quake } from '../../src/core/quake.ts';
import { syntheticText } from './feeds.ts';

export const RECORDS = 100_000;

/** The 100,000 messages: real quakes copied with new ids, happening now, as productor_sismos writes them. */
export function relayMessages(): Message[] {
  const feed = parseFeedText(syntheticText(RECORDS, 7));
  const shift = Date.now() - (feed.metadata.generated ?? Date.now());
  return feed.quakes.map((quake: Quake) => ({
    key: quake.id,
    value: encodeMessage({ ...quake, time: quake.time + shift, updated: quake.updated + shift }),
  }));
}
