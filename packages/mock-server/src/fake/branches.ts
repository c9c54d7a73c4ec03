import { isSchemaObject, type Schema, type SchemaObject } from './schema.ts';

/**
 * oneOf/anyOf checked branch by branch. A value drawn from one branch of a oneOf often matches
 * others too (objects whose properties are all optional accept each other's values), which makes
 * it invalid. With a validator per branch (`createBranchValidators` of @finrail/generators fits),
 * the generator draws until exactly one oneOf branch (at least one anyOf branch) accepts the value,
 * repairing it on the way: optional properties another branch requires are dropped, a property
 * only another branch declares (at any depth) is given a value that branch rejects, other
 * fillings and branches are tried.
 */

/** Whether a value matches a schema; an ajv validate function fits. */
export type BranchCheck = (value: unknown) => boolean;

/** Validators by oneOf/anyOf list (the array of the document is the key), one per branch. */
export interface BranchValidatorSource {
  of(branches: readonly Schema[], direction: 'request' | 'response'): readonly BranchCheck[];
}

/** How a draw fills optional properties: by chance as configured, all of them, or none. */
export type OptionalFill = 'some' | 'all' | 'none';

export interface BranchSearch {
  keyword: 'oneOf' | 'anyOf';
  branches: readonly Schema[];
  /** One per branch. */
  checks: readonly BranchCheck[];
  /** The branch to draw from first. */
  first: number;
  /** The discriminator property, never repaired. */
  tag: string | undefined;
  /** A discriminator names this branch in the value: the branch alone decides, as the validators do. */
  tagged(index: number): boolean;
  /** A value generated from the branch (discriminator tag set). */
  draw(index: number, fill: OptionalFill): unknown;
  /** A schema with its `$ref`s and allOf merged. */
  resolve(schema: Schema | undefined): SchemaObject;
  /** Draws beyond the first left to the whole value being generated: nested oneOfs share it. */
  budget: { left: number };
}

export interface SearchResult {
  value: unknown;
  /** False when no draw was accepted (the first is returned): an optional place had better leave it out. */
  found: boolean;
}

const FILLS: readonly OptionalFill[] = ['some', 'all', 'none'];

/** Values that a typed property schema rejects, one of them at least. */
const REJECTED_BY_TYPE: readonly unknown[] = [null, 'x', 0, true, [], {}];

/** How deep, and at how many places, a value is searched for a property that singles its branch out. */
const REPAIR_DEPTH = 4;
const REPAIR_PLACES = 48;

/** A value the oneOf/anyOf accepts, else the first draw (also when the budget runs out first). */
export function searchBranches(search: BranchSearch): SearchResult {
  const order = search.checks.map((_check, offset) => (search.first + offset) % search.checks.length);
  const draws = order.flatMap((index) => FILLS.map((fill) => ({ index, fill })));
  let firstDraw: unknown;
  for (const [attempt, { index, fill }] of draws.entries()) {
    if (attempt > 0 && search.budget.left-- <= 0) break;
    const value = search.draw(index, fill);
    if (attempt === 0) firstDraw = value;
    if (accepts(search, value, index)) return { value, found: true };
    const repaired = distinguish(search, value, index);
    if (repaired !== undefined) return { value: repaired, found: true };
  }
  return { value: firstDraw, found: false };
}

/** The values a const or enum schema allows, else undefined. */
export function pinnedValues(schema: SchemaObject): unknown[] | undefined {
  if ('const' in schema) return [schema.const];
  return Array.isArray(schema.enum) ? schema.enum : undefined;
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
  const own = search.checks[index]!;
  const ownSchema = search.resolve(search.branches[index]);
  const kept = pinnedNames(search, ownSchema);
  let value = { ...drawn };
  let others = matchingBranches(search, value).filter((other) => other !== index);
  for (const name of Object.keys(value)) {
    if (others.length === 0 || kept.has(name)) continue;
    const { [name]: _dropped, ...without } = value;
    const left = own(without) ? matchingBranches(search, without).filter((other) => other !== index) : others;
    if (left.length < others.length) [value, others] = [without, left];
  }
  for (const other of others) {
    const places = foreignProperties(search, value, ownSchema, search.resolve(search.branches[other]), kept);
    value = rejectedBy(search.checks[other]!, own, value, places) ?? value;
  }
  return matchingBranches(search, value).length === 1 && own(value) ? value : undefined;
}

/** Properties the drawn branch pins with const/enum (discriminator tags): never dropped nor changed. */
function pinnedNames(search: BranchSearch, schema: SchemaObject): Set<string> {
  const properties = schema.properties ?? {};
  const pinned = new Set(Object.keys(properties).filter((name) => pinnedValues(search.resolve(properties[name])) !== undefined));
  if (search.tag !== undefined) pinned.add(search.tag);
  return pinned;
}

/** Where a property goes: the path of the object holding it, and its name. */
interface Place {
  path: readonly (string | number)[];
  name: string;
}

/**
 * Properties the other branch declares and the drawn one does not, at the top of the value and in
 * the objects and arrays both branches declare alike (the cells of a dashboard, say).
 */
function foreignProperties(search: BranchSearch, value: Record<string, unknown>, own: SchemaObject, other: SchemaObject, kept: ReadonlySet<string>): Place[] {
  const places: Place[] = [];
  const visit = (node: unknown, ownNode: SchemaObject, otherNode: SchemaObject, path: (string | number)[]): void => {
    if (places.length >= REPAIR_PLACES || path.length > REPAIR_DEPTH || ownNode.oneOf || ownNode.anyOf || otherNode.oneOf || otherNode.anyOf) return;
    if (Array.isArray(node)) {
      if (!isSchemaObject(ownNode.items) || !isSchemaObject(otherNode.items)) return;
      const [ownItems, otherItems] = [search.resolve(ownNode.items), search.resolve(otherNode.items)];
      node.forEach((item, position) => visit(item, ownItems, otherItems, [...path, position]));
      return;
    }
    if (!isPlainObject(node)) return;
    const ownProperties = ownNode.properties ?? {};
    const otherProperties = otherNode.properties ?? {};
    for (const name of Object.keys(otherProperties)) {
      if (!(name in ownProperties) && (path.length > 0 || !kept.has(name))) places.push({ path, name });
    }
    for (const [name, child] of Object.entries(node)) {
      if (name in ownProperties && name in otherProperties) visit(child, search.resolve(ownProperties[name]), search.resolve(otherProperties[name]), [...path, name]);
    }
  };
  visit(value, own, other, []);
  return places;
}

/** `value` with one of the places set so that `other` rejects it and `own` still accepts it. */
function rejectedBy(other: BranchCheck, own: BranchCheck, value: Record<string, unknown>, places: readonly Place[]): Record<string, unknown> | undefined {
  for (const place of places) {
    for (const candidate of REJECTED_BY_TYPE) {
      const changed = withPropertyAt(value, place, candidate);
      if (!other(changed) && own(changed)) return changed;
    }
  }
  return undefined;
}

/** A copy of `value` (copied along the path only) with the property set. */
function withPropertyAt(value: Record<string, unknown>, place: Place, candidate: unknown): Record<string, unknown> {
  const set = (node: unknown, depth: number): unknown => {
    if (depth === place.path.length) return { ...(node as Record<string, unknown>), [place.name]: candidate };
    const key = place.path[depth]!;
    const copy: Record<string | number, unknown> | unknown[] = Array.isArray(node) ? [...node] : { ...(node as Record<string, unknown>) };
    (copy as Record<string | number, unknown>)[key] = set((node as Record<string | number, unknown>)[key], depth + 1);
    return copy;
  };
  return set(value, 0) as Record<string, unknown>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
