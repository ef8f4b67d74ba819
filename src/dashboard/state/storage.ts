/**
 * localStorage that never throws: some browsers refuse storage to pages opened from disk or in
 * private windows, and a full quota must not break the dashboard. Keys are prefixed "sismos:".
 */
export const storage = {
  get(key: string): string | null {
    try {
      return localStorage.getItem(`sismos:${key}`);
    } catch {
      return null;
    }
  },
  set(key: string, value: string): void {
    try {
      localStorage.setItem(`sismos:${key}`, value);
    } catch {
      // Not saved: the page keeps working, only this preference is forgotten on reload.
    }
  },
};
