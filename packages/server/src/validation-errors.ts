// Maps ajv errors to problem `errors[]` entries: a JSON pointer into the request or response,
// a human sentence and the failing keyword as a stable machine code. Shared by the runtime, `finrail mock` and
// `finrail contracts check` so every tool words a violation the same way.
import type { AjvErrorLike, ValidationIssue } from './types.ts';

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

const COMBINATORS = new Set(['oneOf', 'anyOf']);

/**
 * `prefix` is the pointer of the validated value inside the request (`/body`, `/query`);
 * ajv's `instancePath` is appended to it.
 */
export function toValidationIssues(errors: readonly AjvErrorLike[] | null | undefined, prefix = ''): ValidationIssue[] {
  if (!errors || errors.length === 0) return [];
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const error of withoutBranchNoise(errors)) {
    if (error.keyword === 'if') continue;
    const issue = toIssue(error, prefix);
    const key = `${issue.pointer}\u0000${issue.code}\u0000${issue.detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

/**
 * ajv lists why each alternative of a failed oneOf/anyOf failed, just before the combinator's own
 * error. For a nullable wrapper (`anyOf: [X, { type: 'null' }]`) the useful part is why X failed;
 * for any other union it is the combinator's error alone.
 */
function withoutBranchNoise(errors: readonly AjvErrorLike[]): AjvErrorLike[] {
  const dropped = new Set<number>();
  errors.forEach((error, index) => {
    if (!COMBINATORS.has(error.keyword)) return;
    const at = error.instancePath;
    const branch: number[] = [];
    for (let before = index - 1; before >= 0 && !dropped.has(before) && isWithin(errors[before]!.instancePath, at); before--) branch.push(before);
    const nullBranch = branch.filter((position) => isNullTypeError(errors[position]!, at));
    if (error.keyword === 'anyOf' && nullBranch.length > 0 && nullBranch.length < branch.length) {
      nullBranch.forEach((position) => dropped.add(position));
      dropped.add(index);
    } else {
      branch.forEach((position) => dropped.add(position));
    }
  });
  return errors.filter((_, index) => !dropped.has(index));
}

function isWithin(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

function isNullTypeError(error: AjvErrorLike, at: string): boolean {
  return error.keyword === 'type' && error.instancePath === at && error.params.type === 'null';
}

function toIssue(error: AjvErrorLike, prefix: string): ValidationIssue {
  const at = prefix + error.instancePath;
  const params = error.params;
  switch (error.keyword) {
    case 'required':
      return { pointer: `${at}/${escapePointerToken(String(params.missingProperty))}`, detail: 'is required', code: 'required' };
    case 'additionalProperties':
      return {
        pointer: `${at}/${escapePointerToken(String(params.additionalProperty))}`,
        detail: 'is not an allowed property',
        code: 'additionalProperties',
      };
    case 'unevaluatedProperties':
      return {
        pointer: `${at}/${escapePointerToken(String(params.unevaluatedProperty))}`,
        detail: 'is not an allowed property',
        code: 'unevaluatedProperties',
      };
    case 'type':
      return { pointer: at, detail: `must be ${joinTypes(params.type)}`, code: 'type' };
    case 'enum':
      return { pointer: at, detail: `must be one of ${formatValues(params.allowedValues)}`, code: 'enum' };
    case 'const':
      return { pointer: at, detail: `must be ${JSON.stringify(params.allowedValue)}`, code: 'const' };
    case 'format':
      return { pointer: at, detail: `must be a valid ${String(params.format)}`, code: 'format' };
    case 'pattern':
      return { pointer: at, detail: `must match the pattern ${String(params.pattern)}`, code: 'pattern' };
    case 'oneOf':
      return { pointer: at, detail: 'must match exactly one of the allowed schemas', code: 'oneOf' };
    case 'anyOf':
      return { pointer: at, detail: 'must match at least one of the allowed schemas', code: 'anyOf' };
    case 'discriminator':
      return discriminatorIssue(at, params);
    default:
      return { pointer: at, detail: error.message ?? `must satisfy ${error.keyword}`, code: error.keyword };
  }
}

function discriminatorIssue(at: string, params: Record<string, unknown>): ValidationIssue {
  const tag = String(params.tag);
  const pointer = `${at}/${escapePointerToken(tag)}`;
  if (params.error === 'mapping') {
    return { pointer, detail: `has no schema for value ${JSON.stringify(params.tagValue)}`, code: 'discriminator' };
  }
  return { pointer, detail: 'is required and must be a string', code: 'discriminator' };
}

function joinTypes(type: unknown): string {
  const types = Array.isArray(type) ? type : String(type).split(',');
  return types.length === 1 ? `${article(types[0])} ${types[0]}` : `one of ${types.join(', ')}`;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function formatValues(values: unknown): string {
  return Array.isArray(values) ? values.map((value) => JSON.stringify(value)).join(', ') : JSON.stringify(values);
}
