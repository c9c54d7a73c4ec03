/** Exit codes shared by every finrail command (documented in cli/README.md). */
export const EXIT = {
  /** Done; nothing wrong (warnings allowed). */
  ok: 0,
  /** The command ran and found errors (lint errors, drift, failed checks). */
  failed: 1,
  /** Unusable input or usage: missing/unparsable spec, unresolved $ref, not OpenAPI 3.0/3.1, bad option. */
  input: 2,
  /** A bug in finrail: an unexpected error. */
  internal: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
