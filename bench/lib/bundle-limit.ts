/** The most index.html may weigh, raw, in KB of 1,024 bytes: the bundle benchmark's target, also checked by `npm test`. */
export const BUNDLE_LIMIT_KB = 350;
