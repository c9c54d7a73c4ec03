import { isSpecInputError, type SpecInputError } from '@finrail/generators';
import { formatProblemLine, inputErrorLine, printLines } from './output.ts';

export type SpecOutcome<T> = { spec: string; result: T } | { spec: string; inputError: SpecInputError };

export interface EachSpecResult<T> {
  /** In argument order. */
  outcomes: SpecOutcome<T>[];
  results: T[];
  inputErrors: SpecInputError[];
}

/**
 * Runs `action` on each spec in turn. An unusable spec (`SpecInputError`) is collected rather than
 * fatal, so one broken file does not hide the others' results; commands then exit 2. Any other
 * error propagates.
 */
export async function eachSpec<T>(specs: readonly string[], action: (spec: string) => Promise<T>): Promise<EachSpecResult<T>> {
  const outcomes: SpecOutcome<T>[] = [];
  for (const spec of specs) {
    try {
      outcomes.push({ spec, result: await action(spec) });
    } catch (error) {
      if (!isSpecInputError(error)) throw error;
      outcomes.push({ spec, inputError: error });
    }
  }
  return {
    outcomes,
    results: outcomes.flatMap((outcome) => ('result' in outcome ? [outcome.result] : [])),
    inputErrors: outcomes.flatMap((outcome) => ('inputError' in outcome ? [outcome.inputError] : [])),
  };
}

/** Prints unusable specs on stderr, one `file:line:col  error  input  message` line each. */
export function printInputErrors(errors: readonly SpecInputError[]): void {
  printLines(errors.map((error) => formatProblemLine(inputErrorLine(error))), process.stderr);
}
