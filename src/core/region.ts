/** The region a USGS place description names, for grouping quakes ("top regions"). */

/** US states and territories USGS abbreviates at the end of a place ("5 km NW of The Geysers, CA"). */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  AK: 'Alaska',
  AL: 'Alabama',
  AR: 'Arkansas',
  AZ: 'Arizona',
  CA: 'California',
  CO: 'Colorado',
  CT: 'Connecticut',
  DE: 'Delaware',
  FL: 'Florida',
  GA: 'Georgia',
  HI: 'Hawaii',
  IA: 'Iowa',
  ID: 'Idaho',
  IL: 'Illinois',
  IN: 'Indiana',
  KS: 'Kansas',
  KY: 'Kentucky',
  LA: 'Louisiana',
  MA: 'Massachusetts',
  MD: 'Maryland',
  ME: 'Maine',
  MI: 'Michigan',
  MN: 'Minnesota',
  MO: 'Missouri',
  MS: 'Mississippi',
  MT: 'Montana',
  MX: 'Mexico',
  NC: 'North Carolina',
  ND: 'North Dakota',
  NE: 'Nebraska',
  NH: 'New Hampshire',
  NJ: 'New Jersey',
  NM: 'New Mexico',
  NV: 'Nevada',
  NY: 'New York',
  OH: 'Ohio',
  OK: 'Oklahoma',
  OR: 'Oregon',
  PA: 'Pennsylvania',
  PR: 'Puerto Rico',
  RI: 'Rhode Island',
  SC: 'South Carolina',
  SD: 'South Dakota',
  TN: 'Tennessee',
  TX: 'Texas',
  UT: 'Utah',
  VA: 'Virginia',
  VT: 'Vermont',
  WA: 'Washington',
  WI: 'Wisconsin',
  WV: 'West Virginia',
  WY: 'Wyoming',
};

/**
 * Regions by the raw text after a place's last comma. Tails repeat ("CA", " Japan"), so the top
 * regions of 20,000 quakes cost a lookup each instead of a regular expression; bounded.
 */
const regionByTail = new Map<string, string | null>();
const TAILS_KEPT = 4096;

/**
 * "10 km S of Tokyo, Japan" -> "Japan"; "3 km N of Anza, CA" -> "California";
 * "Fiji region" -> "Fiji region". Null for an empty or missing place.
 */
export function regionOf(place: string | null): string | null {
  if (place === null) return null;
  const comma = place.lastIndexOf(',');
  const raw = comma === -1 ? place : place.slice(comma + 1);
  const known = regionByTail.get(raw);
  if (known !== undefined) return known;
  const tail = raw.replace(/\s+/g, ' ').trim();
  const region = tail.length === 0 ? null : (ABBREVIATIONS[tail] ?? tail);
  if (regionByTail.size >= TAILS_KEPT) regionByTail.clear();
  regionByTail.set(raw, region);
  return region;
}
