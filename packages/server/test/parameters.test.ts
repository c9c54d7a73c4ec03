import { describe, expect, it } from 'vitest';
import { compileParameterParser, parseQueryString, type ParameterDefinition } from '../src/index.ts';

function parse(parameter: ParameterDefinition, raw: { path?: string; query?: string; header?: string; cookie?: string }) {
  const parser = compileParameterParser([parameter]);
  const parsed = parser({
    path: raw.path !== undefined ? { [parameter.name]: raw.path } : {},
    query: parseQueryString(raw.query ?? ''),
    header: (name) => (name === parameter.name.toLowerCase() ? raw.header : undefined),
    cookies: () => new Map(raw.cookie !== undefined ? [[parameter.name, raw.cookie]] : []),
  });
  const location = parameter.in === 'header' ? 'headers' : parameter.in === 'cookie' ? 'cookies' : parameter.in;
  return parsed[location][parameter.name];
}

const id = (extra: Partial<ParameterDefinition>): ParameterDefinition => ({ name: 'id', in: 'path', required: true, type: 'integer', ...extra });
const object = { r: 'integer', g: 'integer' } as const;

describe('path parameters (OpenAPI style examples)', () => {
  it.each([
    ['simple', false, 'integer', '5', 5],
    ['simple', false, 'array', '3,4,5', [3, 4, 5]],
    ['simple', false, 'object', 'r,100,g,200', { r: 100, g: 200 }],
    ['simple', true, 'object', 'r=100,g=200', { r: 100, g: 200 }],
    ['label', false, 'integer', '.5', 5],
    ['label', false, 'array', '.3,4,5', [3, 4, 5]],
    ['label', true, 'array', '.3.4.5', [3, 4, 5]],
    ['label', false, 'object', '.r,100,g,200', { r: 100, g: 200 }],
    ['label', true, 'object', '.r=100.g=200', { r: 100, g: 200 }],
    ['matrix', false, 'integer', ';id=5', 5],
    ['matrix', false, 'array', ';id=3,4,5', [3, 4, 5]],
    ['matrix', true, 'array', ';id=3;id=4;id=5', [3, 4, 5]],
    ['matrix', false, 'object', ';id=r,100,g,200', { r: 100, g: 200 }],
    ['matrix', true, 'object', ';r=100;g=200', { r: 100, g: 200 }],
  ] as const)('%s explode=%s %s %s', (style, explode, type, raw, expected) => {
    const parameter = id({ style, explode, type, items: 'integer', properties: object });
    expect(parse(parameter, { path: raw })).toEqual(expected);
  });

  it('percent-decodes after splitting', () => {
    expect(parse(id({ type: 'array', items: 'string' }), { path: 'a%2Cb,c%20d' })).toEqual(['a,b', 'c d']);
  });
});

describe('query parameters', () => {
  const q = (extra: Partial<ParameterDefinition>): ParameterDefinition => ({ name: 'id', in: 'query', required: false, type: 'integer', ...extra });

  it.each([
    ['form', true, 'integer', 'id=5', 5],
    ['form', true, 'array', 'id=3&id=4&id=5', [3, 4, 5]],
    ['form', false, 'array', 'id=3,4,5', [3, 4, 5]],
    ['spaceDelimited', false, 'array', 'id=3%204%205', [3, 4, 5]],
    ['pipeDelimited', false, 'array', 'id=3|4|5', [3, 4, 5]],
    ['form', false, 'object', 'id=r,100,g,200', { r: 100, g: 200 }],
    ['form', true, 'object', 'r=100&g=200&other=1', { r: 100, g: 200 }],
    ['deepObject', true, 'object', 'id%5Br%5D=100&id[g]=200', { r: 100, g: 200 }],
  ] as const)('%s explode=%s %s %s', (style, explode, type, raw, expected) => {
    expect(parse(q({ style, explode, type, items: 'integer', properties: object }), { query: raw })).toEqual(expected);
  });

  it('coerces only faithful renderings and leaves the rest for the validator to reject', () => {
    expect(parse(q({ type: 'number' }), { query: 'id=-1.5e3' })).toBe(-1500);
    expect(parse(q({ type: 'integer' }), { query: 'id=12abc' })).toBe('12abc');
    expect(parse(q({ type: 'boolean' }), { query: 'id=true' })).toBe(true);
    expect(parse(q({ type: 'boolean' }), { query: 'id=yes' })).toBe('yes');
    expect(parse(q({ type: 'string' }), { query: 'id=a+b%26c' })).toBe('a b&c');
    expect(parse(q({ type: 'integer' }), { query: 'other=1' })).toBeUndefined();
    // A number or a boolean, whichever the text spells (an enum of both).
    expect([parse(q({ type: 'scalar' }), { query: 'id=1' }), parse(q({ type: 'scalar' }), { query: 'id=false' }), parse(q({ type: 'scalar' }), { query: 'id=maybe' })]).toEqual([1, false, 'maybe']);
  });

  it('reads the items of an exploded array of objects from their JSON text (AWS query-protocol `Tags`), and leaves other text alone', () => {
    const tag = (key: string) => encodeURIComponent(JSON.stringify({ Key: key, Value: 'v' }));
    expect(parse(q({ type: 'array', items: 'object' }), { query: `id=${tag('a')}&id=${tag('b')}` })).toEqual([
      { Key: 'a', Value: 'v' },
      { Key: 'b', Value: 'v' },
    ]);
    expect(parse(q({ type: 'array', items: 'object' }), { query: `id=${encodeURIComponent('[1]')}&id=%7Bbroken` })).toEqual(['[1]', '{broken']);
  });

  it('reads the objects and arrays among an exploded object\'s properties from their JSON text, arrays also from repeated fields (AWS EventDestination)', () => {
    const destination = q({ style: 'form', explode: true, type: 'object', properties: { Name: 'string', Types: 'array', Target: 'object' } });
    const json = (value: unknown) => encodeURIComponent(JSON.stringify(value));
    expect(parse(destination, { query: `Name=d&Types=${json(['send', 'bounce'])}&Target=${json({ Arn: 'a' })}` })).toEqual({ Name: 'd', Types: ['send', 'bounce'], Target: { Arn: 'a' } });
    expect(parse(destination, { query: 'Name=d&Types=send&Types=bounce' })).toEqual({ Name: 'd', Types: ['send', 'bounce'] });
  });

  it('parses JSON content parameters', () => {
    expect(parse(q({ type: 'object', contentType: 'application/json' }), { query: `id=${encodeURIComponent('{"a":[1]}')}` })).toEqual({ a: [1] });
  });
});

describe('header and cookie parameters', () => {
  it('reads simple-style headers and form-style cookies', () => {
    expect(parse({ name: 'X-Ids', in: 'header', required: false, type: 'array', items: 'integer' }, { header: '1, 2,3' })).toEqual([1, 2, 3]);
    expect(parse({ name: 'X-Meta', in: 'header', required: false, type: 'object', explode: true }, { header: 'a=1,b=2' })).toEqual({ a: '1', b: '2' });
    expect(parse({ name: 'count', in: 'cookie', required: false, type: 'integer' }, { cookie: '42' })).toBe(42);
  });
});
