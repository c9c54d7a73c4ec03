import { displayPath, type SpecInputError } from '@finrail/generators/model';

/** One problem, as every finrail command prints it: `file:line:col  severity  rule  message`. */
export interface ProblemLine {
  /** Absolute or cwd-relative path; printed relative to the working directory. */
  file: string;
  line?: number | undefined;
  column?: number | undefined;
  severity: 'error' | 'warning';
  rule: string;
  message: string;
}

export function formatProblemLine(problem: ProblemLine): string {
  let where = problem.file === '' ? '<unknown>' : displayPath(problem.file);
  if (problem.line !== undefined) where += `:${problem.line}:${problem.column ?? 1}`;
  return `${where}  ${problem.severity}  ${problem.rule}  ${problem.message}`;
}

/** A `SpecInputError` as a problem line: rule `input`, always an error. */
export function inputErrorLine(error: SpecInputError): ProblemLine {
  return { file: error.file, line: error.line, column: error.column, severity: 'error', rule: 'input', message: error.message };
}

/** `SpecInputError` as plain data, for `--format json` outputs. */
export function inputErrorJson(error: SpecInputError) {
  return { file: displayPath(error.file), line: error.line ?? null, column: error.column ?? null, code: error.code, message: error.message };
}

export function printLines(lines: readonly string[], stream: NodeJS.WritableStream = process.stdout): void {
  if (lines.length > 0) stream.write(`${lines.join('\n')}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Status and summary lines go to stderr so stdout stays parseable (problem lines, JSON). */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
