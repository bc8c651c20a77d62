/**
 * A small per-process cache for derived data that is expensive to compute on
 * every request and harmless to serve a few seconds stale (e.g. how many books
 * each genre has). Entries belong to one database handle, so tests that run
 * several databases in one process never see each other's values. Concurrent
 * misses share one computation.
 *
 * Instances stay stateless: this only remembers what the database says, for
 * a bounded time; any instance recomputes it on its own.
 */
const stores = new WeakMap<object, Map<string, { expires: number; value: Promise<unknown> }>>();

export async function cached<T>(
  owner: object,
  key: string,
  ttlMs: number,
  compute: () => Promise<T>,
): Promise<T> {
  let store = stores.get(owner);
  if (!store) stores.set(owner, (store = new Map()));
  const now = Date.now();
  const hit = store.get(key);
  if (hit && hit.expires > now) return hit.value as Promise<T>;
  const value = compute();
  store.set(key, { expires: now + ttlMs, value });
  // A failure is not remembered: the next request tries again.
  value.catch(() => store.delete(key));
  return value;
}

/** Forget everything cached for `owner` (after a write that changes it). */
export function forget(owner: object): void {
  stores.delete(owner);
}
