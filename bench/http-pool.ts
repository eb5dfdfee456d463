// The benches' HTTP client: undici's Pool, kept per origin and size for the process's life
// (keep-alive across phases). On two cores shared by server, database and load generator, Node's
// fetch (WHATWG streams around undici) took about as much CPU as the server; the Pool sends the same
// bytes for a fraction of it (docs/BENCHMARKS.md, "Page loads: the generator").
import { Pool } from 'undici';

const pools = new Map<string, Pool>();

/** The keep-alive pool of `connections` connections to `origin`, one per process. */
export function keepAlivePool(origin: string, connections: number): Pool {
  const key = `${origin} ${connections}`;
  let pool = pools.get(key);
  if (!pool) pools.set(key, (pool = new Pool(origin, { connections, pipelining: 1 })));
  return pool;
}

/** Closes every pool (a bench that runs in the server's process, before the server closes). */
export async function closeKeepAlivePools(): Promise<void> {
  await Promise.all([...pools.values()].map((pool) => pool.close()));
  pools.clear();
}
