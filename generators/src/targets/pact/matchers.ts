// Pact matchers derived from a JSON Schema and an example value. The result is a template in Pact
// JS's matcher JSON (what MatchersV3 returns), so it can be handed to PactV4 as is or printed as
// MatchersV3 calls. Matchers are never stricter than the schema: an example that a provider may
// legitimately vary (ids, timestamps, amounts) is matched by type, format or pattern, while an
// empty array or a null stays literal (the provider state decides those). Optional properties
// are left out: a provider may omit them and a pact can only require keys (their types, when
// present, are the spec's business: `finrail contracts check` and the server's response
// validation cover them).
import { getByRef, isRecord } from '../../model/refs.ts';
import type { JsonSchema } from '../../model/types.ts';

export interface Matcher {
  'pact:matcher:type': 'type' | 'integer' | 'number' | 'decimal' | 'regex' | 'null';
  value: unknown;
  regex?: string;
  min?: number;
}

export function isMatcher(value: unknown): value is Matcher {
  return isRecord(value) && typeof value['pact:matcher:type'] === 'string';
}

export const like = (value: unknown): Matcher => ({ 'pact:matcher:type': 'type', value });
export const integer = (value: number): Matcher => ({ 'pact:matcher:type': 'integer', value });
export const number = (value: number): Matcher => ({ 'pact:matcher:type': 'number', value });
export const regex = (pattern: string, value: string): Matcher => ({ 'pact:matcher:type': 'regex', regex: pattern, value });
export const eachLike = (template: unknown, min: number): Matcher => ({
  'pact:matcher:type': 'type',
  min,
  value: Array.from({ length: min }, () => template),
});

// Pact's core (Rust) matches a regex against the whole value, so every pattern is anchored.
const FORMAT_PATTERNS: Record<string, string> = {
  'date-time': '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
  date: '^\\d{4}-\\d{2}-\\d{2}$',
  time: '^\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?$',
  uuid: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  email: '^[^@\\s]+@[^@\\s]+$',
  uri: '^[A-Za-z][A-Za-z0-9+.-]*:\\S*$',
};

/** The schema's string pattern as a whole-value regex Pact's core can run, or undefined. */
export function anchoredPattern(pattern: string): string | undefined {
  // Lookaround and backreferences are ECMAScript-only: Rust's regex engine rejects them.
  if (/\(\?<?[=!]|\\[1-9]|\\k</.test(pattern)) return undefined;
  const start = pattern.startsWith('^') ? '' : '^.*';
  const end = pattern.endsWith('$') && !pattern.endsWith('\\$') ? '' : '.*$';
  return `${start}${pattern}${end}`;
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Schema facts that decide a matcher, merged across $ref and allOf. */
interface Facts {
  types: Set<string>;
  properties: Map<string, JsonSchema[]>;
  required: Set<string>;
  additional: JsonSchema[];
  items: JsonSchema[];
  minItems: number;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  alternatives: JsonSchema[][];
}

export class MatcherBuilder {
  readonly #document: object;
  constructor(document: object) {
    this.#document = document;
  }

  /** A matcher template for `value`, typed by `schemas` (all of which apply, as in allOf). */
  build(schemas: JsonSchema | JsonSchema[] | undefined, value: unknown): unknown {
    const facts = this.#facts(Array.isArray(schemas) ? schemas : schemas === undefined ? [] : [schemas]);
    return this.#build(facts, value);
  }

  #build(facts: Facts, value: unknown): unknown {
    if (value === null || value === undefined) return value ?? null;
    // oneOf/anyOf: type the value with the first alternative that fits it.
    while (facts.alternatives.length > 0) {
      const [alternatives, ...rest] = facts.alternatives;
      const chosen = alternatives!.find((alternative) => this.#fits(alternative, value));
      if (chosen === undefined) return like(value);
      facts = this.#merge({ ...facts, alternatives: rest }, this.#facts([chosen]));
    }
    if (typeof value === 'boolean') return like(value);
    if (typeof value === 'number') {
      const integerOnly = facts.types.has('integer') && !facts.types.has('number');
      if (integerOnly && Number.isInteger(value)) return integer(value);
      return number(value);
    }
    if (typeof value === 'string') return this.#string(facts, value);
    if (Array.isArray(value)) {
      if (value.length === 0) return [];
      const itemFacts = this.#facts(facts.items);
      const items = value.map((item) => this.#build(itemFacts, item));
      // One eachLike template stands for every item, and Pact has no "string or null": when the
      // example's items differ in which keys are null (a pending and a posted transaction), the
      // items are matched one by one instead, in order.
      const shapes = new Set(items.map(nullKeys));
      return shapes.size === 1 ? eachLike(items[0], Math.max(1, facts.minItems)) : items;
    }
    if (isRecord(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(value)) {
        if (facts.properties.has(key) && !facts.required.has(key)) continue;
        const declared = facts.properties.get(key) ?? facts.additional;
        out[key] = this.#build(this.#facts(declared), entry);
      }
      return out;
    }
    return value;
  }

  #string(facts: Facts, value: string): unknown {
    if (facts.enum && facts.enum.length > 0 && facts.enum.includes(value)) {
      const options = facts.enum.filter((option): option is string => typeof option === 'string');
      return regex(`^(${options.map(escapeRegex).join('|')})$`, value);
    }
    if (facts.pattern !== undefined) {
      const anchored = anchoredPattern(facts.pattern);
      if (anchored !== undefined && safeTest(facts.pattern, value)) return regex(anchored, value);
    }
    const formatPattern = facts.format !== undefined ? FORMAT_PATTERNS[facts.format] : undefined;
    if (formatPattern !== undefined && new RegExp(formatPattern).test(value)) return regex(formatPattern, value);
    return like(value);
  }

  #fits(schema: JsonSchema, value: unknown): boolean {
    const facts = this.#facts([schema]);
    const type = jsonType(value);
    if (facts.types.size > 0 && !facts.types.has(type) && !(type === 'integer' && facts.types.has('number'))) return false;
    if (facts.enum && !facts.enum.some((option) => option === value)) return false;
    if (!isRecord(value)) return true;
    const resolved = this.#resolve(schema);
    const required = isRecord(resolved) && Array.isArray(resolved.required) ? resolved.required : [];
    if (required.some((name) => !(String(name) in value))) return false;
    // A property the alternative pins (const/enum, e.g. a discriminator) must agree.
    for (const [name, schemas] of facts.properties) {
      if (!(name in value)) continue;
      const pinned = this.#facts(schemas).enum;
      if (pinned && !pinned.includes(value[name])) return false;
    }
    return facts.additional.length > 0 || facts.properties.size === 0 || Object.keys(value).every((key) => facts.properties.has(key));
  }

  #resolve(schema: JsonSchema): JsonSchema {
    let current: unknown = schema;
    for (let hops = 0; hops < 32 && isRecord(current) && typeof current.$ref === 'string'; hops++) {
      current = getByRef(this.#document, current.$ref);
    }
    return (current ?? true) as JsonSchema;
  }

  #facts(schemas: JsonSchema[], seen = new Set<object>()): Facts {
    let facts: Facts = { types: new Set(), properties: new Map(), required: new Set(), additional: [], items: [], minItems: 0, alternatives: [] };
    for (const raw of schemas) {
      const schema = this.#resolve(raw);
      if (!isRecord(schema) || seen.has(schema)) continue;
      seen.add(schema);
      const own: Facts = { types: new Set(), properties: new Map(), required: new Set(), additional: [], items: [], minItems: 0, alternatives: [] };
      const types = Array.isArray(schema.type) ? schema.type : typeof schema.type === 'string' ? [schema.type] : [];
      for (const type of types) if (type !== 'null') own.types.add(String(type));
      if (isRecord(schema.properties)) {
        for (const [name, property] of Object.entries(schema.properties)) own.properties.set(name, [property as JsonSchema]);
      }
      if (Array.isArray(schema.required)) for (const name of schema.required) own.required.add(String(name));
      if (isRecord(schema.additionalProperties)) own.additional.push(schema.additionalProperties);
      if (isRecord(schema.items)) own.items.push(schema.items);
      if (typeof schema.minItems === 'number') own.minItems = schema.minItems;
      if (typeof schema.format === 'string') own.format = schema.format;
      if (typeof schema.pattern === 'string') own.pattern = schema.pattern;
      if (Array.isArray(schema.enum)) own.enum = schema.enum.filter((option) => option !== null);
      if ('const' in schema) own.enum = [schema.const];
      for (const keyword of ['oneOf', 'anyOf'] as const) {
        if (Array.isArray(schema[keyword])) own.alternatives.push(schema[keyword] as JsonSchema[]);
      }
      facts = this.#merge(facts, own);
      if (Array.isArray(schema.allOf)) facts = this.#merge(facts, this.#facts(schema.allOf as JsonSchema[], seen));
    }
    return facts;
  }

  #merge(a: Facts, b: Facts): Facts {
    const properties = new Map(a.properties);
    for (const [name, schemas] of b.properties) properties.set(name, [...(properties.get(name) ?? []), ...schemas]);
    return {
      types: a.types.size === 0 ? b.types : b.types.size === 0 ? a.types : new Set([...a.types].filter((t) => b.types.has(t))),
      properties,
      required: new Set([...a.required, ...b.required]),
      additional: [...a.additional, ...b.additional],
      items: [...a.items, ...b.items],
      minItems: Math.max(a.minItems, b.minItems),
      format: a.format ?? b.format,
      pattern: a.pattern ?? b.pattern,
      enum: a.enum ?? b.enum,
      alternatives: [...a.alternatives, ...b.alternatives],
    };
  }
}

function nullKeys(item: unknown): string {
  return isRecord(item) ? Object.keys(item).filter((key) => item[key] === null).sort().join(',') : '';
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return false;
  }
}
