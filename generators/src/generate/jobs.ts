// Turning a loaded config into generation jobs.
import { resolve } from 'node:path';
import type { LoadedConfig } from './config.ts';
import { labelPath, type GenerateJob } from './run.ts';

/** One job per config entry; paths resolved against the config's directory, which also anchors spec labels. */
export function jobsFromConfig(loaded: LoadedConfig): GenerateJob[] {
  return loaded.config.specs.map((entry) => {
    const spec = resolve(loaded.dir, entry.spec);
    return { spec, specLabel: labelPath(spec, loaded.dir), out: resolve(loaded.dir, entry.out), targets: entry.targets, options: entry.options };
  });
}
