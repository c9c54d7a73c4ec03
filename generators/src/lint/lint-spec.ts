import { BaseResolver, lint, type NormalizedProblem } from '@redocly/openapi-core';
import { loadSpec } from '../input/load-spec.ts';
import { toFileLocation } from '../input/source-location.ts';
import { configForSpec, loadLintConfig, type LintConfig } from './lint-config.ts';

export type LintSeverity = 'error' | 'warning';

export interface LintProblem {
  /** Absolute path of the file the problem is in (a referenced file for split specs). */
  file: string;
  line: number;
  column: number;
  severity: LintSeverity;
  /** Redocly rule id, e.g. `operation-operationId` or a plugin rule `finrail/...`. */
  rule: string;
  message: string;
  /** JSON pointer inside `file`, when Redocly reports one. */
  pointer?: string;
}

export interface LintResult {
  /** Absolute path of the linted root spec. */
  spec: string;
  /** Sorted by file, line, column, rule: the same input always prints the same way. */
  problems: LintProblem[];
  errors: number;
  warnings: number;
}

/**
 * Lints one spec with Redocly. Unusable input (missing file, bad YAML, unresolved `$ref`, not
 * OpenAPI 3.0/3.1) is checked first with `loadSpec` and thrown as a `SpecInputError`, so lint
 * results are only ever about a readable OpenAPI document.
 */
export async function lintSpec(path: string, config?: LintConfig): Promise<LintResult> {
  const spec = await loadSpec(path);
  const lintConfig = config ?? (await loadLintConfig());
  const redocly = configForSpec(lintConfig, spec.path);
  const raw = await lint({ ref: spec.path, config: redocly, externalRefResolver: new BaseResolver(redocly.resolve) });
  const problems = raw.filter((problem) => !problem.ignored).map(toLintProblem).sort(compareProblems);
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  return { spec: spec.path, problems, errors, warnings: problems.length - errors };
}

function toLintProblem(problem: NormalizedProblem): LintProblem {
  const location = problem.location[0];
  const where = location ? toFileLocation(location) : { file: '', line: 1, column: 1 };
  return {
    ...where,
    severity: problem.severity === 'error' ? 'error' : 'warning',
    rule: problem.ruleId,
    message: problem.message,
    ...(location?.pointer ? { pointer: location.pointer } : {}),
  };
}

function compareProblems(a: LintProblem, b: LintProblem): number {
  return byString(a.file, b.file) || a.line - b.line || a.column - b.column || byString(a.rule, b.rule) || byString(a.message, b.message);
}

/** Code-unit order, not locale order: output must not depend on the machine's locale. */
function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
