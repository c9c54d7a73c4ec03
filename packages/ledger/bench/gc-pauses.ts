// The event loop's GC pauses over a bench's measured window (PerformanceObserver 'gc' entries):
// with the thread's CPU per transfer, this says how much of it goes to collecting garbage.
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

/** Starts counting; `stop()` gives the pauses' total in milliseconds and how many there were. */
export function countGcPauses(): { stop(): Promise<{ ms: number; count: number }> } {
  let ms = 0;
  let count = 0;
  const add = (entries: PerformanceEntry[]) => {
    for (const entry of entries) {
      ms += entry.duration;
      count += 1;
    }
  };
  const observer = new PerformanceObserver((list) => add(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return {
    async stop() {
      // Entries are delivered asynchronously: let those of the window arrive first.
      await new Promise((resolve) => setImmediate(resolve));
      add(observer.takeRecords());
      observer.disconnect();
      return { ms, count };
    },
  };
}
