// Reads by key, batched: the keys asked for in one tick are loaded by one call, and each reader
// keeps what it loaded, so the resolvers of one list of rows cost one query, not one per row.

/** A value by key: batched per tick, cached for the reader's lifetime. */
export type BatchReader<K, V> = (key: K) => Promise<V>;

/** A reader over `load`, which gets the distinct keys of one tick and must answer a value for each. */
export function batchReader<K, V>(load: (keys: K[]) => Promise<Map<K, V>>): BatchReader<K, V> {
  const cache = new Map<K, Promise<V>>();
  let pending: { key: K; resolve: (value: V) => void; reject: (error: unknown) => void }[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    load([...new Set(batch.map((entry) => entry.key))]).then(
      (loaded) => batch.forEach((entry) => entry.resolve(loaded.get(entry.key) as V)),
      (error: unknown) => batch.forEach((entry) => entry.reject(error)),
    );
  };
  return (key) => {
    const cached = cache.get(key);
    if (cached) return cached;
    const loading = new Promise<V>((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ key, resolve, reject });
    });
    cache.set(key, loading);
    return loading;
  };
}

/** One reader per GraphQL context (or any object living as long as one request), made on first use. */
export function perContext<C extends object, R>(make: (ctx: C) => R): (ctx: C) => R {
  const readers = new WeakMap<C, R>();
  return (ctx) => {
    let reader = readers.get(ctx);
    if (!reader) {
      reader = make(ctx);
      readers.set(ctx, reader);
    }
    return reader;
  };
}
