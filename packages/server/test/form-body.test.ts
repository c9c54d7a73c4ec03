import { describe, expect, it } from 'vitest';
import type { ApiDefinition, HandlerMap } from '../src/index.ts';
import { compile } from './fixture.ts';
import { ADAPTERS, start } from './harness.ts';

const URLENCODED = 'application/x-www-form-urlencoded';
const MULTIPART = 'multipart/form-data';

const transferSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['amount', 'currency'],
  properties: {
    amount: { type: 'integer', minimum: 1 },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    instant: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'integer' } },
    rate: { type: 'number' },
    metadata: { type: 'object', required: ['ref'], properties: { ref: { type: 'string' } } },
    // File fields are relaxed by the generator: the runtime hands them over as Blobs.
    receipt: true,
    note: { type: 'string', default: 'none' },
    lastRead: { type: ['integer', 'null'] },
  },
};
const fields = {
  amount: { type: 'integer' },
  currency: { type: 'string' },
  instant: { type: 'boolean' },
  tags: { type: 'array', items: 'integer' },
  rate: { type: 'number' },
  metadata: { type: 'object', json: true },
  receipt: { type: 'string', binary: true },
  note: { type: 'string' },
  lastRead: { type: 'integer', nullable: true },
} as const;

const api: ApiDefinition = {
  operations: [
    {
      operationId: 'createTransfer',
      method: 'post',
      path: '/transfers',
      parameters: [],
      requestBody: { required: true, contentTypes: [URLENCODED, MULTIPART], forms: { [URLENCODED]: fields, [MULTIPART]: fields } },
      responses: { '200': { contentTypes: ['application/json'] } },
      validators: {
        body: {
          [URLENCODED]: compile(transferSchema, { useDefaults: true }),
          [MULTIPART]: compile(transferSchema, { useDefaults: true }),
        },
      },
    },
  ],
};

let received: Record<string, unknown> | undefined;
const handlers: HandlerMap = {
  createTransfer: ({ body }) => {
    received = body as Record<string, unknown>;
    return { status: 200, body: {} };
  },
};

async function multipart(form: FormData): Promise<{ headers: Record<string, string>; body: Uint8Array }> {
  const request = new Request('http://example.test', { method: 'POST', body: form });
  return { headers: { 'content-type': request.headers.get('content-type')! }, body: new Uint8Array(await request.arrayBuffer()) };
}

describe.each(ADAPTERS)('form bodies over the %s adapter', (adapter) => {
  const urlencoded = { 'content-type': URLENCODED };

  it('urlencoded: coerces fields and reaches the handler with typed values', async () => {
    received = undefined;
    const send = await start(adapter, api, handlers);
    const response = await send('/transfers', { method: 'POST', headers: urlencoded, body: 'amount=250&currency=EUR&instant=true&tags=1&tags=2&rate=0.5' });
    expect(response.status).toBe(200);
    expect(received).toEqual({ amount: 250, currency: 'EUR', instant: true, tags: [1, 2], rate: 0.5, note: 'none' });
  });

  it('urlencoded: a blank or `null` value of a nullable number is null; of a number that is not nullable, a 400', async () => {
    const send = await start(adapter, api, handlers);
    for (const [value, expected] of [['', null], ['null', null], ['7', 7]] as const) {
      received = undefined;
      expect((await send('/transfers', { method: 'POST', headers: urlencoded, body: `amount=1&currency=EUR&lastRead=${value}` })).status).toBe(200);
      expect(received!.lastRead).toBe(expected);
    }
    const blankAmount = await send('/transfers', { method: 'POST', headers: urlencoded, body: 'amount=&currency=EUR' });
    expect(blankAmount.json.errors).toEqual([{ pointer: '/body/amount', detail: 'must be an integer', code: 'type' }]);
  });

  it('urlencoded: answers 400 with a pointer per missing or mistyped field', async () => {
    const send = await start(adapter, api, handlers);
    const response = await send('/transfers', { method: 'POST', headers: urlencoded, body: 'amount=ten&instant=maybe&tags=1&tags=x' });
    expect(response.status).toBe(400);
    expect(response.json.type).toBe('https://docs.finrail.dev/problems/invalid-request');
    expect(response.json.errors).toEqual([
      { pointer: '/body/currency', detail: 'is required', code: 'required' },
      { pointer: '/body/amount', detail: 'must be an integer', code: 'type' },
      { pointer: '/body/instant', detail: 'must be a boolean', code: 'type' },
      { pointer: '/body/tags/1', detail: 'must be an integer', code: 'type' },
    ]);
    const repeated = await send('/transfers', { method: 'POST', headers: urlencoded, body: 'amount=1&amount=2&currency=EUR' });
    expect(repeated.json.errors).toEqual([{ pointer: '/body/amount', detail: 'must be an integer', code: 'type' }]);
  });

  it('multipart: coerces text parts, parses JSON parts and hands file parts over as Blobs', async () => {
    received = undefined;
    const form = new FormData();
    form.append('amount', '99');
    form.append('currency', 'GBP');
    form.append('tags', '7');
    form.append('metadata', new Blob([JSON.stringify({ ref: 'inv-1' })], { type: 'application/json' }));
    form.append('receipt', new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' }), 'receipt.png');
    const send = await start(adapter, api, handlers);
    const response = await send('/transfers', { method: 'POST', ...(await multipart(form)) });
    expect(response.status).toBe(200);
    const { receipt, ...rest } = received!;
    expect(rest).toEqual({ amount: 99, currency: 'GBP', tags: [7], metadata: { ref: 'inv-1' }, note: 'none' });
    expect(receipt).toBeInstanceOf(Blob);
    expect([...new Uint8Array(await (receipt as Blob).arrayBuffer())]).toEqual([1, 2, 3]);
  });

  it('multipart: answers 400 for missing and mistyped fields, and for a body that is not multipart', async () => {
    const form = new FormData();
    form.append('amount', '-5');
    form.append('metadata', '{"reference":1}');
    form.append('extra', 'x');
    const send = await start(adapter, api, handlers);
    const response = await send('/transfers', { method: 'POST', ...(await multipart(form)) });
    expect(response.status).toBe(400);
    expect(response.json.errors).toEqual([
      { pointer: '/body/currency', detail: 'is required', code: 'required' },
      { pointer: '/body/extra', detail: 'is not an allowed property', code: 'additionalProperties' },
      { pointer: '/body/amount', detail: 'must be >= 1', code: 'minimum' },
      { pointer: '/body/metadata/ref', detail: 'is required', code: 'required' },
    ]);
    const broken = await send('/transfers', { method: 'POST', headers: { 'content-type': `${MULTIPART}; boundary=nope` }, body: 'not multipart' });
    expect(broken.status).toBe(400);
    expect(broken.json.errors).toEqual([{ pointer: '/body', detail: 'the body is not valid multipart/form-data', code: 'malformed_form' }]);
  });
});

describe('urlencoded deepObject fields (`metadata[order]=1001`)', () => {
  const schema = {
    type: 'object',
    required: ['amount', 'metadata'],
    properties: {
      amount: { type: 'integer' },
      metadata: { type: 'object', required: ['order'], additionalProperties: false, properties: { order: { type: 'string' }, attempt: { type: 'integer', minimum: 1 } } },
    },
  };
  const deepApi: ApiDefinition = {
    operations: [
      {
        operationId: 'createTransfer',
        method: 'post',
        path: '/transfers',
        parameters: [],
        requestBody: {
          required: true,
          contentTypes: [URLENCODED],
          forms: { [URLENCODED]: { amount: { type: 'integer' }, metadata: { type: 'object', deepObject: true, properties: { order: 'string', attempt: 'integer' } } } },
        },
        responses: { '200': { contentTypes: ['application/json'] } },
        validators: { body: { [URLENCODED]: compile(schema) } },
      },
    ],
  };

  it('reach the handler as objects with coerced properties', async () => {
    const send = await start('node', deepApi, handlers);
    const response = await send('/transfers', { method: 'POST', headers: { 'content-type': URLENCODED }, body: 'amount=500&metadata%5Border%5D=A+1001&metadata[attempt]=2' });
    expect(response.status).toBe(200);
    expect(received).toEqual({ amount: 500, metadata: { order: 'A 1001', attempt: 2 } });
  });

  it('nest in bracket notation, arrays from indexes (Stripe: `expand[0]`, `items[0][price]`)', async () => {
    const nestedSchema = {
      type: 'object',
      properties: {
        expand: { type: 'array', items: { type: 'string' } },
        items: {
          type: 'array',
          items: { type: 'object', properties: { price: { type: 'string' }, quantity: { type: 'integer' }, gift: { type: 'boolean' }, tags: { type: 'array', items: { type: 'string' } } } },
        },
        prices: { type: 'object', additionalProperties: { type: 'object', properties: { amount: { type: 'integer' } } } },
      },
    };
    const nestedApi: ApiDefinition = {
      operations: [
        {
          ...deepApi.operations[0]!,
          requestBody: {
            required: true,
            contentTypes: [URLENCODED],
            forms: {
              [URLENCODED]: {
                expand: { type: 'array', deepObject: true },
                items: { type: 'array', deepObject: true, leaves: { '*.quantity': 'integer', '*.gift': 'boolean' } },
                prices: { type: 'object', deepObject: true, leaves: { '*.amount': 'integer' } },
              },
            },
          },
          validators: { body: { [URLENCODED]: compile(nestedSchema) } },
        },
      ],
    };
    const send = await start('fetch', nestedApi, handlers);
    const body = 'expand[0]=customer&expand[1]=invoice&items[0][price]=p_1&items[0][quantity]=2&items[0][tags][0]=a&items[1][price]=p_2&items[1][gift]=true&prices[eur][amount]=100';
    const response = await send('/transfers', { method: 'POST', headers: { 'content-type': URLENCODED }, body });
    expect(response.status).toBe(200);
    expect(received).toEqual({ expand: ['customer', 'invoice'], items: [{ price: 'p_1', quantity: 2, tags: ['a'] }, { price: 'p_2', gift: true }], prices: { eur: { amount: 100 } } });
  });

  it('take array fields as repeated fields too, and a lone empty value as the empty string that clears them (Stripe)', async () => {
    const listSchema = {
      type: 'object',
      properties: {
        amounts: { type: 'array', items: { type: 'integer' } },
        discounts: { anyOf: [{ type: 'array', items: { type: 'object' } }, { type: 'string', enum: [''] }] },
      },
    };
    const listApi: ApiDefinition = {
      operations: [
        {
          ...deepApi.operations[0]!,
          requestBody: {
            required: true,
            contentTypes: [URLENCODED],
            forms: { [URLENCODED]: { amounts: { type: 'array', items: 'integer', deepObject: true, leaves: { '*': 'integer' } }, discounts: { type: 'array', deepObject: true, emptyString: true } } },
          },
          validators: { body: { [URLENCODED]: compile(listSchema) } },
        },
      ],
    };
    const send = await start('fetch', listApi, handlers);
    const post = (body: string) => send('/transfers', { method: 'POST', headers: { 'content-type': URLENCODED }, body });
    expect((await post('amounts=32&amounts=45&discounts=')).status).toBe(200);
    expect(received).toEqual({ amounts: [32, 45], discounts: '' });
    expect((await post('amounts[0]=32&discounts[0][coupon]=c1')).status).toBe(200);
    expect(received).toEqual({ amounts: [32], discounts: [{ coupon: 'c1' }] });
  });

  it('are validated property by property', async () => {
    const send = await start('fetch', deepApi, handlers);
    const response = await send('/transfers', { method: 'POST', headers: { 'content-type': URLENCODED }, body: 'amount=500&metadata[attempt]=zero&metadata[colour]=red' });
    expect(response.status).toBe(400);
    expect(response.json.errors.map((error: { pointer: string }) => error.pointer).sort()).toEqual(['/body/metadata/attempt', '/body/metadata/colour', '/body/metadata/order']);
  });
});
