// PostgreSQL's CPU time for the app's own connections, for the benches' CPU per page. The app's
// pool connects with an application_name of its own (withApplicationName); pg_stat_activity names
// the backends serving it, and /proc (PostgreSQL on this machine) gives each backend's CPU time:
// /proc/<pid>/schedstat (nanoseconds on a CPU) or, without it, utime + stime of /proc/<pid>/stat
// (clock ticks of 10 ms). A window's CPU is the sum over the backends alive at its end of their CPU
// at the end minus at the start (0 for a backend born inside it): a backend that exits inside the
// window is lost (the app's pool keeps its connections while it is busy). PostgreSQL's own
// processes (WAL writer, checkpointer, autovacuum) and other clients are not counted.
//
// pg_stat_statements (plan + exec time) would also do, but it needs shared_preload_libraries and a
// restart, which the development box's PostgreSQL does not have; /proc needs nothing but a local server.
import { readFile } from 'node:fs/promises';
import pg from 'pg';

/** Linux's USER_HZ: the unit of utime and stime in /proc/<pid>/stat. */
const CLOCK_TICK_MS = 10;

/** CPU time (ms) process `pid` has used, or null if it is not a process of this machine. */
export async function processCpuMs(pid: number): Promise<number | null> {
  try {
    const schedstat = await readFile(`/proc/${pid}/schedstat`, 'utf8');
    const ns = Number(schedstat.split(' ')[0]);
    if (Number.isFinite(ns)) return ns / 1e6;
  } catch {
    // no schedstat (kernel without CONFIG_SCHED_INFO) or no such process: try stat
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": state is field 3, utime 14 and stime 15 (proc(5)).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
  } catch {
    return null;
  }
}

/** Whether `pid` is a PostgreSQL process of this machine (a remote server's pid may name another process here). */
async function isLocalPostgres(pid: number): Promise<boolean> {
  try {
    return (await readFile(`/proc/${pid}/comm`, 'utf8')).startsWith('postgres');
  } catch {
    return false;
  }
}

/** `url` with `application_name` set, so the backends of the pool that connects with it can be found. */
export function withApplicationName(url: string, applicationName: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('application_name', applicationName);
  return parsed.toString();
}

/** A window's reading: PostgreSQL CPU ms of the app's backends, or null where /proc cannot see them. */
export interface BackendCpu {
  /** Starts a window; its `stop` gives the CPU ms the backends used in it. */
  start(): Promise<{ stop(): Promise<number | null> }>;
  close(): Promise<void>;
}

/**
 * The CPU of the backends connected with `applicationName`, read over a connection of its own
 * (its backend has another application_name, so the probe does not count itself).
 */
export async function backendCpu(databaseUrl: string, applicationName: string): Promise<BackendCpu> {
  const probe = new pg.Client({ connectionString: databaseUrl, application_name: 'salon-bench-probe' });
  await probe.connect();
  const readAll = async (): Promise<Map<number, number> | null> => {
    const { rows } = await probe.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
      [applicationName],
    );
    const cpu = new Map<number, number>();
    for (const { pid } of rows) {
      const ms = (await isLocalPostgres(pid)) ? await processCpuMs(pid) : null;
      if (ms === null) return null;
      cpu.set(pid, ms);
    }
    return cpu;
  };
  return {
    async start() {
      const before = await readAll();
      return {
        async stop() {
          const after = await readAll();
          if (!before || !after) return null;
          let total = 0;
          for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
          return total;
        },
      };
    },
    close: () => probe.end(),
  };
}
