import { isAbsolute, relative } from 'node:path';

/** A path as people want to read it: relative to `cwd` when it lies below it, absolute otherwise. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
