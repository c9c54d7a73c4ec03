// Deserializes path, query, header and cookie parameters by OpenAPI `style`/`explode` and
// coerces them to the schema's JSON type, once per operation compiled into plain closures.
import { isJsonMediaType } from './media-types.ts';
import type { ParameterDefinition, ParameterLocation, ParameterStyle, TypeHint } from './types.ts';

/** Raw query string → decoded key → raw (still percent-encoded) values, in order. */
export type QueryValues = Map<string, string[]>;

export function parseQueryString(raw: string): QueryValues {
  const values: QueryValues = new Map();
  if (raw === '') return values;
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const key = decodeComponent(equals === -1 ? pair : pair.slice(0, equals));
    const value = equals === -1 ? '' : pair.slice(equals + 1);
    const list = values.get(key);
    if (list) list.push(value);
    else values.set(key, [value]);
  }
  return values;
}

export function parseCookieHeader(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const equals = part.indexOf('=');
    if (equals === -1) continue;
    const name = part.slice(0, equals).trim();
    if (name && !cookies.has(name)) cookies.set(name, part.slice(equals + 1).trim());
  }
  return cookies;
}

/** Percent-decodes a form-encoded component; malformed escapes are kept verbatim. */
export function decodeComponent(text: string): string {
  if (!text.includes('%') && !text.includes('+')) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function decodePathComponent(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Converts a string to the hinted JSON type when it is a faithful rendering of one. */
export function coerceScalar(value: string, hint: TypeHint | undefined): unknown {
  switch (hint) {
    case 'integer':
    case 'number':
      return NUMERIC.test(value) ? Number(value) : value;
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'scalar':
      return NUMERIC.test(value) ? Number(value) : value === 'true' ? true : value === 'false' ? false : value;
    case 'null':
      return isNullText(value) ? null : value;
    case 'object':
    case 'array': {
      // An object or array in a single text (a query array's items, a form field): its JSON text.
      if (!value.startsWith(hint === 'object' ? '{' : '[')) return value;
      const parsed = jsonOrText(value);
      return typeof parsed === 'object' && parsed !== null && Array.isArray(parsed) === (hint === 'array') ? parsed : value;
    }
    default:
      return value;
  }
}

/** How a text that may stand for null (a blank form input, or the word) spells it. */
export function isNullText(value: string): boolean {
  return value === '' || value === 'null';
}

/** The value a JSON text encodes, or the text itself when it is no JSON. */
export function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const NUMERIC = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export interface ParameterSources {
  /** Raw path values by parameter name. */
  path: Record<string, string>;
  query: QueryValues;
  header(name: string): string | undefined;
  cookies(): Map<string, string>;
}

export interface ParsedParameters {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  cookies: Record<string, unknown>;
}

type Reader = (sources: ParameterSources) => unknown;

interface CompiledParameter {
  in: ParameterLocation;
  key: string;
  read: Reader;
}

/** Compiles an operation's parameter list into one function producing coerced values. */
export function compileParameterParser(parameters: readonly ParameterDefinition[]): (sources: ParameterSources) => ParsedParameters {
  const claimedQueryKeys = new Set(parameters.filter((p) => p.in === 'query').map((p) => p.name));
  const compiled: CompiledParameter[] = parameters.map((parameter) => ({
    in: parameter.in,
    key: parameter.name,
    read: compileReader(parameter, claimedQueryKeys),
  }));
  return (sources) => {
    const parsed: ParsedParameters = { path: {}, query: {}, headers: {}, cookies: {} };
    for (const parameter of compiled) {
      const value = parameter.read(sources);
      if (value === undefined) continue;
      const target =
        parameter.in === 'path' ? parsed.path : parameter.in === 'query' ? parsed.query : parameter.in === 'header' ? parsed.headers : parsed.cookies;
      target[parameter.key] = value;
    }
    return parsed;
  };
}

function defaultStyle(location: ParameterLocation): ParameterStyle {
  return location === 'query' || location === 'cookie' ? 'form' : 'simple';
}

function compileReader(parameter: ParameterDefinition, claimedQueryKeys: Set<string>): Reader {
  const style = parameter.style ?? defaultStyle(parameter.in);
  const explode = parameter.explode ?? style === 'form';
  const name = parameter.name;
  if (parameter.contentType !== undefined) return compileContentReader(parameter);
  switch (parameter.in) {
    case 'path': {
      const decode = structuredDecoder(parameter, style, explode, decodePathComponent);
      return (sources) => {
        const raw = sources.path[name];
        return raw === undefined ? undefined : decode(raw);
      };
    }
    case 'header': {
      const lower = name.toLowerCase();
      const decode = structuredDecoder(parameter, 'simple', explode, (text) => text.trim());
      return (sources) => {
        const raw = sources.header(lower);
        return raw === undefined ? undefined : decode(raw);
      };
    }
    case 'cookie': {
      const decode = structuredDecoder(parameter, 'form', explode, decodePathComponent);
      return (sources) => {
        const raw = sources.cookies().get(name);
        return raw === undefined ? undefined : decode(raw);
      };
    }
    case 'query':
      return compileQueryReader(parameter, style, explode, claimedQueryKeys);
  }
}

function compileContentReader(parameter: ParameterDefinition): Reader {
  const json = isJsonMediaType(parameter.contentType ?? '');
  const convert = json ? jsonOrText : (text: string) => text;
  const name = parameter.name;
  switch (parameter.in) {
    case 'path':
      return (sources) => (sources.path[name] === undefined ? undefined : convert(decodePathComponent(sources.path[name])));
    case 'header':
      return (sources) => {
        const raw = sources.header(name.toLowerCase());
        return raw === undefined ? undefined : convert(raw);
      };
    case 'cookie':
      return (sources) => {
        const raw = sources.cookies().get(name);
        return raw === undefined ? undefined : convert(decodePathComponent(raw));
      };
    case 'query':
      return (sources) => {
        const raw = sources.query.get(name)?.[0];
        return raw === undefined ? undefined : convert(decodeComponent(raw));
      };
  }
}

/** Path, header and cookie values: one raw string, structured by style (RFC 6570 expansions). */
function structuredDecoder(
  parameter: ParameterDefinition,
  style: ParameterStyle,
  explode: boolean,
  decode: (text: string) => string,
): (raw: string) => unknown {
  const { type, items, properties, name } = parameter;
  let prefix = '';
  let separator = ',';
  if (style === 'label') {
    prefix = '.';
    separator = explode ? '.' : ',';
  } else if (style === 'matrix') {
    prefix = ';';
    separator = explode ? ';' : ',';
  }
  const strip = (raw: string): string => (prefix && raw.startsWith(prefix) ? raw.slice(prefix.length) : raw);
  const stripName = (text: string): string => (text.startsWith(`${name}=`) ? text.slice(name.length + 1) : text);

  if (type === 'array') {
    return (raw) => {
      let body = strip(raw);
      if (body === '') return [];
      if (style === 'matrix') {
        const parts = body.split(separator);
        return parts.map((part) => coerceScalar(decode(stripName(part)), items));
      }
      return body.split(separator).map((part) => coerceScalar(decode(part), items));
    };
  }
  if (type === 'object') {
    return (raw) => {
      let body = strip(raw);
      if (style === 'matrix' && !explode) body = stripName(body);
      if (body === '') return {};
      const object: Record<string, unknown> = {};
      const parts = body.split(separator);
      if (explode) {
        for (const part of parts) {
          const equals = part.indexOf('=');
          const key = decode(equals === -1 ? part : part.slice(0, equals));
          object[key] = coerceScalar(decode(equals === -1 ? '' : part.slice(equals + 1)), properties?.[key]);
        }
      } else {
        for (let index = 0; index + 1 < parts.length; index += 2) {
          const key = decode(parts[index]!);
          object[key] = coerceScalar(decode(parts[index + 1]!), properties?.[key]);
        }
      }
      return object;
    };
  }
  return (raw) => {
    let body = strip(raw);
    if (style === 'matrix') body = stripName(body);
    return coerceScalar(decode(body), type);
  };
}

function setPath(root: Record<string, unknown>, path: readonly string[], value: string): void {
  let node = root;
  for (const segment of path.slice(0, -1)) {
    const next = node[segment];
    node = (next !== null && typeof next === 'object' ? next : (node[segment] = {})) as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}

/** Nested objects keyed 0, 1, 2, … (`items[0][price]`) are the arrays they were sent from. */
function arraysFromIndexes(value: Record<string, unknown>): Record<string, unknown> {
  for (const [key, inner] of Object.entries(value)) {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) continue;
    const nested = arraysFromIndexes(inner as Record<string, unknown>);
    const keys = Object.keys(nested);
    value[key] = keys.length > 0 && keys.every((index, position) => index === String(position)) ? Object.values(nested) : nested;
  }
  return value;
}

function compileQueryReader(parameter: ParameterDefinition, style: ParameterStyle, explode: boolean, claimed: Set<string>): Reader {
  const { name, type, items, properties } = parameter;
  if (type === 'object') {
    if (style === 'deepObject') {
      const opening = `${name}[`;
      return (sources) => {
        let object: Record<string, unknown> | undefined;
        for (const [key, values] of sources.query) {
          if (!key.startsWith(opening) || !key.endsWith(']')) continue;
          // `name[a]` sets a property; `name[a][0][b]` (Stripe's nesting) sets a path, left as text below the first level.
          const path = key.slice(opening.length, -1).split('][');
          const value = decodeComponent(values[0]!);
          object ??= {};
          if (path.length === 1) object[path[0]!] = coerceScalar(value, properties?.[path[0]!]);
          else setPath(object, path, value);
        }
        return object && arraysFromIndexes(object);
      };
    }
    if (explode) {
      // Exploded form objects spread their properties over the query string.
      const declared = properties ? Object.keys(properties) : undefined;
      return (sources) => {
        let object: Record<string, unknown> | undefined;
        for (const [key, values] of sources.query) {
          if (declared ? !declared.includes(key) : claimed.has(key)) continue;
          object ??= {};
          const hint = properties?.[key];
          const first = decodeComponent(values[0]!);
          // An array property: JSON text (as Finrail's clients send it), else its repeated fields.
          object[key] = hint === 'array' && !first.startsWith('[') ? values.map(decodeComponent) : coerceScalar(first, hint);
        }
        return object;
      };
    }
    return (sources) => {
      const raw = sources.query.get(name)?.[0];
      if (raw === undefined) return undefined;
      const parts = raw.split(delimiterFor(style));
      const object: Record<string, unknown> = {};
      for (let index = 0; index + 1 < parts.length; index += 2) {
        const key = decodeComponent(parts[index]!);
        object[key] = coerceScalar(decodeComponent(parts[index + 1]!), properties?.[key]);
      }
      return object;
    };
  }
  if (type === 'array') {
    if (explode && style === 'form') {
      return (sources) => sources.query.get(name)?.map((raw) => coerceScalar(decodeComponent(raw), items));
    }
    const delimiter = delimiterFor(style);
    return (sources) => {
      const values = sources.query.get(name);
      if (values === undefined) return undefined;
      return values.flatMap((raw) => (raw === '' ? [] : splitDelimited(raw, delimiter).map((part) => coerceScalar(part, items))));
    };
  }
  return (sources) => {
    const raw = sources.query.get(name)?.[0];
    return raw === undefined ? undefined : coerceScalar(decodeComponent(raw), type);
  };
}

function delimiterFor(style: ParameterStyle): string {
  return style === 'spaceDelimited' ? ' ' : style === 'pipeDelimited' ? '|' : ',';
}

/** Splits on the literal or percent-encoded delimiter, decoding each part. */
function splitDelimited(raw: string, delimiter: string): string[] {
  if (delimiter === ',') return raw.split(',').map(decodeComponent);
  return decodeComponent(raw).split(delimiter);
}
