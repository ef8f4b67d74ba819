/** PAGER alert levels USGS attaches to significant events. */
export type PagerLevel = 'green' | 'yellow' | 'orange' | 'red';

/**
 * One earthquake (or other seismic event) as Sismos understands it, whatever it came from:
 * a USGS feed feature or a challenge-4 Kafka message.
 */
export interface Quake {
  /** USGS preferred event id, e.g. "us7000abcd". The quake's identity everywhere. */
  readonly id: string;
  /** Origin time, epoch milliseconds UTC. */
  readonly time: number;
  /** Time of the latest revision, epoch milliseconds UTC. A larger value is a newer version. */
  readonly updated: number;
  /** Magnitude; null when USGS has none yet. Can be 0 or negative for tiny events. */
  readonly mag: number | null;
  readonly magType: string | null;
  readonly place: string | null;
  readonly lat: number;
  readonly lon: number;
  /** Depth in km; negative above sea level; null when the feed gives none. */
  readonly depth: number | null;
  readonly tsunami: boolean;
  /** Review status in lower case: "automatic", "reviewed", "deleted". */
  readonly status: string | null;
  /** Event type in lower case: "earthquake", "quarry blast", "explosion", ... */
  readonly type: string;
  /** USGS event page; only http(s) URLs are kept. */
  readonly url: string | null;
  readonly alert: PagerLevel | null;
  /** "Did You Feel It?" reports received; null when USGS has none. */
  readonly felt: number | null;
  /** Highest intensity (MMI scale, 1-12) reported by DYFI; null without reports. */
  readonly cdi: number | null;
  /** Highest intensity (MMI scale, 1-12) ShakeMap computed; null when there is no ShakeMap. */
  readonly mmi: number | null;
  /** USGS's time-zone offset at the epicentre in minutes, when the feed gives one (most do not). */
  readonly tz: number | null;
}
