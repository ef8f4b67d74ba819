/**
 * The words browsers put on a failed fetch say nothing a user can act on ("Failed to fetch" in
 * Chromium, "NetworkError when attempting to fetch resource." in Firefox, "Load failed" in Safari)
 * and are always English: the page explains such failures itself, in the user's language.
 */
const GENERIC_FETCH_ERRORS: readonly RegExp[] = [
  /^Failed to fetch$/i,
  /^NetworkError when attempting to fetch resource\.?$/i,
  /^Load failed$/i,
  /^The network connection was lost\.?$/i,
];

export function isGenericFetchError(message: string): boolean {
  return GENERIC_FETCH_ERRORS.some((pattern) => pattern.test(message.trim()));
}
