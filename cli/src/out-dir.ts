import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { displayPath } from '@finrail/generators';
import { UsageError } from './run-command.ts';

/** Creates `--out <dir>` (and parents); a path that cannot be a directory is a usage error, not a crash. */
export async function prepareOutDir(dir: string): Promise<string> {
  const absolute = resolve(dir);
  try {
    await mkdir(absolute, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(`cannot use ${displayPath(absolute)} as the output directory (${code})`);
  }
  return absolute;
}
