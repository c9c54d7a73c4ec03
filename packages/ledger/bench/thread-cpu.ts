// CPU time per thread of this process, by thread name, from /proc (Linux; elsewhere none): shows
// how a bench's CPU splits between the event loop, worker threads and V8's helpers (GC, compiler).
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** Microseconds of CPU (user + system) each thread name has used so far, summed over its threads. */
export function cpuByThreadName(): Map<string, number> {
  const byName = new Map<string, number>();
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return byName;
  }
  for (const task of tasks) {
    try {
      const name = readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim();
      const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
      // Fields after the parenthesised name: utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const micros = ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_SECOND;
      byName.set(name, (byName.get(name) ?? 0) + micros);
    } catch {
      // The thread ended meanwhile.
    }
  }
  return byName;
}

/** What each thread name used between two readings, per unit of work, largest first: `MainThread 12.1, WorkerThread 8.4, …`. */
export function cpuSplit(before: Map<string, number>, after: Map<string, number>, units: number): string {
  return [...after]
    .map(([name, micros]) => [name, (micros - (before.get(name) ?? 0)) / units] as const)
    .filter(([, perUnit]) => perUnit >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([name, perUnit]) => `${name} ${perUnit.toFixed(1)}`)
    .join(', ');
}
