import { relative, isAbsolute } from 'node:path';
import { getLineColLocation, type LocationObject } from '@redocly/openapi-core';

export interface FileLocation {
  /** Absolute path of the file. */
  file: string;
  line: number;
  column: number;
}

/** Line and column (1-based) of a Redocly problem location, resolved from its JSON pointer. */
export function toFileLocation(location: LocationObject): FileLocation {
  const { source, start } = getLineColLocation(location);
  return { file: source.absoluteRef, line: start.line, column: start.col };
}

/** A path as people want to read it: relative to `cwd` when it lies below it, absolute otherwise. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
