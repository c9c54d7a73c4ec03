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

export { displayPath } from './display-path.ts';
