import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
export async function startableProfiler(file: string): Promise<{ toggle(): Promise<void> }> {
  const session = new Session();
  session.connect();
  let running = false;
  return {
    async toggle() {
      if (!running) {
        running = true;
        await session.post('HeapProfiler.startSampling', { samplingInterval: 128, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
        return;
      }
      const { profile } = await session.post('HeapProfiler.stopSampling');
      await writeFile(file, JSON.stringify(profile));
    },
  };
}
