import { isSchemaObject, type Schema, type SchemaObject } from './schema.ts';

/**
 * Flattens `allOf` into one schema for generation: properties and required lists are united,
 * bounds tightened, types intersected, and a property declared by several branches keeps every
 * declaration (as a nested allOf). Branch `$ref`s are resolved through `resolve`; a branch seen
 * twice (a cycle through allOf) is merged once.
 */
export function mergeAllOf(schema: SchemaObject, resolve: (ref: string) => Schema): SchemaObject {
  const merged: SchemaObject = {};
  const seen = new Set<string>();
  const nullVotes = new Set<NullVote>();
  /** The properties each closed branch (`additionalProperties: false`) allows. */
  const closed: Set<string>[] = [];
  const visit = (part: Schema): void => {
    if (!isSchemaObject(part)) return;
    if (typeof part.$ref === 'string') {
      if (seen.has(part.$ref)) return;
      seen.add(part.$ref);
      const { $ref, ...siblings } = part;
      visit(resolve($ref));
      visit(siblings);
      return;
    }
    const { allOf, ...own } = part;
    mergeInto(merged, own);
    nullVotes.add(nullVoteOf(own));
    if (own.additionalProperties === false && own.patternProperties === undefined) closed.push(new Set(Object.keys(own.properties ?? {})));
    for (const branch of allOf ?? []) visit(branch);
  };
  visit(schema);
  // null is valid for an allOf when every branch takes it: some branch must say so, and none refuse.
  if (nullVotes.has('takes') && !nullVotes.has('refuses')) merged.nullable = true;
  // A property a closed branch does not declare is never valid, whichever branch declares it (bbc:
  // a closed base `allOf`-ed with a branch adding properties): generation leaves it out.
  if (closed.length > 0 && merged.properties) {
    merged.properties = Object.fromEntries(Object.entries(merged.properties).filter(([name]) => closed.every((allowed) => allowed.has(name))));
  }
  return merged;
}

function mergeInto(target: SchemaObject, source: SchemaObject): void {
  for (const [key, value] of Object.entries(source)) {
    if (key === 'nullable') continue;
    const existing = target[key];
    if (existing === undefined) {
      target[key] = key === 'properties' ? { ...(value as object) } : value;
      continue;
    }
    switch (key) {
      case 'properties': {
        const properties = target.properties as Record<string, Schema>;
        for (const [name, propertySchema] of Object.entries(value as Record<string, Schema>)) {
          const current = properties[name];
          properties[name] = current === undefined ? propertySchema : { allOf: [current, propertySchema] };
        }
        break;
      }
      case 'required':
        target.required = [...new Set([...(existing as string[]), ...(value as string[])])];
        break;
      case 'type':
        target.type = intersectTypes(existing as string | string[], value as string | string[]);
        break;
      case 'minimum':
      case 'minLength':
      case 'minItems':
      case 'minProperties':
        target[key] = Math.max(existing as number, value as number);
        break;
      case 'maximum':
      case 'maxLength':
      case 'maxItems':
      case 'maxProperties':
        target[key] = Math.min(existing as number, value as number);
        break;
      case 'additionalProperties':
        // A closed branch wins: generation only ever emits declared properties in that case.
        if (value === false) target.additionalProperties = false;
        break;
      default:
        target[key] = value;
    }
  }
}

type NullVote = 'takes' | 'refuses' | 'silent';

/**
 * What one allOf branch says of null (3.0's `nullable`, or 3.1's `null` type): it takes it, it
 * refuses it (a type or an enum without it), or it says nothing, as the siblings of a `$ref` or a
 * branch of only a description do, and null then passes it.
 */
function nullVoteOf(branch: SchemaObject): NullVote {
  if (branch.nullable === true) return 'takes';
  if (branch.type !== undefined) return [branch.type].flat().includes('null') ? 'takes' : 'refuses';
  if (Array.isArray(branch.enum)) return branch.enum.includes(null) ? 'takes' : 'refuses';
  return 'silent';
}

function intersectTypes(a: string | string[], b: string | string[]): string | string[] {
  const left = Array.isArray(a) ? a : [a];
  const right = Array.isArray(b) ? b : [b];
  let common = left.filter((type) => right.includes(type) || (type === 'integer' && right.includes('number')));
  if (right.includes('integer') && left.includes('number') && !common.includes('integer')) common = [...common, 'integer'];
  if (common.length === 0) return right;
  return common.length === 1 ? (common[0] as string) : common;
}
