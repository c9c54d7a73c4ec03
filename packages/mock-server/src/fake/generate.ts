import { pinnedValues, searchBranches, type BranchValidatorSource, type OptionalFill } from './branches.ts';
import { formatGenerators, formatRanges, formatSpellings } from './formats.ts';
import { patternTester, stringMatching } from './pattern.ts';
import { meetsFormat } from '@finrail/server/validation';
import { createPrng, type Prng } from './prng.ts';
import { mergeAllOf } from './merge.ts';
import { isSchemaObject, mappedTag, mappingRef, resolveSchemaRef, type Discriminator, type Schema, type SchemaObject } from './schema.ts';

export interface GenerateOptions {
  /** The OpenAPI document local `$ref`s ("#/components/schemas/...") resolve against. */
  document?: unknown;
  seed: number | string;
  /** Requests omit readOnly properties, responses omit writeOnly ones. */
  direction: 'request' | 'response';
  /** How many times one `$ref` may be open on the current path before only required data is generated. */
  maxRefDepth?: number;
  /** Chance of including each optional property (default 0.8); 1 fills every property. */
  optionalProbability?: number;
  /** Values generated before the rest is only what is required (default 2,000), so wide schemas stay small. */
  maxNodes?: number;
  /** Validators per oneOf/anyOf branch: with them a value matches exactly one oneOf branch (see branches.ts). */
  branchValidators?: BranchValidatorSource;
}

interface Context {
  prng: Prng;
  document: unknown;
  direction: 'request' | 'response';
  maxRefDepth: number;
  optionalProbability: number;
  openRefs: Map<string, number>;
  /** True below a `$ref` that hit maxRefDepth: generate the smallest valid value. */
  minimal: boolean;
  /** Values still to generate freely; at zero the rest of the value is minimal too. */
  budget: number;
  depth: number;
  /** The name of the component the current schema came from, for implicit discriminator values. */
  componentRef: string | undefined;
  branchValidators: BranchValidatorSource | undefined;
  /** Draws oneOf/anyOf searches may still make (nested searches multiply). */
  branchBudget: { left: number };
  /** oneOf/anyOf searches that found no value their validators accept, below the current value. */
  unsatisfied: number;
}

/** Extra oneOf/anyOf draws per generated value. */
const BRANCH_DRAWS = 64;
/** Hard stop for schemas that recurse through required properties: the value stays finite. */
const MAX_NESTING = 24;
const WORDS = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'consectetur', 'adipiscing', 'elit', 'sed', 'do', 'eiusmod', 'tempor'];

/** A value valid against `schema`, the same for the same seed. */
export function generateValue(schema: Schema | undefined, options: GenerateOptions): unknown {
  const context: Context = {
    prng: createPrng(options.seed),
    document: options.document,
    direction: options.direction,
    maxRefDepth: options.maxRefDepth ?? 2,
    optionalProbability: options.optionalProbability ?? 0.8,
    openRefs: new Map(),
    minimal: false,
    budget: options.maxNodes ?? 2_000,
    depth: 0,
    componentRef: undefined,
    branchValidators: options.branchValidators,
    branchBudget: { left: BRANCH_DRAWS },
    unsatisfied: 0,
  };
  return generate(schema ?? true, context);
}

function generate(schema: Schema, context: Context): unknown {
  if (schema === true) return anyValue(context);
  if (schema === false || !isSchemaObject(schema)) return null;
  if (context.depth > MAX_NESTING) return smallestValue(schema, context);
  context.budget--;
  if (typeof schema.$ref === 'string') return generateRef(schema, context);
  if (schema.allOf && schema.allOf.length > 0) {
    // The refs merged in count as open, as a $ref does (ce: `Not: { allOf: [{ $ref: Expression }, …] }`).
    const refs = schema.allOf.flatMap((member) => (isSchemaObject(member) && typeof member.$ref === 'string' ? [member.$ref] : []));
    return withOpenRefs(refs, context, () => generate(mergeAllOf(schema, (ref) => resolveRef(ref, context)), context));
  }
  if (schema.if !== undefined && (schema.then !== undefined || schema.else !== undefined)) return generate(conditionalPath(schema), context);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return pickEnum(schema, context);
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches && branches.length > 0) return generateBranch(schema, branches, context);

  const type = chooseType(schema, context);
  const componentRef = context.componentRef;
  // Nested schemas do not inherit the component name used for implicit discriminator values.
  context.componentRef = undefined;
  context.depth++;
  try {
    switch (type) {
      case 'null':
        return null;
      case 'boolean':
        return context.prng.chance(0.5);
      case 'integer':
      case 'number':
        return generateNumber(schema, type, context);
      case 'array':
        return generateArray(schema, context);
      case 'object':
        return generateObject(schema, componentRef, context);
      default:
        return generateString(schema, context);
    }
  } finally {
    context.depth--;
    context.componentRef = componentRef;
  }
}

/**
 * `if`/`then`/`else` as the `then` path: a value meeting `if` and `then` meets the whole (one
 * meeting `else` would also have to fail `if`, which generation cannot aim for). `if: false` is
 * the `else` path.
 */
function conditionalPath(schema: SchemaObject): SchemaObject {
  const { if: condition, then, else: otherwise, ...rest } = schema;
  if (condition === false) return { allOf: [rest, (otherwise ?? true) as Schema] };
  return { allOf: [rest, condition as Schema, (then ?? true) as Schema] };
}

/** Only what the schema requires: below a recursion limit, or once the size budget is spent. */
function isMinimal(context: Context): boolean {
  return context.minimal || context.budget <= 0;
}

function resolveRef(ref: string, context: Context): Schema {
  return resolveSchemaRef(context.document, ref);
}

function generateRef(schema: SchemaObject, context: Context): unknown {
  const ref = schema.$ref as string;
  const target = resolveRef(ref, context);
  const subtype = inheritingSubtype(ref, target, context);
  if (subtype !== undefined) return generateRef({ ...schema, $ref: subtype }, context);
  // 3.1 allows keywords next to $ref; they apply together with the target.
  const { $ref: _ref, ...siblings } = schema;
  const effective: Schema = Object.keys(siblings).length > 0 && isSchemaObject(target) ? { allOf: [target, siblings] } : target;
  const componentRef = context.componentRef;
  context.componentRef = ref;
  try {
    return withOpenRefs([ref], context, () => generate(effective, context));
  } finally {
    context.componentRef = componentRef;
  }
}

/**
 * Inheritance-style polymorphism seen from the base: a `$ref` to a component whose discriminator
 * maps tags to components that `allOf` it is drawn as one of them, as a server of that base answers
 * with a concrete kind (the base's own name is no tag a client can decode). Not when the base closes
 * its properties (a subtype's own would be refused), nor when it is a oneOf/anyOf (its branch
 * decides), nor when only what is required is drawn.
 */
function inheritingSubtype(ref: string, base: Schema, context: Context): string | undefined {
  if (!isSchemaObject(base) || !base.discriminator?.mapping || base.oneOf || base.anyOf || isMinimal(context)) return undefined;
  if (base.additionalProperties === false || base.unevaluatedProperties === false) return undefined;
  const subtypes = Object.values(base.discriminator.mapping)
    .map(mappingRef)
    .filter((target) => target !== ref && extendsBase(resolveRef(target, context), ref));
  return subtypes.length > 0 ? context.prng.pick(subtypes) : undefined;
}

function extendsBase(schema: Schema, baseRef: string): boolean {
  return isSchemaObject(schema) && (schema.allOf ?? []).some((member) => isSchemaObject(member) && member.$ref === baseRef);
}

/** Draws with `refs` open: below one open maxRefDepth times over (recursion), only what is required. */
function withOpenRefs<T>(refs: readonly string[], context: Context, draw: () => T): T {
  if (refs.length === 0) return draw();
  const minimal = context.minimal;
  const opened = refs.map((ref) => {
    const open = context.openRefs.get(ref) ?? 0;
    context.openRefs.set(ref, open + 1);
    if (open + 1 >= context.maxRefDepth) context.minimal = true;
    return [ref, open] as const;
  });
  try {
    return draw();
  } finally {
    for (const [ref, open] of opened) context.openRefs.set(ref, open);
    context.minimal = minimal;
  }
}

/**
 * A non-null enum value of the declared type that meets the schema's other keywords, when there is
 * one: an enum may list values its own `type` rejects (remove.bg: `type: string, enum: [none, 1, 2,
 * latest]`), and an allOf may narrow it (a path segment's `minLength: 1` against kompany's
 * `enum: ['', B, P]`). No validator accepts those values.
 */
function pickEnum(schema: SchemaObject, context: Context): unknown {
  const values = schema.enum as unknown[];
  const nonNull = values.filter((value) => value !== null);
  const typed = nonNull.filter((value) => fitsDeclaredType(value, schema.type));
  const constrained = typed.filter((value) => meetsBounds(value, schema));
  return context.prng.pick(constrained.length > 0 ? constrained : typed.length > 0 ? typed : nonNull.length > 0 ? nonNull : values);
}

/** Whether a value meets the schema's length, size, range and pattern keywords. */
function meetsBounds(value: unknown, schema: SchemaObject): boolean {
  if (typeof value === 'string') {
    const length = [...value].length;
    return length >= (schema.minLength ?? 0) && length <= (schema.maxLength ?? Infinity) && (schema.pattern === undefined || patternTester(schema.pattern).test(value));
  }
  if (typeof value === 'number') {
    const { minimum = -Infinity, maximum = Infinity, exclusiveMinimum, exclusiveMaximum } = schema;
    const aboveLow = exclusiveMinimum === true ? value > minimum : value >= minimum && (typeof exclusiveMinimum !== 'number' || value > exclusiveMinimum);
    const belowHigh = exclusiveMaximum === true ? value < maximum : value <= maximum && (typeof exclusiveMaximum !== 'number' || value < exclusiveMaximum);
    return aboveLow && belowHigh;
  }
  if (Array.isArray(value)) return value.length >= (schema.minItems ?? 0) && value.length <= (schema.maxItems ?? Infinity);
  if (isPlainObject(value)) {
    const size = Object.keys(value).length;
    return size >= (schema.minProperties ?? 0) && size <= (schema.maxProperties ?? Infinity);
  }
  return true;
}

function fitsDeclaredType(value: unknown, type: SchemaObject['type']): boolean {
  if (type === undefined) return true;
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return [type].flat().some((declared) => declared === actual || (declared === 'integer' && Number.isInteger(value)));
}

/**
 * oneOf/anyOf: one branch, with the discriminator property set to the value naming that branch.
 * With branch validators, the value is checked and redrawn until the oneOf/anyOf accepts it.
 */
function generateBranch(schema: SchemaObject, branches: Schema[], context: Context): unknown {
  const first = context.prng.int(0, branches.length - 1);
  const checks = context.branchValidators?.of(branches, context.direction);
  if (!checks || checks.length !== branches.length) return drawBranch(schema, branches[first] as Schema, context);
  const discriminator = schema.discriminator;
  const unsatisfied = context.unsatisfied;
  const { value, found } = searchBranches({
    keyword: schema.oneOf ? 'oneOf' : 'anyOf',
    branches,
    checks,
    first,
    tag: discriminator?.propertyName,
    tagged: (index) => discriminator !== undefined && discriminatorValue(discriminator, branches[index] as Schema) !== undefined,
    draw: (index, fill) => withOptionalFill(context, fill, () => drawBranch(schema, branches[index] as Schema, context)),
    resolve: (branch) => resolvedSchema(branch, context),
    budget: context.branchBudget,
  });
  // Failed draws below a value that was found do not count against it.
  context.unsatisfied = found ? unsatisfied : unsatisfied + 1;
  return value;
}

/**
 * A value for an optional place (a property, an item beyond minItems); undefined when a oneOf or
 * anyOf below it found no value its branches accept: leaving it out keeps the whole valid.
 */
function optionalValue(schema: Schema, context: Context): { value: unknown } | undefined {
  const unsatisfied = context.unsatisfied;
  const value = generate(schema, context);
  if (context.unsatisfied === unsatisfied) return { value };
  context.unsatisfied = unsatisfied;
  return undefined;
}

function drawBranch(schema: SchemaObject, branch: Schema, context: Context): unknown {
  const { oneOf: _oneOf, anyOf: _anyOf, discriminator, ...parent } = schema;
  const hasParentKeywords = Object.keys(parent).some((key) => !ANNOTATIONS.has(key));
  // A discriminator is read from an object: a branch that says nothing of its type (cdcgov's
  // `RedoxConfiguration: {}`) still gives one.
  const parts: Schema[] = [...(hasParentKeywords ? [parent] : []), ...(discriminator ? [OBJECT] : []), branch];
  const value = generate(parts.length === 1 ? branch : { allOf: parts }, context);
  if (discriminator && isPlainObject(value)) {
    const tag = discriminatorValue(discriminator, branch);
    // A branch pinning its tag (const/enum) keeps the pinned value unless the tag is among them.
    const pinned = pinnedValues(resolvedSchema(resolvedSchema(branch, context).properties?.[discriminator.propertyName], context));
    if (tag !== undefined && (pinned === undefined || pinned.includes(tag))) value[discriminator.propertyName] = tag;
  }
  return value;
}

function withOptionalFill<T>(context: Context, fill: OptionalFill, draw: () => T): T {
  const saved = context.optionalProbability;
  if (fill !== 'some') context.optionalProbability = fill === 'all' ? 1 : 0;
  try {
    return draw();
  } finally {
    context.optionalProbability = saved;
  }
}

/** A schema with its `$ref`s and allOf merged: the properties it declares, its const/enum. */
function resolvedSchema(schema: Schema | undefined, context: Context): SchemaObject {
  return isSchemaObject(schema) ? mergeAllOf(schema, (ref) => resolveRef(ref, context)) : {};
}

const OBJECT: SchemaObject = { type: 'object' };

const ANNOTATIONS = new Set(['description', 'title', 'example', 'examples', 'externalDocs', 'xml', 'deprecated', 'nullable', 'readOnly', 'writeOnly']);

function discriminatorValue(discriminator: Discriminator, branch: Schema): string | undefined {
  // An inline branch keeps whatever its own schema generated for the property.
  if (!isSchemaObject(branch) || typeof branch.$ref !== 'string') return undefined;
  return mappedTag(discriminator, branch.$ref) ?? componentName(branch.$ref);
}

/** The last segment of a `$ref`: a component's name, the implicit tag of a discriminator without a mapping for it. */
function componentName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

function chooseType(schema: SchemaObject, context: Context): string {
  const declared = Array.isArray(schema.type) ? schema.type : typeof schema.type === 'string' ? [schema.type] : [];
  const candidates = declared.length > 0 ? declared : [inferType(schema)];
  const nonNull = candidates.filter((type) => type !== 'null');
  const nullable = schema.nullable === true || candidates.includes('null');
  if (nonNull.length === 0) return 'null';
  if (nullable && (isMinimal(context) || context.prng.chance(0.1))) return 'null';
  return context.prng.pick(nonNull);
}

function inferType(schema: SchemaObject): string {
  if (schema.properties || schema.additionalProperties !== undefined || schema.required) return 'object';
  if (schema.items || schema.prefixItems) return 'array';
  if (schema.minimum !== undefined || schema.maximum !== undefined || schema.multipleOf !== undefined) return 'number';
  return 'string';
}

function generateString(schema: SchemaObject, context: Context): string {
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? Infinity;
  const fits = (value: string): boolean => [...value].length >= minLength && [...value].length <= maxLength;
  const format = schema.format !== undefined ? formatGenerators[schema.format] : undefined;
  // A format value serves a pattern too when it matches (beezup: an email with a pattern for emails),
  // or when another spelling of it fits the lengths or its other case the pattern (loket: uuids with
  // a GUID pattern of upper-case hex digits).
  if (format) {
    const value = format(context.prng);
    const { pattern } = schema;
    const spellings = [value, ...(formatSpellings[schema.format!]?.(value) ?? [])];
    const candidates = pattern === undefined ? spellings : spellings.flatMap((spelling) => [spelling, spelling.toUpperCase(), spelling.toLowerCase()]);
    const match = candidates.find((candidate) => fits(candidate) && (pattern === undefined || patternTester(pattern).test(candidate)));
    if (match !== undefined) return match;
  }
  if (schema.pattern !== undefined) {
    // Drawn from the pattern, a value should still meet the format the validators check.
    const { format: name, pattern } = schema;
    const seed = context.prng.seed();
    const value =
      (name === undefined ? undefined : stringMatching(pattern, seed, minLength, maxLength, (candidate) => meetsFormat(name, candidate))) ??
      stringMatching(pattern, seed, minLength, maxLength);
    if (value !== undefined) return schema.format === 'uri' || schema.format === 'url' ? underBaseUrl(value, schema.pattern, fits) : value;
    const known = formatValueMatching(pattern, fits, context);
    if (known !== undefined) return known;
  }
  const length = isMinimal(context) ? minLength : context.prng.int(minLength, Math.min(maxLength, Math.max(minLength, 4) + 16));
  let text = context.prng.pick(WORDS);
  while (text.length < length) text += ` ${context.prng.pick(WORDS)}`;
  return text.slice(0, length).trimEnd().padEnd(length, 'x');
}

/**
 * A value of some known format that meets a pattern no value could be drawn from (backreferences:
 * AWS's ISO 8601 timestamps, `(\3…)`, which a date-time meets), else undefined.
 */
function formatValueMatching(pattern: string, fits: (value: string) => boolean, context: Context): string | undefined {
  const tester = patternTester(pattern);
  for (const [name, format] of Object.entries(formatGenerators)) {
    const value = format(context.prng);
    const match = [value, ...(formatSpellings[name]?.(value) ?? [])].find((candidate) => fits(candidate) && tester.test(candidate));
    if (match !== undefined) return match;
  }
  return undefined;
}

/**
 * A pattern for a URI's tail (optimade: `.+/v[0-1](\.[0-9]+)*\/?$`) draws strings that are no URI;
 * under a base URL the value matches both, when the pattern allows the prefix.
 */
function underBaseUrl(value: string, pattern: string, fits: (value: string) => boolean): string {
  if (/^[a-z][a-z\d+.-]*:/i.test(value)) return value;
  const absolute = `https://example.com/${encodeURI(value.replace(/^\/+/, ''))}`;
  return fits(absolute) && patternTester(pattern).test(absolute) ? absolute : value;
}

function generateNumber(schema: SchemaObject, declared: 'integer' | 'number', context: Context): number {
  // Integer formats (`type: number, format: int32`) admit whole numbers only, as the validators check.
  const type = schema.format !== undefined && Object.hasOwn(formatRanges, schema.format) ? 'integer' : declared;
  const [low, high] = numberBounds(schema, type);
  const multipleOf = schema.multipleOf;
  if (multipleOf !== undefined && multipleOf > 0) {
    const first = Math.ceil(low / multipleOf);
    const last = Math.floor(high / multipleOf);
    for (let attempt = 0; attempt < 8 && first <= last; attempt++) {
      const value = Number((context.prng.int(first, Math.min(last, first + 1000)) * multipleOf).toPrecision(12));
      if (Number.isInteger(value / multipleOf) && value >= low && value <= high) return value;
    }
    // Float multiples like 0.01 fail ajv's division check for most values; whole units pass.
    const whole = Math.ceil(low);
    if (Number.isInteger(whole / multipleOf) && whole <= high) return whole;
  }
  if (type === 'integer') return context.prng.int(Math.ceil(low), Math.floor(high));
  const value = Math.round((low + context.prng.next() * (high - low)) * 100) / 100;
  return Math.min(Math.max(value, low), high);
}

/** Inclusive bounds, honouring 3.0 boolean and 3.1 numeric exclusive bounds and integer formats. */
function numberBounds(schema: SchemaObject, type: 'integer' | 'number'): [number, number] {
  const step = type === 'integer' ? 1 : 0.01;
  const formatRange = schema.format !== undefined ? formatRanges[schema.format] : undefined;
  let low = schema.minimum ?? -Infinity;
  let high = schema.maximum ?? Infinity;
  if (typeof schema.exclusiveMinimum === 'number') low = Math.max(low, schema.exclusiveMinimum + step);
  else if (schema.exclusiveMinimum === true) low += step;
  if (typeof schema.exclusiveMaximum === 'number') high = Math.min(high, schema.exclusiveMaximum - step);
  else if (schema.exclusiveMaximum === true) high -= step;
  if (formatRange) {
    low = Math.max(low, formatRange[0]);
    high = Math.min(high, formatRange[1]);
  }
  // Unbounded sides get a readable default range near the bound that is given (or near zero).
  if (low === -Infinity && high === Infinity) [low, high] = [0, 1000];
  else if (low === -Infinity) low = high >= 0 ? Math.max(0, high - 1000) : high - 1000;
  else if (high === Infinity) high = low + 1000;
  if (type === 'integer') [low, high] = [Math.ceil(low), Math.floor(high)];
  return low <= high ? [low, high] : [low, low];
}

function generateArray(schema: SchemaObject, context: Context): unknown[] {
  const prefix = schema.prefixItems ?? (Array.isArray(schema.items) ? schema.items : []);
  const itemSchema: Schema = Array.isArray(schema.items) ? true : (schema.items ?? true);
  // `contains` (2020-12): the first minContains items (after any prefix) meet it too; with a
  // maxContains, no more items than that are drawn, so chance matches cannot exceed it.
  const containing = schema.contains !== undefined && schema.contains !== true ? Math.max(schema.minContains ?? 1, 0) : 0;
  const minItems = Math.max(schema.minItems ?? 0, prefix.length > 0 ? 0 : containing);
  // An open tuple's size starts at its prefix's length.
  const atLeast = Math.max(minItems, prefix.length);
  const maxItems = schema.maxItems ?? (schema.maxContains !== undefined && prefix.length === 0 ? Math.max(minItems, schema.maxContains) : Math.max(atLeast, 3));
  // A tuple that allows no items past its prefix (`items: false`) is drawn whole, as far as maxItems lets it.
  const closed = isNever(itemSchema, context);
  const count = isMinimal(context)
    ? minItems
    : closed
      ? Math.max(minItems, Math.min(prefix.length, maxItems))
      : context.prng.int(Math.min(Math.max(atLeast, 1), maxItems), Math.min(maxItems, atLeast + 3));
  const items: unknown[] = [];
  const seen = new Set<string>();
  for (let attempt = 0; items.length < count && attempt < count * 4 + 4; attempt++) {
    const position = items.length;
    if (closed && position >= prefix.length) break;
    const contained = position >= prefix.length && position - prefix.length < containing;
    const positionSchema = position < prefix.length ? (prefix[position] as Schema) : contained ? { allOf: [itemSchema, schema.contains as Schema] } : itemSchema;
    const drawn = position >= minItems ? optionalValue(positionSchema, context) : { value: generate(positionSchema, context) };
    if (!drawn) break;
    const item = drawn.value;
    if (schema.uniqueItems) {
      const key = JSON.stringify(item);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    items.push(item);
  }
  return items;
}

/** A schema no value meets (`false`, `not: true`, `not: {}`), as 2020-12 generics declare an unbound type. */
function isNever(schema: Schema, context: Context): boolean {
  const resolved = isSchemaObject(schema) && typeof schema.$ref === 'string' ? resolveRef(schema.$ref, context) : schema;
  if (resolved === false) return true;
  return isSchemaObject(resolved) && (resolved.not === true || (isSchemaObject(resolved.not) && Object.keys(resolved.not).length === 0));
}

/**
 * `dependentRequired`/`dependentSchemas` (2020-12): each optional trigger property is decided up
 * front. Kept, it becomes required and its dependencies apply (merged in); left out, it is not
 * generated at all.
 */
function withDependencies(schema: SchemaObject, context: Context): SchemaObject {
  const dependentRequired = isSchemaObject(schema.dependentRequired) ? (schema.dependentRequired as Record<string, unknown>) : {};
  const dependentSchemas = isSchemaObject(schema.dependentSchemas) ? (schema.dependentSchemas as Record<string, Schema>) : {};
  const triggers = [...new Set([...Object.keys(dependentRequired), ...Object.keys(dependentSchemas)])];
  if (triggers.length === 0) return schema;
  const { dependentRequired: _required, dependentSchemas: _schemas, ...rest } = schema;
  let result: SchemaObject = { ...rest, properties: { ...schema.properties }, required: [...(schema.required ?? [])] };
  const kept: Schema[] = [];
  for (const trigger of triggers) {
    const required = result.required as string[];
    const declared = Object.hasOwn(result.properties ?? {}, trigger);
    const keep = required.includes(trigger) || (declared && !isMinimal(context) && context.prng.chance(context.optionalProbability));
    if (!keep) {
      if (declared) delete (result.properties as Record<string, Schema>)[trigger];
      continue;
    }
    const dependents = Array.isArray(dependentRequired[trigger]) ? (dependentRequired[trigger] as unknown[]).filter((name): name is string => typeof name === 'string') : [];
    result.required = [...new Set([...required, trigger, ...dependents])];
    if (dependentSchemas[trigger] !== undefined) kept.push(dependentSchemas[trigger] as Schema);
  }
  if (kept.length > 0) result = mergeAllOf({ allOf: [result, ...kept] }, (ref) => resolveRef(ref, context));
  return result;
}

/**
 * The name of an extra (undeclared) property: one matching a `patternProperties` pattern (with
 * that pattern's schema for its value), else one `propertyNames` allows, else `key<n>`.
 */
function extraProperty(schema: SchemaObject, index: number, context: Context): { name: string; value: Schema } {
  const additional: Schema = schema.additionalProperties === undefined ? true : schema.additionalProperties;
  const patterns = Object.entries(isSchemaObject(schema.patternProperties) ? (schema.patternProperties as Record<string, Schema>) : {});
  const namePattern = isSchemaObject(schema.propertyNames) && typeof schema.propertyNames.pattern === 'string' ? patternTester(schema.propertyNames.pattern) : undefined;
  if (patterns.length > 0) {
    const [pattern, value] = patterns[(index - 1) % patterns.length] as [string, Schema];
    const name = stringMatching(pattern, context.prng.seed(), 1, 40);
    if (name !== undefined && (!namePattern || namePattern.test(name))) return { name, value };
  }
  if (isSchemaObject(schema.propertyNames)) {
    const name = generate({ allOf: [{ type: 'string', minLength: 1 }, schema.propertyNames] }, context);
    if (typeof name === 'string') return { name, value: additional };
  }
  return { name: `key${index}`, value: additional };
}

function generateObject(declared: SchemaObject, componentRef: string | undefined, context: Context): Record<string, unknown> {
  const schema = withDependencies(declared, context);
  const result: Record<string, unknown> = {};
  const required = new Set(schema.required ?? []);
  const properties = schema.properties ?? {};
  const maxProperties = schema.maxProperties ?? Infinity;
  const optional: string[] = [];
  const hidden: string[] = [];
  let count = 0;
  const set = (name: string, value: unknown): void => {
    if (!Object.hasOwn(result, name)) count++;
    // Defined, not assigned: a property named `__proto__` is data, not the prototype.
    Object.defineProperty(result, name, { value, enumerable: true, writable: true, configurable: true });
  };
  for (const [name, propertySchema] of Object.entries(properties)) {
    // `false` forbids the property (vercel lists `additionalProperties: false` among its properties).
    if (propertySchema === false) continue;
    if (isHiddenFor(propertySchema, context)) {
      hidden.push(name);
      continue;
    }
    if (!required.has(name)) {
      optional.push(name);
      continue;
    }
    set(name, generate(propertySchema, context));
  }
  const additional = schema.additionalProperties;
  // Specs do list required names they never declare: the value then follows `additionalProperties`
  // (any string when that is absent); a closed object (`false`) cannot have them at all.
  for (const name of required) {
    if (Object.hasOwn(properties, name) || additional === false) continue;
    set(name, additional === undefined || additional === true ? generate({ type: 'string' }, context) : generate(additional, context));
  }
  for (const name of optional) {
    if (count >= maxProperties) break;
    if (isMinimal(context) || !context.prng.chance(context.optionalProbability)) continue;
    const drawn = optionalValue(properties[name] as Schema, context);
    if (drawn) set(name, drawn.value);
  }
  const minProperties = Math.max(schema.minProperties ?? 0, Object.keys(properties).length === 0 && !isMinimal(context) ? 1 : 0);
  // readOnly in a request is a SHOULD NOT, minProperties a must: when only hidden properties can
  // meet it (a path parameter's object whose properties are all readOnly), they are sent.
  for (const name of [...optional, ...hidden]) {
    if (count >= minProperties) break;
    if (!Object.hasOwn(result, name)) set(name, generate(properties[name] as Schema, context));
  }
  // Free-form maps ({ additionalProperties: <schema> }, patternProperties) get entries; closed objects never do.
  const allowsExtra = (additional !== false && (additional !== undefined || schema.minProperties !== undefined)) || isSchemaObject(schema.patternProperties);
  for (let index = 1; allowsExtra && count < Math.min(minProperties, maxProperties) && index <= minProperties + 8; index++) {
    const extra = extraProperty(schema, index, context);
    if (!Object.hasOwn(result, extra.name)) set(extra.name, generate(extra.value, context));
  }
  applyInheritedDiscriminator(schema, result, componentRef, context);
  return result;
}

/**
 * Inheritance-style polymorphism: a child component `allOf`s a base that declares the
 * discriminator, so the tag names the child (by mapping, else by component name).
 */
function applyInheritedDiscriminator(schema: SchemaObject, result: Record<string, unknown>, ref: string | undefined, context: Context): void {
  const discriminator = schema.discriminator;
  if (!discriminator || !ref || schema.oneOf || schema.anyOf) return;
  const mapped = mappedTag(discriminator, ref);
  const declared = schema.properties?.[discriminator.propertyName];
  const property = resolvedSchema(declared, context);
  // A tag the property cannot hold is left as generated (zalando discriminates on an array).
  const holdsText = property.type === undefined || [property.type].flat().includes('string');
  const constrained = !holdsText || property.enum !== undefined || property.const !== undefined || (isSchemaObject(declared) && declared.$ref !== undefined);
  if (mapped !== undefined) result[discriminator.propertyName] = mapped;
  else if (!constrained) result[discriminator.propertyName] = componentName(ref);
}

/** readOnly properties never appear in requests, writeOnly ones never in responses. */
function isHiddenFor(schema: Schema, context: Context): boolean {
  if (!isSchemaObject(schema)) return false;
  const flag = context.direction === 'request' ? 'readOnly' : 'writeOnly';
  if (schema[flag] === true) return true;
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref, context);
    return isSchemaObject(target) && target[flag] === true;
  }
  return false;
}

/**
 * The least value past MAX_NESTING: what a `$ref` or `allOf` stands for, a pinned value, a branch,
 * required properties and minItems filled in the same way (a few levels more at most).
 */
function smallestValue(schema: SchemaObject, context: Context, extra = 0): unknown {
  for (let hops = 0; typeof schema.$ref === 'string' && hops < 8; hops++) {
    const target = resolveRef(schema.$ref, context);
    if (!isSchemaObject(target)) return target === false ? null : anyValue(context);
    schema = target;
  }
  if (schema.allOf && schema.allOf.length > 0) schema = mergeAllOf(schema, (ref) => resolveRef(ref, context));
  const pinned = pinnedValues(schema);
  if (pinned && pinned.length > 0) return pinned[0];
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches && branches.length > 0) {
    // A branch that is no $ref most likely ends the recursion.
    const branch = branches.find((entry) => !isSchemaObject(entry) || typeof entry.$ref !== 'string') ?? branches[0]!;
    return isSchemaObject(branch) ? smallestValue(branch, context, extra) : anyValue(context);
  }
  const inner = (child: Schema | undefined) =>
    extra >= SMALLEST_EXTRA_LEVELS || child === undefined ? undefined : isSchemaObject(child) ? smallestValue(child, context, extra + 1) : anyValue(context);
  const type = chooseType({ ...schema, nullable: schema.nullable }, { ...context, minimal: true });
  switch (type) {
    case 'null':
      return null;
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const name of schema.required ?? []) {
        const property = inner(schema.properties?.[name] ?? (isSchemaObject(schema.additionalProperties) ? schema.additionalProperties : true));
        if (property !== undefined) value[name] = property;
      }
      return value;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => inner(Array.isArray(schema.items) ? undefined : schema.items)).filter((item) => item !== undefined);
    case 'boolean':
      return false;
    case 'integer':
    case 'number':
      return numberBounds(schema, type)[0];
    default:
      return 'x'.repeat(schema.minLength ?? 0);
  }
}

/** How many levels smallestValue fills in past MAX_NESTING (required properties, minItems). */
const SMALLEST_EXTRA_LEVELS = 4;

function anyValue(context: Context): unknown {
  return context.prng.pick(WORDS);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
