/**
 * Oddities of a feed that change no quake but deserve a quiet word in the status area: USGS's
 * metadata.count disagreeing with the features it sent, and quakes dated after the feed was
 * generated (the parser accepts up to a day ahead, since clocks and revisions drift).
 */
import type { ParsedFeed } from './feed.ts';

export type FeedOddity =
  | { readonly kind: 'count'; readonly declared: number; readonly features: number }
  | { readonly kind: 'future'; readonly quakes: number };

export function feedOddities(feed: ParsedFeed): FeedOddity[] {
  const oddities: FeedOddity[] = [];
  const { declaredCount, generated } = feed.metadata;
  // Every feature became a quake, replaced one (a duplicate id) or was rejected.
  const features = feed.quakes.length + feed.rejects.length;
  if (declaredCount !== null && declaredCount !== features) {
    oddities.push({ kind: 'count', declared: declaredCount, features });
  }
  if (generated !== null) {
    const quakes = feed.quakes.filter((quake) => quake.time > generated).length;
    if (quakes > 0) oddities.push({ kind: 'future', quakes });
  }
  return oddities;
}
