import type { Schema } from './schema.ts';

/**
 * oneOf/anyOf checked branch by branch. A value drawn from one branch of a oneOf often matches
 * others too (objects whose properties are all optional accept each other's values), which makes
 * it invalid. With a validator per branch (`createBranchValidators` of @finrail/generators fits),
 * the generator draws until exactly one oneOf branch (at least one anyOf branch) accepts the value,
 * repairing it on the way: optional properties another branch requires are dropped, a property
 * only another branch declares is given a value that branch rejects, other branches are tried.
 */

/** Whether a value matches a schema; an ajv validate function fits. */
export type BranchCheck = (value: unknown) => boolean;

/** Validators by oneOf/anyOf list (the array of the document is the key), one per branch. */
export interface BranchValidatorSource {
  of(branches: readonly Schema[], direction: 'request' | 'response'): readonly BranchCheck[];
}

/** How a draw fills optional properties: by chance as configured, all of them, or none. */
export type OptionalFill = 'some' | 'all' | 'none';

/** The property names of a branch (resolved), and those it pins with const/enum (discriminator tags): never repaired. */
export interface BranchShape {
  declared: readonly string[];
  pinned: ReadonlySet<string>;
}

export interface BranchSearch {
  keyword: 'oneOf' | 'anyOf';
  /** One per branch. */
  checks: readonly BranchCheck[];
  /** The branch to draw from first. */
  first: number;
  /** A discriminator names this branch in the value: the branch alone decides, as the validators do. */
  tagged(index: number): boolean;
  /** A value generated from the branch (discriminator tag set). */
  draw(index: number, fill: OptionalFill): unknown;
  shape(index: number): BranchShape;
  /** Draws beyond the first left to the whole value being generated: nested oneOfs share it. */
  budget: { left: number };
}

const FILLS: readonly OptionalFill[] = ['some', 'all', 'none'];

/** Values that a typed property schema rejects, one of them at least. */
const REJECTED_BY_TYPE: readonly unknown[] = [null, 'x', 0, true, [], {}];

/** A value the oneOf/anyOf accepts; the first draw when the budget runs out before one is found. */
export function searchBranches(search: BranchSearch): unknown {
  const order = search.checks.map((_check, offset) => (search.first + offset) % search.checks.length);
  let firstDraw: { value: unknown } | undefined;
  for (const index of order) {
    for (const fill of FILLS) {
      if (firstDraw && search.budget.left-- <= 0) return firstDraw.value;
      const value = search.draw(index, fill);
      firstDraw ??= { value };
      if (accepts(search, value, index)) return value;
      const repaired = distinguish(search, value, index);
      if (repaired !== undefined) return repaired;
    }
  }
  return firstDraw?.value;
}

function matchingBranches(search: BranchSearch, value: unknown): number[] {
  return search.checks.flatMap((check, index) => (check(value) ? [index] : []));
}

function accepts(search: BranchSearch, value: unknown, index: number): boolean {
  if (search.tagged(index)) return search.checks[index]!(value);
  const matching = matchingBranches(search, value);
  return search.keyword === 'anyOf' ? matching.length > 0 : matching.length === 1;
}

/**
 * An object the drawn branch accepts, changed so that no other branch does: its optional
 * properties other branches need are dropped, then properties only other branches declare get a
 * value those reject. Undefined when that does not single the branch out.
 */
function distinguish(search: BranchSearch, drawn: unknown, index: number): Record<string, unknown> | undefined {
  if (search.keyword !== 'oneOf' || !isPlainObject(drawn) || !search.checks[index]!(drawn)) return undefined;
  const { declared, pinned } = search.shape(index);
  const own = search.checks[index]!;
  let value = { ...drawn };
  let others = matchingBranches(search, value).filter((other) => other !== index);
  for (const name of Object.keys(value)) {
    if (others.length === 0 || pinned.has(name)) continue;
    const { [name]: _dropped, ...without } = value;
    const left = own(without) ? matchingBranches(search, without).filter((other) => other !== index) : others;
    if (left.length < others.length) [value, others] = [without, left];
  }
  for (const other of others) {
    const foreign = search.shape(other).declared.filter((name) => !declared.includes(name) && !pinned.has(name));
    value = rejectedBy(search.checks[other]!, own, value, foreign) ?? value;
  }
  return matchingBranches(search, value).length === 1 && own(value) ? value : undefined;
}

/** `value` with one of `names` set so that `other` rejects it and `own` still accepts it. */
function rejectedBy(other: BranchCheck, own: BranchCheck, value: Record<string, unknown>, names: readonly string[]): Record<string, unknown> | undefined {
  for (const name of names) {
    for (const candidate of REJECTED_BY_TYPE) {
      const changed = { ...value, [name]: candidate };
      if (!other(changed) && own(changed)) return changed;
    }
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
