/** Why a spec file could not be used. Stable strings: tests and tools match on them. */
export type SpecInputErrorCode =
  | 'file-not-found'
  | 'file-unreadable'
  | 'yaml-parse'
  | 'unresolved-ref'
  | 'circular-ref'
  | 'not-openapi'
  | 'swagger-2'
  | 'unsupported-openapi-version'
  | 'bundle-error'
  | 'config-not-found'
  | 'invalid-config';

export interface SpecInputErrorInit {
  code: SpecInputErrorCode;
  /** Absolute path of the file at fault (not necessarily the root spec). */
  file: string;
  line?: number;
  column?: number;
  message: string;
}

/**
 * Unusable spec input: the CLI prints it as `file:line:col  error  input  message` and exits 2.
 * `message` describes the problem only; `file`, `line` and `column` say where it is.
 */
export class SpecInputError extends Error {
  override readonly name = 'SpecInputError';
  readonly code: SpecInputErrorCode;
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(init: SpecInputErrorInit) {
    super(init.message);
    this.code = init.code;
    this.file = init.file;
    this.line = init.line;
    this.column = init.column;
  }
}

export function isSpecInputError(error: unknown): error is SpecInputError {
  return error instanceof SpecInputError;
}
