// Every validation rule, checked through both outputs of the one compilation path: in-memory
// validators and the standalone module that generated stubs import.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toValidationIssues, type ValidateFunction, type ValidationIssue } from '@finrail/server';
import { buildApiModel } from '../src/model/index.ts';
import { compileValidators, createApiDefinition, generateValidatorModule, planValidation, type ValidationPlan } from '../src/validation/index.ts';

const problem = { description: 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

const document31 = {
  openapi: '3.1.0',
  info: { title: 'Validation rules', version: '1.0.0' },
  paths: {
    '/customers': {
      post: {
        operationId: 'createCustomer',
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', minLength: 1, maxLength: 255 } }],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Customer' } } } },
        responses: { '201': { description: 'Created', content: { 'application/json': { schema: { $ref: '#/components/schemas/Customer' } } } }, '400': problem },
      },
    },
    '/payments/{paymentId}': {
      put: {
        operationId: 'putPayment',
        parameters: [
          { name: 'paymentId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['amount', 'method'],
                properties: {
                  amount: { $ref: '#/components/schemas/Money' },
                  method: { $ref: '#/components/schemas/Method' },
                  mapped: { $ref: '#/components/schemas/MappedMethod' },
                  note: { type: ['string', 'null'], maxLength: 5 },
                  // 3.0's keyword left in a 3.1 document (codat's specs): read as it was meant.
                  memo: { type: 'string', nullable: true },
                  contact: { oneOf: [{ type: 'string', format: 'email' }, { type: 'object', required: ['phone'], properties: { phone: { type: 'string' } } }] },
                  'x-example-ignored': { type: 'string', example: 'kept as property name', xml: { name: 'n' }, 'x-internal': true },
                },
              },
            },
          },
        },
        responses: { '200': { description: 'OK' } },
      },
    },
  },
  components: {
    schemas: {
      Problem: { type: 'object', required: ['type', 'status'], properties: { type: { type: 'string' }, status: { type: 'integer' } } },
      Money: {
        type: 'object',
        additionalProperties: false,
        required: ['amount', 'currency'],
        properties: { amount: { type: 'integer', minimum: 0, maximum: 9007199254740991 }, currency: { type: 'string', pattern: '^[A-Z]{3}$' } },
      },
      Customer: {
        type: 'object',
        required: ['id', 'email', 'password', 'created_at'],
        properties: {
          id: { type: 'string', format: 'uuid', readOnly: true },
          email: { type: 'string', format: 'email' },
          password: { type: 'string', writeOnly: true, minLength: 8 },
          created_at: { type: 'string', format: 'date-time', readOnly: true },
          kind: { enum: ['person', 'company'], default: 'person' },
        },
      },
      Card: { type: 'object', required: ['type', 'last4'], properties: { type: { const: 'card' }, last4: { type: 'string', pattern: '^\\d{4}$' } } },
      Bank: { type: 'object', required: ['type', 'iban'], properties: { type: { const: 'bank' }, iban: { type: 'string', minLength: 15, maxLength: 34 } } },
      Method: { oneOf: [{ $ref: '#/components/schemas/Card' }, { $ref: '#/components/schemas/Bank' }], discriminator: { propertyName: 'type' } },
      MappedMethod: {
        oneOf: [{ $ref: '#/components/schemas/Card' }, { $ref: '#/components/schemas/Bank' }],
        discriminator: { propertyName: 'type', mapping: { card: '#/components/schemas/Card', bank: 'Bank' } },
      },
    },
  },
};

const document30 = {
  openapi: '3.0.3',
  info: { title: 'OpenAPI 3.0 semantics', version: '1.0.0' },
  paths: {
    '/animals': {
      put: {
        operationId: 'putAnimal',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Animal' } } } },
        responses: { '204': { description: 'Stored' } },
      },
    },
    '/factories': {
      put: {
        operationId: 'putFactory',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Factory' } } } },
        responses: { '204': { description: 'Stored' } },
      },
    },
    '/users': {
      post: {
        operationId: 'createUser',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/UserCreate' } } } },
        responses: { '204': { description: 'Created' } },
      },
    },
    '/assemblies': {
      put: {
        operationId: 'putAssembly',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Assembly' } } } },
        responses: { '204': { description: 'Stored' } },
      },
    },
    '/media': {
      put: {
        operationId: 'putMedia',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Media' } } } },
        responses: { '204': { description: 'Stored' } },
      },
    },
    '/pets': {
      post: {
        operationId: 'createPet',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/NewPet' } } } },
        responses: { '201': { description: 'Created', content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } } },
      },
    },
  },
  components: {
    schemas: {
      Owner: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      // Azure's inheritance (logic: AssemblyProperties): closed schemas extending closed bases.
      Artifact: { type: 'object', additionalProperties: false, properties: { createdTime: { type: 'string' } } },
      ArtifactContent: { type: 'object', additionalProperties: false, allOf: [{ $ref: '#/components/schemas/Artifact' }], properties: { content: { type: 'string' } } },
      // datafactory: an extension whose other properties must be objects, over a string `location`.
      Resource: { type: 'object', properties: { location: { type: 'string' } } },
      Factory: { type: 'object', additionalProperties: { type: 'object' }, allOf: [{ $ref: '#/components/schemas/Resource' }], properties: { identity: { type: 'object' } } },
      // graphrbac: a base whose undeclared properties must be objects, extended with a boolean.
      UserBase: { type: 'object', additionalProperties: { type: 'object' }, properties: { surname: { type: 'string' } } },
      UserCreate: { allOf: [{ $ref: '#/components/schemas/UserBase' }], required: ['accountEnabled'], properties: { accountEnabled: { type: 'boolean' } } },
      Assembly: {
        type: 'object',
        additionalProperties: false,
        allOf: [{ $ref: '#/components/schemas/ArtifactContent' }],
        required: ['assemblyName'],
        properties: { assemblyName: { type: 'string' } },
      },
      NewPet: {
        type: 'object',
        required: ['name', 'weight'],
        properties: {
          name: { type: 'string', nullable: true },
          owner: { allOf: [{ $ref: '#/components/schemas/Owner' }], nullable: true },
          status: { type: 'string', enum: ['available', 'sold'], nullable: true },
          weight: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 100, exclusiveMaximum: false },
          tag: { type: 'string', example: 'good boy', 'x-nullable': true },
        },
      },
      Cat: { type: 'object', required: ['petType', 'lives'], properties: { petType: { type: 'string' }, lives: { type: 'integer', format: 'int32' } } },
      Dog: { type: 'object', required: ['petType', 'bark'], properties: { petType: { type: 'string' }, bark: { type: 'boolean' } } },
      Pet: { oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }], discriminator: { propertyName: 'petType' } },
      // Branches pin the tag to values other than their names, with no mapping (spotify).
      Media: { oneOf: [{ $ref: '#/components/schemas/TrackObject' }, { $ref: '#/components/schemas/EpisodeObject' }], discriminator: { propertyName: 'type' } },
      TrackObject: { type: 'object', properties: { type: { type: 'string', enum: ['track'] }, duration: { type: 'integer' } } },
      EpisodeObject: { allOf: [{ $ref: '#/components/schemas/EpisodeBase' }, { type: 'object', properties: { show: { type: 'string' } }, required: ['show'] }] },
      EpisodeBase: { type: 'object', properties: { type: { type: 'string', enum: ['episode'] } } },
      Animal: {
        type: 'object',
        required: ['kind', 'name'],
        properties: { kind: { type: 'string' }, name: { type: 'string' } },
        oneOf: [{ $ref: '#/components/schemas/Lion' }, { $ref: '#/components/schemas/Eagle' }],
        discriminator: { propertyName: 'kind', mapping: { lion: '#/components/schemas/Lion', eagle: '#/components/schemas/Eagle' } },
      },
      Lion: { allOf: [{ $ref: '#/components/schemas/Animal' }, { type: 'object', required: ['mane'], properties: { mane: { type: 'boolean' } } }] },
      Eagle: { allOf: [{ $ref: '#/components/schemas/Animal' }, { type: 'object', required: ['wingspan'], properties: { wingspan: { type: 'number' } } }] },
    },
  },
};

type Mode = 'in-memory' | 'standalone';

async function loadValidators(plan: ValidationPlan, mode: Mode, directory: string): Promise<Record<string, ValidateFunction>> {
  if (mode === 'in-memory') return compileValidators(plan);
  const runtime = pathToFileURL(fileURLToPath(new URL('../../packages/server/src/validation-runtime.ts', import.meta.url))).href;
  const source = generateValidatorModule(plan).replace("'@finrail/server/validation'", JSON.stringify(runtime));
  expect(source).not.toMatch(/new Function|require\(/);
  const file = join(directory, `validators-${plan.openapi}-${Math.random().toString(36).slice(2)}.mjs`);
  await writeFile(file, source);
  return (await import(pathToFileURL(file).href)) as Record<string, ValidateFunction>;
}

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'finrail-validation-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe.each<Mode>(['in-memory', 'standalone'])('validators (%s)', (mode) => {
  let v31: Record<string, ValidateFunction>;
  let v30: Record<string, ValidateFunction>;
  let plan31: ValidationPlan;
  let plan30: ValidationPlan;
  beforeAll(async () => {
    plan31 = planValidation(buildApiModel({ path: '/virtual/v31.yaml', document: document31, openapi: '3.1' }));
    plan30 = planValidation(buildApiModel({ path: '/virtual/v30.yaml', document: document30, openapi: '3.0' }));
    v31 = await loadValidators(plan31, mode, directory);
    v30 = await loadValidators(plan30, mode, directory);
  });

  const check = (validators: () => Record<string, ValidateFunction>, name: string, value: unknown, prefix = '/body'): ValidationIssue[] => {
    const validate = validators()[name];
    if (!validate) throw new Error(`no validator ${name}`);
    return validate(value) ? [] : toValidationIssues(validate.errors, prefix);
  };
  const payment = (value: unknown) => check(() => v31, 'putPayment_body_0', value);
  const customer = (value: unknown) => check(() => v31, 'createCustomer_body_0', value);
  const validPayment = { amount: { amount: 100, currency: 'EUR' }, method: { type: 'card', last4: '4242' } };

  it('accepts a valid body', () => {
    expect(payment(validPayment)).toEqual([]);
  });

  it('reports missing required properties', () => {
    expect(payment({ method: validPayment.method })).toEqual([{ pointer: '/body/amount', detail: 'is required', code: 'required' }]);
  });

  it('reports wrong types', () => {
    expect(payment({ ...validPayment, amount: { amount: '100', currency: 'EUR' } })).toEqual([
      { pointer: '/body/amount/amount', detail: 'must be an integer', code: 'type' },
    ]);
  });

  it('reports patterns', () => {
    expect(payment({ ...validPayment, amount: { amount: 1, currency: 'eur' } })).toEqual([
      { pointer: '/body/amount/currency', detail: 'must match the pattern ^[A-Z]{3}$', code: 'pattern' },
    ]);
  });

  it('reports enums', () => {
    expect(customer({ email: 'a@b.co', password: 'long-enough', kind: 'robot' })).toEqual([
      { pointer: '/body/kind', detail: 'must be one of "person", "company"', code: 'enum' },
    ]);
  });

  it('reports bounds', () => {
    expect(payment({ ...validPayment, amount: { amount: -1, currency: 'EUR' }, note: 'too long' })).toEqual([
      { pointer: '/body/amount/amount', detail: 'must be >= 0', code: 'minimum' },
      { pointer: '/body/note', detail: 'must NOT have more than 5 characters', code: 'maxLength' },
    ]);
    expect(payment({ ...validPayment, amount: { amount: 2 ** 53, currency: 'EUR' } })[0]).toMatchObject({ code: 'maximum' });
  });

  it('reports additionalProperties: false', () => {
    expect(payment({ ...validPayment, surprise: 1 })).toEqual([{ pointer: '/body/surprise', detail: 'is not an allowed property', code: 'additionalProperties' }]);
  });

  it('checks formats: email, uuid, date-time', () => {
    expect(customer({ email: 'not an email', password: 'long-enough' })).toEqual([{ pointer: '/body/email', detail: 'must be a valid email', code: 'format' }]);
    expect(check(() => v31, 'putPayment_path', { paymentId: 'nope' }, '/path')).toEqual([
      { pointer: '/path/paymentId', detail: 'must be a valid uuid', code: 'format' },
    ]);
    expect(check(() => v31, 'putPayment_path', { paymentId: '0b0f4a4e-3c7b-4d1e-9a53-6a1c2c3d4e5f' }, '/path')).toEqual([]);
    const response = (value: unknown) => check(() => v31, 'createCustomer_response_201_0', value);
    const created = { id: '0b0f4a4e-3c7b-4d1e-9a53-6a1c2c3d4e5f', email: 'a@b.co', created_at: '2026-11-23T10:00:00Z' };
    expect(response(created)).toEqual([]);
    expect(response({ ...created, created_at: 'yesterday' })).toEqual([{ pointer: '/body/created_at', detail: 'must be a valid date-time', code: 'format' }]);
  });

  it('selects the oneOf branch by discriminator (ajv discriminator) and reports inside it', () => {
    expect(payment({ ...validPayment, method: { type: 'bank', iban: 'short' } })).toEqual([
      { pointer: '/body/method/iban', detail: 'must NOT have fewer than 15 characters', code: 'minLength' },
    ]);
    expect(payment({ ...validPayment, method: { type: 'cash' } })).toEqual([
      { pointer: '/body/method/type', detail: 'has no schema for value "cash"', code: 'discriminator' },
    ]);
  });

  it('selects the oneOf branch by discriminator mapping and reports inside it', () => {
    expect(payment({ ...validPayment, mapped: { type: 'card', last4: 'abcd' } })).toEqual([
      { pointer: '/body/mapped/last4', detail: 'must match the pattern ^\\d{4}$', code: 'pattern' },
    ]);
    expect(payment({ ...validPayment, mapped: { type: 'cash' } })).toEqual([
      { pointer: '/body/mapped/type', detail: 'must be one of "card", "bank"', code: 'enum' },
    ]);
    expect(payment({ ...validPayment, mapped: { type: 'bank', iban: 'DE89370400440532013000' } })).toEqual([]);
  });

  it('reports a failed oneOf without a discriminator once, not per branch', () => {
    expect(payment({ ...validPayment, contact: { fax: '123' } })).toEqual([
      { pointer: '/body/contact', detail: 'must match exactly one of the allowed schemas', code: 'oneOf' },
    ]);
    expect(payment({ ...validPayment, contact: { phone: '+441234' } })).toEqual([]);
  });

  it('drops readOnly properties from required in requests and writeOnly ones in responses', () => {
    expect(customer({ email: 'a@b.co', password: 'long-enough' })).toEqual([]);
    expect(customer({ email: 'a@b.co' })).toEqual([{ pointer: '/body/password', detail: 'is required', code: 'required' }]);
    expect(check(() => v31, 'createCustomer_response_201_0', { email: 'a@b.co' })).toEqual([
      { pointer: '/body/id', detail: 'is required', code: 'required' },
      { pointer: '/body/created_at', detail: 'is required', code: 'required' },
    ]);
  });

  it('fills in defaults for requests, never for responses', () => {
    const body: Record<string, unknown> = { email: 'a@b.co', password: 'long-enough' };
    expect(customer(body)).toEqual([]);
    expect(body.kind).toBe('person');
    const response: Record<string, unknown> = { id: '0b0f4a4e-3c7b-4d1e-9a53-6a1c2c3d4e5f', email: 'a@b.co', created_at: '2026-11-23T10:00:00Z' };
    expect(check(() => v31, 'createCustomer_response_201_0', response)).toEqual([]);
    expect(response.kind).toBeUndefined();
  });

  it('validates header parameters by declared name', () => {
    expect(check(() => v31, 'createCustomer_headers', {}, '/header')).toEqual([{ pointer: '/header/Idempotency-Key', detail: 'is required', code: 'required' }]);
    expect(check(() => v31, 'putPayment_query', { limit: 101 }, '/query')).toEqual([{ pointer: '/query/limit', detail: 'must be <= 100', code: 'maximum' }]);
  });

  it('honours 3.1 type arrays', () => {
    expect(payment({ ...validPayment, note: null })).toEqual([]);
    expect(payment({ ...validPayment, note: 5 })).toEqual([{ pointer: '/body/note', detail: 'must be one of string, null', code: 'type' }]);
  });

  it('reads a `nullable: true` left in a 3.1 document as null allowed, as the generated types and values do', () => {
    expect(payment({ ...validPayment, memo: null })).toEqual([]);
    expect(payment({ ...validPayment, memo: 'x' })).toEqual([]);
    expect(payment({ ...validPayment, memo: 5 })).toEqual([{ pointer: '/body/memo', detail: 'must be one of string, null', code: 'type' }]);
  });

  describe('OpenAPI 3.0 semantics', () => {
    const pet = (value: unknown) => check(() => v30, 'createPet_body_0', value);

    it('allows null for nullable schemas, typed, enum and $ref alike', () => {
      expect(pet({ name: null, owner: null, status: null, weight: 1 })).toEqual([]);
      expect(pet({ name: 'Rex', owner: { name: 'Ada' }, status: 'sold', weight: 1 })).toEqual([]);
      expect(pet({ name: 'Rex', owner: {}, weight: 1 })).toEqual([{ pointer: '/body/owner/name', detail: 'is required', code: 'required' }]);
      expect(pet({ name: 'Rex', tag: null, weight: 1 })).toEqual([{ pointer: '/body/tag', detail: 'must be a string', code: 'type' }]);
    });

    it('reads a schema extending through allOf a base that constrains undeclared properties as inheritance', () => {
      const assembly = (value: unknown) => check(() => v30, 'putAssembly_body_0', value);
      expect(assembly({ assemblyName: 'a', content: 'c', createdTime: 't' })).toEqual([]);
      expect(assembly({ content: 'c' })).toEqual([{ pointer: '/body/assemblyName', detail: 'is required', code: 'required' }]);
      expect(assembly({ assemblyName: 'a', other: 1 })).toEqual([{ pointer: '/body/other', detail: 'is not an allowed property', code: 'unevaluatedProperties' }]);
      const user = (value: unknown) => check(() => v30, 'createUser_body_0', value);
      expect(user({ accountEnabled: true, surname: 'Lovelace' })).toEqual([]);
      expect(user({ accountEnabled: 'yes' })).toEqual([{ pointer: '/body/accountEnabled', detail: 'must be a boolean', code: 'type' }]);
      const factory = (value: unknown) => check(() => v30, 'putFactory_body_0', value);
      expect(factory({ location: 'westeurope', identity: {}, tags: {} })).toEqual([]);
      expect(factory({ location: 'westeurope', tags: 5 })).toEqual([{ pointer: '/body/tags', detail: 'must be an object', code: 'type' }]);
    });

    it('converts boolean exclusiveMinimum/exclusiveMaximum', () => {
      expect(pet({ name: 'Rex', weight: 0 })).toEqual([{ pointer: '/body/weight', detail: 'must be > 0', code: 'exclusiveMinimum' }]);
      expect(pet({ name: 'Rex', weight: 100 })).toEqual([]);
    });

    it('selects branches by discriminator with implicit mapping and checks int32', () => {
      const response = (value: unknown) => check(() => v30, 'createPet_response_201_0', value);
      expect(response({ petType: 'Cat', lives: 9 })).toEqual([]);
      expect(response({ petType: 'Dog', lives: 9 })).toEqual([{ pointer: '/body/bark', detail: 'is required', code: 'required' }]);
      expect(response({ petType: 'Cat', lives: 2 ** 40 })).toEqual([{ pointer: '/body/lives', detail: 'must be a valid int32', code: 'format' }]);
      expect(response({ petType: 'Bird' })).toEqual([{ pointer: '/body/petType', detail: 'must be one of "Cat", "Dog"', code: 'enum' }]);
    });

    it('maps a discriminator by the tag values its branches pin when there is no mapping', () => {
      const media = (value: unknown) => check(() => v30, 'putMedia_body_0', value);
      expect(media({ type: 'track', duration: 200 })).toEqual([]);
      expect(media({ type: 'episode' })).toEqual([{ pointer: '/body/show', detail: 'is required', code: 'required' }]);
      expect(media({ type: 'TrackObject' })).toEqual([{ pointer: '/body/type', detail: 'must be one of "track", "episode"', code: 'enum' }]);
    });

    it('validates allOf-inheritance branches without recursing into the parent', () => {
      const animal = (value: unknown) => check(() => v30, 'putAnimal_body_0', value);
      expect(animal({ kind: 'lion', name: 'Leo', mane: true })).toEqual([]);
      expect(animal({ kind: 'eagle', name: 'Sam', mane: true })).toEqual([{ pointer: '/body/wingspan', detail: 'is required', code: 'required' }]);
      expect(animal({ kind: 'lion', mane: true })).toEqual([{ pointer: '/body/name', detail: 'is required', code: 'required' }]);
    });
  });
});

describe('response header and form body plans', () => {
  const limit = { required: true, schema: { type: 'integer' } };
  const model = buildApiModel({
    path: '/virtual/headers.yaml',
    openapi: '3.1',
    document: {
      openapi: '3.1.0',
      info: { title: 'Headers', version: '1.0.0' },
      paths: {
        '/a': {
          post: {
            operationId: 'postA',
            requestBody: {
              content: {
                'multipart/form-data': {
                  schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' }, pages: { type: 'array', items: { contentMediaType: 'image/png' } }, n: { type: 'integer' } } },
                },
              },
            },
            responses: {
              '200': { description: 'A', headers: { 'RateLimit-Limit': limit, 'Content-Type': { required: true, schema: { type: 'string' } } } },
              '201': { description: 'B', headers: { 'RateLimit-Limit': limit } },
              '204': { description: 'C', headers: { 'content-length': limit } },
            },
          },
        },
      },
    },
  });
  const plan = planValidation(model);

  it('plans one validator per distinct header set, leaving Content-Type and Content-Length to the runtime', () => {
    expect(plan.operations.get('postA')!.responseHeaders).toEqual({ '200': 'postA_response_200_headers', '201': 'postA_response_200_headers' });
    expect(plan.entries.find((entry) => entry.name === 'postA_response_200_headers')!.schema).toEqual({
      type: 'object',
      properties: { 'RateLimit-Limit': { type: 'integer' } },
      required: ['RateLimit-Limit'],
    });
  });

  it('validates form bodies with file fields relaxed, keeping them required', () => {
    const validate = compileValidators(plan).postA_body_0!;
    expect(validate({ file: new Blob(['x']), pages: [new Blob(['y'])], n: 2 })).toBe(true);
    expect(toValidationIssues(validate({ n: 'x' }) ? [] : validate.errors, '/body')).toEqual([
      { pointer: '/body/file', detail: 'is required', code: 'required' },
      { pointer: '/body/n', detail: 'must be an integer', code: 'type' },
    ]);
  });
});

describe.each<Mode>(['in-memory', 'standalone'])('defaults in oneOf/anyOf branches (%s)', (mode) => {
  // Two closed account shapes: a failing Us branch must not leave its default `accountType` behind for Iban.
  const closed = (type: string, properties: Record<string, unknown>) => ({
    type: 'object',
    additionalProperties: false,
    required: ['type'],
    properties: { type: { type: 'string', enum: [type] }, ...properties },
  });
  const model = buildApiModel({
    path: '/virtual/branch-defaults.yaml',
    openapi: '3.1',
    document: {
      openapi: '3.1.0',
      info: { title: 'Branch defaults', version: '1.0.0' },
      paths: {
        '/accounts': {
          post: {
            operationId: 'createAccount',
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/NewAccount' } },
              },
            },
            responses: { '204': { description: 'Created' } },
          },
        },
      },
      components: {
        schemas: {
          NewAccount: {
            type: 'object',
            properties: {
              identification: { oneOf: [{ $ref: '#/components/schemas/Us' }, { $ref: '#/components/schemas/Iban' }] },
              holder: { anyOf: [{ $ref: '#/components/schemas/Us' }, { $ref: '#/components/schemas/Iban' }] },
              currency: { type: 'string', default: 'EUR' },
            },
          },
          Us: closed('us', { accountNumber: { type: 'string' }, accountType: { type: 'string', default: 'checking' } }),
          Iban: closed('iban', { iban: { type: 'string' } }),
        },
      },
    },
  });
  let validate: ValidateFunction;
  beforeAll(async () => {
    validate = (await loadValidators(planValidation(model), mode, directory)).createAccount_body_0!;
  });

  it('accepts every branch and fills in defaults outside the branches only', () => {
    const body: Record<string, unknown> = { identification: { type: 'iban', iban: 'NL91ABNA0417164300' }, holder: { type: 'iban', iban: 'NL91ABNA0417164300' } };
    expect(validate(body) ? [] : toValidationIssues(validate.errors, '/body')).toEqual([]);
    expect(body).toEqual({ identification: { type: 'iban', iban: 'NL91ABNA0417164300' }, holder: { type: 'iban', iban: 'NL91ABNA0417164300' }, currency: 'EUR' });
    expect(validate({ identification: { type: 'us', accountNumber: '12' } })).toBe(true);
    expect(validate({ identification: { type: 'iban', iban: 'x', accountType: 'checking' } })).toBe(false);
  });
});

describe('defaults of another type than their schema, outside its enum or breaking its string or number rules', () => {
  const model = buildApiModel({
    path: '/virtual/mistyped-defaults.yaml',
    openapi: '3.0',
    document: {
      openapi: '3.0.3',
      info: { title: 'Mistyped defaults', version: '1.0.0' },
      paths: {
        '/uploads': {
          post: {
            operationId: 'upload',
            parameters: [
              { name: 'resume', in: 'query', schema: { type: 'boolean', default: 'true' } },
              { name: 'limit', in: 'query', schema: { type: 'integer', default: 10 } },
              { name: 'note', in: 'query', schema: { type: 'string', nullable: true, default: null } },
              { name: 'sort_by', in: 'query', schema: { type: 'string', enum: ['name', 'expiration'], default: 'Name' } },
              { name: 'order', in: 'query', schema: { type: 'string', enum: ['asc', 'desc'], default: 'asc' } },
              { name: 'email_address', in: 'query', schema: { type: 'string', format: 'email', default: '' } },
              { name: 'code', in: 'query', schema: { type: 'string', pattern: '^[A-Z]{3}$', default: 'eur' } },
              { name: 'tag', in: 'query', schema: { type: 'string', minLength: 2, default: 'x' } },
              { name: 'currency', in: 'query', schema: { type: 'string', pattern: '^[A-Z]{3}$', minLength: 3, default: 'EUR' } },
              // The type comes through allOf and $ref (shipengine's insured_value: an array default for an object).
              { name: 'insured', in: 'query', schema: { allOf: [{ $ref: '#/components/schemas/Money' }], default: [{ amount: 0 }] } },
              { name: 'region', in: 'query', schema: { allOf: [{ $ref: '#/components/schemas/Region' }], default: 'eu' } },
              // cloudrf's modulation: 1 to 11, and 0 by default.
              { name: 'mod', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 11, default: 0 } },
              { name: 'ber', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 10, default: 0 } },
              { name: 'above', in: 'query', schema: { type: 'number', minimum: 0, exclusiveMinimum: true, default: 0 } },
              { name: 'below', in: 'query', schema: { type: 'number', maximum: 5, default: 6 } },
              { name: 'step', in: 'query', schema: { type: 'integer', multipleOf: 5, default: 7 } },
              { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, multipleOf: 1, default: 1 } },
            ],
            responses: { '204': { description: 'Uploaded' } },
          },
        },
      },
      components: {
        schemas: {
          Money: { type: 'object', properties: { amount: { type: 'integer' } } },
          Region: { type: 'string', enum: ['eu', 'us'] },
        },
      },
    },
  });

  it('are not filled in (a request leaving the parameter out stays valid); well-typed ones are', () => {
    const validate = compileValidators(planValidation(model)).upload_query!;
    const query: Record<string, unknown> = {};
    expect(validate(query) ? [] : toValidationIssues(validate.errors, '/query')).toEqual([]);
    expect(query).toEqual({ limit: 10, note: null, order: 'asc', currency: 'EUR', region: 'eu', ber: 0, page: 1 });
  });
});

describe('path parameters sharing a segment', () => {
  it("carry their enum's values, so the router can split the segment (healthcare.gov: {pageName}{mediaTypeExtension})", () => {
    const extension = { name: 'mediaTypeExtension', in: 'path', required: true, schema: { type: 'string', enum: ['.json'] } };
    const model = buildApiModel({
      path: '/virtual/shared-segment.yaml',
      openapi: '3.0',
      document: {
        openapi: '3.0.3',
        info: { title: 'Shared segment', version: '1.0.0' },
        paths: {
          '/blog/{pageName}{mediaTypeExtension}': {
            get: { operationId: 'getBlogPage', parameters: [{ name: 'pageName', in: 'path', required: true, schema: { type: 'string' } }, extension], responses: { '200': { description: 'OK' } } },
          },
          '/articles/{mediaTypeExtension}': { get: { operationId: 'getArticles', parameters: [extension], responses: { '200': { description: 'OK' } } } },
        },
      },
    });
    const [blog, articles] = createApiDefinition(model).definition.operations;
    expect(blog!.parameters.map((parameter) => parameter.values)).toEqual([undefined, ['.json']]);
    // A parameter alone in its segment needs no help from its values (and its validator checks them).
    expect(articles!.parameters[0]!.values).toBeUndefined();
  });
});

describe('parameters typed only by their enum', () => {
  it('are coerced to every type their values have: numbers and booleans both (nexmo: `delivered` is one of true, false, 0, 1)', () => {
    const parameter = (name: string, schema: unknown) => ({ name, in: 'query', schema });
    const model = buildApiModel({
      path: '/virtual/enum-typed.yaml',
      openapi: '3.0',
      document: {
        openapi: '3.0.3',
        info: { title: 'Enum-typed parameters', version: '1.0.0' },
        paths: {
          '/messages': {
            get: {
              operationId: 'listMessages',
              parameters: [
                parameter('delivered', { enum: [true, false, 0, 1] }),
                parameter('size', { enum: ['auto', 10, 20] }),
                parameter('ratio', { enum: [1, 1.5] }),
                parameter('flag', { enum: [true, false] }),
                parameter('order', { enum: ['asc', 'desc'] }),
                parameter('window', { anyOf: [{ type: 'boolean' }, { type: 'integer' }] }),
              ],
              responses: { '200': { description: 'OK' } },
            },
          },
        },
      },
    });
    const api = createApiDefinition(model);
    expect(Object.fromEntries(api.definition.operations[0]!.parameters.map((p) => [p.name, p.type]))).toEqual({
      delivered: 'scalar',
      size: 'integer',
      ratio: 'number',
      flag: 'boolean',
      order: 'string',
      window: 'scalar',
    });
    // Coerced that way, each value the enum lists passes its validator.
    const validate = api.validators[api.plan.operations.get('listMessages')!.query!]!;
    const query = { delivered: 1, size: 'auto', ratio: 1.5, window: true };
    expect(validate(query) ? [] : toValidationIssues(validate.errors, '/query')).toEqual([]);
  });
});

describe('header parameters OpenAPI ignores', () => {
  const mediaTypes = { type: 'string', enum: ['application/json', 'application/pdf'] };
  const model = buildApiModel({
    path: '/virtual/ignored-headers.yaml',
    openapi: '3.0',
    document: {
      openapi: '3.0.3',
      info: { title: 'Ignored headers', version: '1.0.0' },
      paths: {
        '/reports/{id}': {
          get: {
            operationId: 'getReport',
            parameters: [
              { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
              { name: 'accept', in: 'header', schema: mediaTypes },
              { name: 'Content-Type', in: 'header', required: true, schema: mediaTypes },
              { name: 'Authorization', in: 'header', required: true, schema: { type: 'string', pattern: '^Bearer ' } },
              { name: 'X-Request-Id', in: 'header', required: true, schema: { type: 'string' } },
            ],
            responses: { '200': { description: 'OK' } },
          },
        },
      },
    },
  });

  it('checks neither Accept, Content-Type nor Authorization, only the other headers', () => {
    const plan = planValidation(model);
    const name = plan.operations.get('getReport')!.headers!;
    expect(plan.entries.find((entry) => entry.name === name)!.schema).toEqual({
      type: 'object',
      properties: { 'X-Request-Id': { type: 'string' } },
      required: ['X-Request-Id'],
    });
    expect(createApiDefinition(model).definition.operations[0]!.parameters.map((parameter) => parameter.name)).toEqual(['id', 'X-Request-Id']);
  });
});

describe.each<Mode>(['in-memory', 'standalone'])('properties named like Object.prototype members (%s)', (mode) => {
  // Parsed from JSON, as a spec is: a `__proto__` key is the schema's own property (compiling it used to
  // throw: copied by assignment, it became the prototype of `properties`).
  const schema = JSON.parse('{"type":"object","required":["toString"],"properties":{"constructor":{"type":"string"},"toString":{"type":"string"},"__proto__":{"type":"integer"}}}');
  const model = buildApiModel({
    path: '/virtual/prototype-names.yaml',
    openapi: '3.1',
    document: {
      openapi: '3.1.0',
      info: { title: 'Prototype names', version: '1.0.0' },
      paths: { '/things': { post: { operationId: 'createThing', requestBody: { required: true, content: { 'application/json': { schema } } }, responses: { '204': { description: 'Created.' } } } } },
    },
  });

  it('reads only own properties: an omitted `constructor` is absent, an omitted required `toString` is missing', async () => {
    const validate = (await loadValidators(planValidation(model), mode, directory)).createThing_body_0!;
    expect(validate({ toString: 'x' }) ? [] : toValidationIssues(validate.errors, '/body')).toEqual([]);
    expect(validate({}) ? [] : toValidationIssues(validate.errors, '/body')).toEqual([{ pointer: '/body/toString', detail: 'is required', code: 'required' }]);
  });
});

describe('generateValidatorModule', () => {
  it('is deterministic and imports only the validation runtime', async () => {
    const model = buildApiModel({ path: '/virtual/v31.yaml', document: document31, openapi: '3.1' });
    const first = generateValidatorModule(planValidation(model));
    const second = generateValidatorModule(planValidation(model));
    expect(first).toBe(second);
    const imports = [...first.matchAll(/^import .* from '([^']+)';$/gm)].map((match) => match[1]);
    expect(imports).toEqual(['@finrail/server/validation']);
  });

  it('compiles every corpus spec', async (context) => {
    const corpus = fileURLToPath(new URL('../../../shared/specs-corpus', import.meta.url));
    const { readdir } = await import('node:fs/promises');
    let files: string[];
    try {
      files = (await readdir(corpus)).filter((file) => /\.(ya?ml|json)$/.test(file));
    } catch {
      console.log(`skipping corpus validation: ${corpus} is absent`);
      context.skip();
      return;
    }
    const { loadSpec } = await import('../src/input/load-spec.ts');
    for (const file of files) {
      const model = buildApiModel(await loadSpec(join(corpus, file)));
      const plan = planValidation(model);
      expect(Object.keys(compileValidators(plan)).length, file).toBe(plan.entries.length);
    }
    void readFile;
  });
});

describe('schemas as YAML parses them', () => {
  it('reads a bare null in a 3.1 type array (`type: [string, null]`) as the type "null"', () => {
    const model = buildApiModel({
      path: '/virtual/yaml-null.yaml',
      openapi: '3.1',
      document: {
        openapi: '3.1.0',
        info: { title: 'YAML null', version: '1.0.0' },
        paths: {
          '/notes': {
            post: {
              operationId: 'postNote',
              requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { note: { type: ['string', null] } } } } } },
              responses: { '204': { description: 'Saved' } },
            },
          },
        },
      },
    });
    const validate = compileValidators(planValidation(model)).postNote_body_0!;
    expect([validate({ note: null }), validate({ note: 'x' }), validate({ note: 5 })]).toEqual([true, true, false]);
  });
});

describe.each<Mode>(['in-memory', 'standalone'])('patterns only valid without the u flag (%s)', (mode) => {
  // Published specs carry patterns such as `[\w\%-=]`: escaped non-syntax characters are a
  // syntax error with the `u` flag ajv uses, yet valid ECMAScript in its legacy syntax.
  const document = {
    openapi: '3.1.0',
    info: { title: 'Legacy patterns', version: '1.0.0' },
    paths: {
      '/links': {
        post: {
          operationId: 'createLink',
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    url: { type: 'string', pattern: '^(https?:\\/\\/)?([\\da-z\\.-]+)\\.([a-z\\.]{2,6})([\\/\\w \\.?&\\%-=])*\\/?$' },
                    name: { type: 'string', pattern: '^\\p{Lu}+$' },
                  },
                },
              },
            },
          },
          responses: { '204': { description: 'Created' } },
        },
      },
    },
  };
  let validate: ValidateFunction;
  beforeAll(async () => {
    const validators = await loadValidators(planValidation(buildApiModel({ path: '/virtual/legacy.yaml', document, openapi: '3.1' })), mode, directory);
    validate = validators['createLink_body_0']!;
  });

  it('compiles them without the u flag and still checks them', () => {
    expect(validate({ url: 'https://example.com/a%20b' })).toBe(true);
    expect(validate({ url: 'not a url' })).toBe(false);
  });

  it('keeps the u flag for the patterns that are valid with it', () => {
    expect(validate({ name: 'ÉCOLE' })).toBe(true);
    expect(validate({ name: 'école' })).toBe(false);
  });
});

describe('templates carrying a query string (icons8, weatherbit)', () => {
  it('check the "path" parameters of the query part as query parameters', () => {
    const document = {
      openapi: '3.0.3',
      info: { title: 'Query in path', version: '1' },
      paths: {
        '/categories/{set}?platform={platform}': {
          get: {
            operationId: 'categories',
            parameters: [
              { name: 'set', in: 'path', required: true, schema: { type: 'string' } },
              { name: 'platform', in: 'path', required: true, schema: { type: 'string', enum: ['ios', 'android'] } },
            ],
            responses: { '204': { description: 'ok' } },
          },
        },
      },
    };
    const model = buildApiModel({ path: '/virtual/query-in-path.json', document, openapi: '3.0' });
    const validators = compileValidators(planValidation(model));
    expect(validators.categories_path!({ set: 'icons' })).toBe(true);
    expect(validators.categories_query!({ platform: 'ios' })).toBe(true);
    expect(validators.categories_query!({})).toBe(false);
  });
});

/** The API definition's fields of a form body with these properties and encodings (and component schemas). */
function urlencodedFields(properties: Record<string, unknown>, encoding: Record<string, unknown>, schemas: Record<string, unknown> = {}) {
  const document = {
    openapi: '3.0.3',
    info: { title: 'Forms', version: '1' },
    paths: {
      '/forms': {
        post: {
          operationId: 'submitForm',
          requestBody: { content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties }, encoding } } },
          responses: { '204': { description: 'Created' } },
        },
      },
    },
    components: { schemas },
  };
  const { definition } = createApiDefinition(buildApiModel({ path: '/virtual/forms.json', document, openapi: '3.0' }));
  return definition.operations[0]!.requestBody!.forms!['application/x-www-form-urlencoded']!;
}

describe('urlencoded object fields without an encoding', () => {
  it('are read as JSON, as the generated client writes them (salesloft: custom_fields, an array of objects)', () => {
    const fields = urlencodedFields(
      {
        name: { type: 'string', nullable: true },
        count: { type: 'integer', nullable: true },
        flag: { anyOf: [{ type: 'boolean' }, { type: 'null' }] },
        config: { type: 'object' },
        custom_fields: { type: 'array', items: { type: 'object' } },
        tags: { type: 'array', items: { type: 'string' } },
        owner: { type: 'object' },
      },
      { owner: { contentType: 'text/plain' } },
    );
    expect(fields.config!.json).toBe(true);
    // Blank inputs of nullable numbers and booleans read as null (twilio's `LastConsumedMessageIndex`).
    expect(fields.count).toMatchObject({ type: 'integer', nullable: true });
    expect(fields.flag).toMatchObject({ type: 'boolean', nullable: true });
    expect(fields.name!.nullable).toBeUndefined();
    expect(fields.custom_fields).toMatchObject({ type: 'array', items: 'object', json: true });
    expect(fields.name!.json).toBeUndefined();
    expect(fields.tags!.json).toBeUndefined();
    // An encoding that names another media type wins.
    expect(fields.owner!.json).toBeUndefined();
  });
});

describe('urlencoded deepObject fields in the API definition (stripe)', () => {
  it('carry the types of their nested numbers and booleans by path; a number beside text wins', () => {
    const fields = urlencodedFields(
      {
        dob: { anyOf: [{ type: 'object', properties: { day: { type: 'integer' }, year: { type: 'integer' } } }, { type: 'string', enum: [''] }] },
        items: { type: 'array', items: { $ref: '#/components/schemas/Item' } },
        name: { type: 'string' },
        amounts: { type: 'array', items: { type: 'integer' } },
        discounts: { anyOf: [{ type: 'array', items: { type: 'object' } }, { type: 'string', enum: [''] }] },
        trial_end: { anyOf: [{ type: 'string', enum: ['now'] }, { type: 'integer' }] },
      },
      { dob: { style: 'deepObject', explode: true }, items: { style: 'deepObject', explode: true }, amounts: { style: 'deepObject', explode: true } },
      { Item: { type: 'object', properties: { price: { type: 'string' }, quantity: { type: 'integer' }, gift: { type: 'boolean' } } } },
    );
    expect(fields.dob).toMatchObject({ deepObject: true, leaves: { day: 'integer', year: 'integer' } });
    expect(fields.items).toMatchObject({ type: 'array', deepObject: true, leaves: { '*.quantity': 'integer', '*.gift': 'boolean' } });
    expect(fields.name!.deepObject).toBeUndefined();
    // Item types also for an array sent as repeated fields (`amounts=32&amounts=45`), whatever its style.
    expect(fields.amounts).toMatchObject({ type: 'array', items: 'integer', deepObject: true, leaves: { '*': 'integer' } });
    expect(fields.amounts!.emptyString).toBeUndefined();
    // Stripe clears a list with an empty string: `discounts=`.
    expect(fields.discounts).toMatchObject({ type: 'array', emptyString: true });
    // `now` or a timestamp: coerced as a number, which leaves `now` as it is.
    expect(fields.trial_end!.type).toBe('integer');
  });
});
