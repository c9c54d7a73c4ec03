import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { patternRegExp } from '@finrail/server/validation';
import { generateValue, type Schema } from '../src/fake/index.ts';

// Patterns compile as the product's validators compile them (legacy escapes, Java's POSIX classes).
const regExp = Object.assign((pattern: string, flags: string) => patternRegExp(pattern, flags), { code: 'patternRegExp' });
const ajv = new Ajv2020({ strict: false, allErrors: true, code: { regExp } });
addFormats.default(ajv);

function expectValid(schema: Schema, value: unknown, document?: object): void {
  const validate = document ? ajv.compile({ ...document, ...(typeof schema === 'object' ? schema : {}) }) : ajv.compile(schema as object);
  expect(validate(value), `${JSON.stringify(value)}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

const seeds = Array.from({ length: 40 }, (_, index) => index + 1);

describe('generateValue', () => {
  it('is deterministic for a seed and varies across seeds', () => {
    const schema: Schema = { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, n: { type: 'integer' } }, required: ['id', 'n'] };
    const a = generateValue(schema, { seed: 7, direction: 'response' });
    expect(generateValue(schema, { seed: 7, direction: 'response' })).toEqual(a);
    const distinct = new Set(seeds.map((seed) => JSON.stringify(generateValue(schema, { seed, direction: 'response' }))));
    expect(distinct.size).toBeGreaterThan(30);
  });

  it.each(['date-time', 'date', 'time', 'uuid', 'email', 'uri', 'uri-reference', 'hostname', 'ipv4', 'ipv6', 'byte', 'duration'])('honours format %s', (format) => {
    for (const seed of seeds) expectValid({ type: 'string', format }, generateValue({ type: 'string', format }, { seed, direction: 'response' }));
  });

  it('honours patterns, including with length bounds', () => {
    const schemas: Schema[] = [
      { type: 'string', pattern: '^wal_[A-Za-z0-9]{16,24}$' },
      { type: 'string', pattern: '^\\d{1,13}(\\.\\d{1,5})?$' },
      { type: 'string', pattern: '^[A-Z]{3}$' },
      { type: 'string', pattern: '[a-z]+', minLength: 3, maxLength: 8 },
      // A negated class that excludes all of printable ASCII, from which fast-check alone draws
      // forever (quicksight), and one with a literal `]`.
      { type: 'string', pattern: '^[^\\u0000-\\u00FF]$' },
      { type: 'string', pattern: '^[^\\]x]+$' },
      // An exact length under `+` (AWS's 12-digit account ids): one of many lengths fast-check draws.
      { type: 'string', pattern: '^[0-9]+$', minLength: 12, maxLength: 12 },
      { type: 'string', pattern: '^(?:AWAU|AUTH|RJCT)$' },
      { type: 'string', pattern: '^\\p{Lu}[\\p{L} ]*$', maxLength: 20 },
      // An IBAN: longer than fast-check's default draws for `+`.
      { type: 'string', pattern: '^[A-Za-z0-9]+$', minLength: 15, maxLength: 34 },
      // A pattern for a URI's tail: the drawn tail goes under a base URL (optimade).
      { type: 'string', format: 'uri', pattern: '.+/v[0-1](\\.[0-9]+)*/?$' },
      // Java's POSIX classes, as AWS writes them.
      { type: 'string', pattern: '\\p{XDigit}{8}-\\p{XDigit}{4}' },
      // Format and pattern together: loket's GUID pattern of upper-case hex digits on `format: uuid`,
      // and a pattern most of whose draws the format rejects.
      { type: 'string', format: 'uuid', pattern: '^[{(]?[0-9A-F]{8}[-]?([0-9A-F]{4}[-]?){3}[0-9A-F]{12}[)}]?$' },
      { type: 'string', format: 'ipv4', pattern: '^1[0-9]{0,2}(\\.[0-9]{1,3}){3}$' },
      // unicourt: a date-time of exactly 25 characters (an offset instead of Z); a time with fractions.
      { type: 'string', format: 'date-time', minLength: 25, maxLength: 25 },
      { type: 'string', format: 'time', minLength: 12, maxLength: 13 },
    ];
    for (const schema of schemas) for (const seed of seeds) expectValid(schema, generateValue(schema, { seed, direction: 'response' }));
  });

  it('honours numeric bounds, exclusive bounds (3.0 and 3.1 forms) and multipleOf', () => {
    const schemas: Schema[] = [
      { type: 'integer', minimum: 0, maximum: 9007199254740991 },
      { type: 'integer', exclusiveMinimum: 5, exclusiveMaximum: 8 },
      { type: 'number', minimum: 1, maximum: 2, exclusiveMaximum: true, exclusiveMinimum: true } as Schema,
      { type: 'number', multipleOf: 0.01, minimum: 0 },
      { type: 'integer', multipleOf: 5, minimum: 11, maximum: 100 },
      { type: 'integer', maximum: -3 },
      { type: 'integer', format: 'int32' },
    ];
    const ajv07 = new Ajv2020({ strict: false });
    for (const schema of schemas) {
      for (const seed of seeds) {
        const value = generateValue(schema, { seed, direction: 'response' });
        if (typeof (schema as { exclusiveMinimum?: unknown }).exclusiveMinimum === 'boolean') {
          expect(value).toBeGreaterThan(1);
          expect(value).toBeLessThan(2);
        } else {
          expect(ajv07.validate(schema as object, value), `${JSON.stringify(schema)} ${String(value)}`).toBe(true);
        }
      }
    }
  });

  it('draws whole numbers for integer formats on `type: number`', () => {
    const schema: Schema = { type: 'number', format: 'int32', minimum: 0 };
    for (const seed of seeds) expectValid(schema, generateValue(schema, { seed, direction: 'request' }));
  });

  it('honours enum, const, string lengths, array sizes and uniqueness', () => {
    const schemas: Schema[] = [
      { enum: ['a', 'b', null] },
      // remove.bg: values the schema's own type rejects are never drawn.
      { type: 'string', enum: ['none', 1, 2, 'latest'] },
      // kompany: an enum starting with "" under a path segment's minLength; values outside other bounds too.
      { allOf: [{ type: 'string', enum: ['', 'B', 'P'] }, { minLength: 1 }] },
      { allOf: [{ enum: [0, 5, 10, 'abc', 'z'] }, { exclusiveMinimum: 0, maximum: 5, pattern: '^[a-y]+$' }] },
      { allOf: [{ enum: [[], [1], {}, { a: 1 }] }, { minItems: 1, minProperties: 1 }] },
      { const: { fixed: true } },
      { type: 'string', minLength: 30, maxLength: 31 },
      { type: 'string', maxLength: 0 },
      { type: 'array', items: { type: 'integer', minimum: 0, maximum: 3 }, minItems: 4, maxItems: 4, uniqueItems: true },
      { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 5 },
      { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'string' }], items: false },
      { type: 'object', additionalProperties: { type: 'integer' }, minProperties: 2 },
    ];
    for (const schema of schemas) for (const seed of seeds) expectValid(schema, generateValue(schema, { seed, direction: 'response' }));
  });

  it('draws a tuple (prefixItems) whole: closed by `items: false` up to maxItems, open with more items after it', () => {
    const closed: Schema = { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }, { type: 'boolean' }], items: false };
    const open: Schema = { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }, { type: 'boolean' }, { const: 'x' }], items: { type: 'number' } };
    for (const seed of seeds) {
      const tuple = generateValue(closed, { seed, direction: 'response' }) as unknown[];
      expect(tuple.map((item) => typeof item)).toEqual(['string', 'number', 'boolean']);
      const capped = generateValue({ ...closed, maxItems: 2 }, { seed, direction: 'response' }) as unknown[];
      expect(capped).toHaveLength(2);
      const longer = generateValue(open, { seed, direction: 'response' }) as unknown[];
      expectValid(open, longer);
      expect(longer.length).toBeGreaterThanOrEqual(4);
      expect(longer[3]).toBe('x');
    }
  });

  it('honours patterns with lookaheads (fast-check has none)', () => {
    const schemas: Schema[] = [
      { type: 'string', pattern: '^(?=.*[A-Z])(?=.*\\d)[A-Za-z\\d]{8,}$' },
      { type: 'string', pattern: '^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d)(?=.*[@$!%*?&])[A-Za-z\\d@$!%*?&]{8,32}$' },
      { type: 'string', pattern: '^(?!0000)\\d{4}$' },
    ];
    for (const schema of schemas) for (const seed of seeds) expectValid(schema, generateValue(schema, { seed, direction: 'response' }));
  });

  it('meets the length of a pattern anchored only at its start by a longer tail (gamesparks: `^arn:aws:gamesparks:`, 20 characters at least)', () => {
    const schema: Schema = { type: 'string', pattern: '^arn:aws:gamesparks:', minLength: 20, maxLength: 2048 };
    for (const seed of seeds.slice(0, 10)) expectValid(schema, generateValue(schema, { seed, direction: 'request' }));
  });

  it('meets a pattern it cannot draw from (backreferences) with a value of a known format that matches it', () => {
    // AWS iotwireless's ISODateTimeString: ISO 8601 with backreferences (`\3`, `\17`) and lookaheads.
    const iso =
      '^([\\+-]?\\d{4}(?!\\d{2}\\b))((-?)((0[1-9]|1[0-2])(\\3([12]\\d|0[1-9]|3[01]))?|W([0-4]\\d|5[0-2])(-?[1-7])?|(00[1-9]|0[1-9]\\d|[12]\\d{2}|3([0-5]\\d|6[1-6])))([T\\s]((([01]\\d|2[0-3])((:?)[0-5]\\d)?|24\\:?00)([\\.,]\\d+(?!:))?)?(\\17[0-5]\\d([\\.,]\\d+)?)?([zZ]|([\\+-])([01]\\d|2[0-3]):?([0-5]\\d)?)?)?)?$';
    for (const seed of seeds.slice(0, 10)) expectValid({ type: 'string', pattern: iso }, generateValue({ type: 'string', pattern: iso }, { seed, direction: 'response' }));
  });

  it('includes required properties the schema never declares, following additionalProperties', () => {
    const undeclared: Schema = { type: 'object', required: ['a', 'fileType'], properties: { a: { type: 'string' } } };
    const typed: Schema = { type: 'object', required: ['count'], additionalProperties: { type: 'integer', minimum: 1 } };
    for (const seed of seeds) {
      expectValid(undeclared, generateValue(undeclared, { seed, direction: 'response' }));
      expectValid(typed, generateValue(typed, { seed, direction: 'response' }));
    }
  });

  it('always includes required properties and never adds undeclared ones to closed objects', () => {
    const schema: Schema = {
      type: 'object',
      additionalProperties: false,
      required: ['a', 'b'],
      properties: { a: { type: 'string' }, b: { type: ['integer', 'null'] }, c: { type: 'boolean' } },
    };
    for (const seed of seeds) {
      const value = generateValue(schema, { seed, direction: 'response' }) as Record<string, unknown>;
      expect(Object.keys(value)).toEqual(expect.arrayContaining(['a', 'b']));
      expectValid(schema, value);
    }
  });

  it('omits readOnly properties in requests and writeOnly properties in responses', () => {
    const document = { $defs: { Id: { type: 'string', readOnly: true } } };
    const schema: Schema = {
      type: 'object',
      required: ['id', 'secret', 'name'],
      properties: { id: { $ref: '#/$defs/Id' }, secret: { type: 'string', writeOnly: true }, name: { type: 'string' } },
    };
    for (const seed of seeds) {
      const request = generateValue(schema, { seed, document, direction: 'request' }) as Record<string, unknown>;
      const response = generateValue(schema, { seed, document, direction: 'response' }) as Record<string, unknown>;
      expect(Object.keys(request).sort()).toEqual(['name', 'secret']);
      expect(Object.keys(response).sort()).toEqual(['id', 'name']);
    }
  });

  it('sends readOnly properties in a request when minProperties leaves no other way', () => {
    const schema: Schema = {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: { major: { type: 'integer', readOnly: true }, minor: { type: 'integer', readOnly: true } },
    };
    for (const seed of seeds) {
      const request = generateValue(schema, { seed, direction: 'request' }) as Record<string, unknown>;
      expect(Object.keys(request).length).toBeGreaterThanOrEqual(1);
      expectValid(schema, request);
    }
  });

  it('sets the discriminator to the value naming the chosen oneOf branch', () => {
    const methods = (mapping: Record<string, string>) => ({
      components: {
        schemas: {
          Card: { type: 'object', required: ['kind', 'last4'], properties: { kind: { type: 'string' }, last4: { type: 'string', pattern: '^\\d{4}$' } } },
          Bank: { type: 'object', required: ['kind', 'iban'], properties: { kind: { type: 'string' }, iban: { type: 'string', minLength: 15 } } },
          Method: { oneOf: [{ $ref: '#/components/schemas/Card' }, { $ref: '#/components/schemas/Bank' }], discriminator: { propertyName: 'kind', mapping } },
        },
      },
    });
    // Mapping values as references or as bare component names.
    for (const document of [methods({ card: '#/components/schemas/Card', bank_account: '#/components/schemas/Bank' }), methods({ card: 'Card', bank_account: 'Bank' })]) {
      const seen = new Set<string>();
      for (const seed of seeds) {
        const value = generateValue({ $ref: '#/components/schemas/Method' }, { seed, document, direction: 'response' }) as Record<string, unknown>;
        seen.add(String(value.kind));
        expect(value.kind === 'card' ? 'last4' in value : 'iban' in value).toBe(true);
      }
      expect([...seen].sort()).toEqual(['bank_account', 'card']);
    }
  });

  it('draws an object for a discriminated branch that declares no type (cdcgov: `RedoxConfiguration: {}`)', () => {
    const document = {
      components: {
        schemas: {
          Custom: { type: 'object', properties: { format: { type: 'string', enum: ['CSV'] } } },
          Redox: {},
          Translation: { anyOf: [{ $ref: '#/components/schemas/Custom' }, { $ref: '#/components/schemas/Redox' }], discriminator: { propertyName: 'type' } },
        },
      },
    };
    const seen = new Set<string>();
    for (const seed of seeds) {
      const value = generateValue({ $ref: '#/components/schemas/Translation' }, { seed, document, direction: 'request' }) as Record<string, unknown>;
      expect(value).toEqual(expect.objectContaining({ type: expect.any(String) }));
      seen.add(String(value.type));
    }
    expect([...seen].sort()).toEqual(['Custom', 'Redox']);
  });

  it('merges allOf (required, properties, bounds) and names the child in inheritance-style discriminators', () => {
    const document = {
      components: {
        schemas: {
          Pet: { type: 'object', required: ['petType'], properties: { petType: { type: 'string' } }, discriminator: { propertyName: 'petType' } },
          Cat: { allOf: [{ $ref: '#/components/schemas/Pet' }, { type: 'object', required: ['lives'], properties: { lives: { type: 'integer', minimum: 1, maximum: 9 } } }] },
        },
      },
    };
    for (const seed of seeds) {
      const cat = generateValue({ $ref: '#/components/schemas/Cat' }, { seed, document, direction: 'response' }) as Record<string, unknown>;
      expect(cat.petType).toBe('Cat');
      expect(cat.lives).toBeGreaterThanOrEqual(1);
      expect(cat.lives).toBeLessThanOrEqual(9);
    }
    // A mapping that lists the child (by reference or bare name) gives its tag instead.
    for (const mapping of [{ cat: '#/components/schemas/Cat' }, { cat: 'Cat' }]) {
      const pet = { ...document.components.schemas.Pet, discriminator: { propertyName: 'petType', mapping } };
      const mapped = { components: { schemas: { ...document.components.schemas, Pet: pet } } };
      for (const seed of seeds) expect(generateValue({ $ref: '#/components/schemas/Cat' }, { seed, document: mapped, direction: 'response' })).toHaveProperty('petType', 'cat');
    }
  });

  it('draws a base whose discriminator maps its subtypes as one of them, tagged and with its own properties', () => {
    const pet = { type: 'object', required: ['petType'], properties: { petType: { type: 'string' } } };
    const subtypes = {
      Dog: { allOf: [{ $ref: '#/components/schemas/Pet' }, { type: 'object', properties: { bark: { type: 'boolean' } } }] },
      Cat: { allOf: [{ $ref: '#/components/schemas/Pet' }, { type: 'object', required: ['lives'], properties: { lives: { type: 'integer', minimum: 1, maximum: 9 } } }] },
    };
    const mapped = (discriminator: object, extra: object = {}) => ({ components: { schemas: { Pet: { ...pet, ...extra, discriminator }, ...subtypes } } });
    // Mapping values as references or as bare component names.
    for (const document of [mapped({ propertyName: 'petType', mapping: { dog: '#/components/schemas/Dog', cat: '#/components/schemas/Cat' } }), mapped({ propertyName: 'petType', mapping: { dog: 'Dog', cat: 'Cat' } })]) {
      const tags = new Set<unknown>();
      for (const seed of seeds) {
        const value = generateValue({ $ref: '#/components/schemas/Pet' }, { seed, document, direction: 'response' }) as Record<string, unknown>;
        tags.add(value.petType);
        if (value.petType === 'cat') expect(value.lives).toBeGreaterThanOrEqual(1);
        expectValid({ $ref: '#/components/schemas/Pet' }, value, document);
      }
      expect(tags).toEqual(new Set(['dog', 'cat']));
    }
    // A base that closes its properties keeps its own: a subtype's would be refused.
    const closed = mapped({ propertyName: 'petType', mapping: { cat: '#/components/schemas/Cat' } }, { additionalProperties: false });
    for (const seed of seeds) expect(generateValue({ $ref: '#/components/schemas/Pet' }, { seed, document: closed, direction: 'response' })).not.toHaveProperty('lives');
  });

  it('never generates a property whose schema is false', () => {
    const schema = { type: 'object', properties: { additionalProperties: false, name: { type: 'string' } } } as Schema;
    for (const seed of seeds) expect(generateValue(schema, { seed, direction: 'request', optionalProbability: 1 })).not.toHaveProperty('additionalProperties');
  });

  it('leaves an inherited discriminator alone when its property cannot hold a name (zalando: an array)', () => {
    const document = {
      components: {
        schemas: {
          Page: { type: 'object', required: ['content'], properties: { content: { type: 'array', items: {} } }, discriminator: { propertyName: 'content' } },
          Brands: { allOf: [{ $ref: '#/components/schemas/Page' }, { properties: { content: { type: 'array', items: { type: 'string' } } } }] },
        },
      },
    };
    for (const seed of seeds) {
      const page = generateValue({ $ref: '#/components/schemas/Brands' }, { seed, document, direction: 'response' }) as Record<string, unknown>;
      expect(Array.isArray(page.content)).toBe(true);
    }
  });

  it('terminates on recursive schemas and still produces valid values', () => {
    const document = {
      $defs: {
        Node: {
          type: 'object',
          required: ['name', 'children'],
          properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } }, parent: { $ref: '#/$defs/Node' } },
        },
      },
    };
    for (const seed of seeds) {
      const value = generateValue({ $ref: '#/$defs/Node' }, { seed, document, direction: 'response' });
      expectValid({ $ref: '#/$defs/Node' }, value, document);
    }
  });

  it('counts a $ref merged through allOf as open, so recursion through it stops (aws ce: Expression.Not)', () => {
    const document = {
      $defs: {
        Expression: {
          type: 'object',
          properties: {
            Not: { allOf: [{ $ref: '#/$defs/Expression' }, { description: 'Results that do not match.' }] },
            And: { type: 'array', items: { $ref: '#/$defs/Expression' } },
            Key: { enum: ['SERVICE', 'REGION'] },
          },
        },
      },
    };
    for (const seed of seeds.slice(0, 10)) {
      const value = generateValue({ $ref: '#/$defs/Expression' }, { seed, document, direction: 'request', optionalProbability: 1 });
      expectValid({ $ref: '#/$defs/Expression' }, value, document);
      let depth = 0;
      for (let node = value as { Not?: unknown }; node.Not !== undefined; node = node.Not as { Not?: unknown }) depth++;
      expect(depth).toBeLessThanOrEqual(2);
    }
  });

  it('past the nesting limit, still gives what a $ref stands for, with its required properties', () => {
    // 26 levels of required objects, the last a $ref: deeper than the generator nests (24).
    let schema: Schema = { $ref: '#/$defs/Leaf' };
    for (let level = 0; level < 26; level++) schema = { type: 'object', required: ['inner'], properties: { inner: schema } };
    const document = { $defs: { Leaf: { type: 'object', required: ['kind'], properties: { kind: { const: 'leaf' } } } } };
    for (const seed of seeds.slice(0, 3)) expectValid(schema, generateValue(schema, { seed, document, direction: 'request' }), document);
  });

  it('keeps values from wide, deep schemas small and still valid (docusign: hundreds of nested optional objects)', () => {
    // Ten levels of objects with ten optional children and one required leaf: ~10^10 nodes if all were filled.
    const document = { components: { schemas: {} as Record<string, Schema> } };
    for (let level = 0; level < 10; level++) {
      const child: Schema = level === 9 ? { type: 'string' } : { $ref: `#/components/schemas/L${level + 1}` };
      const properties = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`p${index}`, index % 2 === 0 ? child : { type: 'array', items: child }]));
      document.components.schemas[`L${level}`] = { type: 'object', properties: { ...properties, id: { type: 'string' } }, required: ['id'] };
    }
    const schema: Schema = { $ref: '#/components/schemas/L0' };
    for (const seed of seeds.slice(0, 5)) {
      const value = generateValue(schema, { seed, direction: 'response', document, optionalProbability: 1 });
      expect(countValues(value)).toBeLessThan(3_000);
      expectValid(schema, value, document);
    }
    const smaller = generateValue(schema, { seed: 1, direction: 'response', document, optionalProbability: 1, maxNodes: 100 });
    expect(countValues(smaller)).toBeLessThan(200);
  });

  it('leaves out what a closed allOf branch forbids, though another branch declares it (bbc)', () => {
    const base: Schema = { type: 'object', additionalProperties: false, properties: { href: { type: 'string' } }, required: ['href'] };
    const schema: Schema = { allOf: [base, { type: 'object', properties: { href_deprecated: { type: 'boolean' } } }] };
    for (const seed of seeds) {
      const value = generateValue(schema, { seed, direction: 'response', optionalProbability: 1 });
      expect(Object.keys(value as object)).toEqual(['href']);
      expectValid(schema, value);
    }
  });

  it('meets 2020-12 applicators: if/then/else, contains, dependentRequired, dependentSchemas, propertyNames, patternProperties', () => {
    const schema: Schema = {
      type: 'object',
      properties: {
        kind: { type: 'string' },
        country: { type: 'string' },
        card: { type: 'string' },
        billing: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' }, contains: { const: 'special' }, minContains: 1, maxContains: 2 },
        labels: { type: 'object', propertyNames: { pattern: '^[a-z]+$' }, additionalProperties: { type: 'integer' } },
        counters: { type: 'object', patternProperties: { '^n_[a-z]+$': { type: 'integer' } }, additionalProperties: false },
      },
      required: ['tags', 'labels', 'counters'],
      dependentRequired: { card: ['billing'] },
      dependentSchemas: { country: { required: ['kind'] } },
      if: { properties: { kind: { const: 'business' } }, required: ['kind'] },
      then: { required: ['country'] },
      else: { properties: { country: false } },
    };
    for (const seed of seeds) expectValid(schema, generateValue(schema, { seed, direction: 'response' }));
  });

  it('generates empty arrays of a generic whose item type is unbound (`not: true`)', () => {
    const schema: Schema = { type: 'object', properties: { items: { type: 'array', items: { not: true } } }, required: ['items'] };
    for (const seed of seeds) expect(generateValue(schema, { seed, direction: 'response' })).toEqual({ items: [] });
  });

  it('generates properties named like Object.prototype members as own data (`constructor`, `__proto__`)', () => {
    const schema: Schema = JSON.parse('{"type":"object","required":["constructor","__proto__"],"properties":{"constructor":{"type":"string"},"__proto__":{"type":"integer"}}}');
    const value = generateValue(schema, { seed: 1, direction: 'response' }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value).sort()).toEqual(['__proto__', 'constructor']);
    expect(typeof value.constructor).toBe('string');
  });

  it('handles nullable (3.0) and type arrays (3.1)', () => {
    const values = seeds.map((seed) => generateValue({ type: ['string', 'null'], minLength: 2 }, { seed, direction: 'response' }));
    expect(values.some((value) => value === null)).toBe(true);
    expect(values.some((value) => typeof value === 'string' && value.length >= 2)).toBe(true);
    const nullable = seeds.map((seed) => generateValue({ type: 'integer', nullable: true }, { seed, direction: 'response' }));
    expect(nullable.every((value) => value === null || Number.isInteger(value))).toBe(true);
  });

  it('never draws null for an allOf that only some branches declare nullable (3.0), whichever branch comes first', () => {
    const required = { type: 'object', required: ['url'], properties: { url: { type: 'string', maxLength: 2048 } } };
    const optional = { type: 'object', properties: { url: { type: 'string', nullable: true } } };
    for (const branches of [[required, optional], [optional, required]]) {
      const values = seeds.map((seed) => generateValue({ allOf: branches } as Schema, { seed, direction: 'request' }) as { url: unknown });
      expect(values.every((value) => typeof value.url === 'string')).toBe(true);
    }
    const nullableBoth = seeds.map((seed) => generateValue({ allOf: [optional, optional] } as Schema, { seed, direction: 'request', optionalProbability: 1 }) as { url: unknown });
    expect(nullableBoth.some((value) => value.url === null)).toBe(true);
  });

  it('draws null for an allOf whose only typed branch is nullable: a $ref\'s siblings and a description say nothing of null (3.0)', () => {
    const document = { components: { schemas: { Url: { type: 'string', nullable: true } } } };
    const url = { $ref: '#/components/schemas/Url' };
    const draw = (schema: Schema) => seeds.map((seed) => generateValue(schema, { seed, document, direction: 'response' }));
    for (const schema of [{ allOf: [url] }, { description: 'where', allOf: [url] }, { allOf: [{ description: 'where' }, url] }] as Schema[]) {
      const values = draw(schema);
      expect(values.some((value) => value === null)).toBe(true);
      expect(values.every((value) => value === null || typeof value === 'string')).toBe(true);
    }
    // A branch that types its value without null refuses it, whichever comes first.
    for (const schema of [{ allOf: [url, { type: 'string', maxLength: 9 }] }, { allOf: [{ enum: ['a', 'b'] }, url] }] as Schema[]) {
      expect(draw(schema).every((value) => typeof value === 'string')).toBe(true);
    }
  });
});

function countValues(value: unknown): number {
  if (Array.isArray(value)) return 1 + value.reduce((sum: number, item) => sum + countValues(item), 0);
  if (value !== null && typeof value === 'object') return 1 + Object.values(value).reduce((sum: number, item) => sum + countValues(item), 0);
  return 1;
}
