// What ahead-of-time compiled (ajv standalone) validators import at run time: the format
// checkers and ajv's small runtime helpers. Kept free of node-only modules so validators also
// run in browsers (msw) and edge runtimes.
import * as ajvFormats from 'ajv-formats/dist/formats.js';
import * as equal from 'ajv/dist/runtime/equal.js';
import * as timestamp from 'ajv/dist/runtime/timestamp.js';
import * as ucs2length from 'ajv/dist/runtime/ucs2length.js';
import * as uri from 'ajv/dist/runtime/uri.js';
import * as validationError from 'ajv/dist/runtime/validation_error.js';

type FormatDefinition = (typeof ajvFormats.fullFormats)[keyof typeof ajvFormats.fullFormats];

/** ajv-formats' full formats, which already cover OpenAPI's int32/int64/float/double/byte/binary/password. */
export const formats: Readonly<Record<string, FormatDefinition>> = unwrap(ajvFormats).fullFormats;

/** Whether a string meets a named format as the validators check it (formats they do not know accept anything). */
export function meetsFormat(format: string, value: string): boolean {
  const definition: unknown = formats[format];
  const check = definition !== null && typeof definition === 'object' && !(definition instanceof RegExp) ? (definition as { type?: string; validate?: unknown }) : { validate: definition };
  if (check.type !== undefined && check.type !== 'string') return true;
  if (check.validate instanceof RegExp) return check.validate.test(value);
  return typeof check.validate === 'function' ? Boolean((check.validate as (text: string) => unknown)(value)) : true;
}

/** ajv's runtime helpers by module name (`ajv/dist/runtime/<name>`), as standalone code requires them. */
export const ajvRuntime: Readonly<Record<string, unknown>> = {
  equal: unwrap(equal).default,
  timestamp: unwrap(timestamp).default,
  ucs2length: unwrap(ucs2length).default,
  uri: unwrap(uri).default,
  validation_error: unwrap(validationError).default,
};

/**
 * The RegExp for a schema `pattern`. ajv asks for the `u` flag; many published specs carry
 * patterns that are only valid without it (`[\w\%-=]`: escaped non-syntax characters), which
 * browsers and Node accept in their legacy syntax. Those fall back to it instead of failing.
 */
export function patternRegExp(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    if (!flags.includes('u')) throw error;
    // Java's POSIX classes (`\p{XDigit}`, `\p{Alpha}`: AWS) mean ASCII ranges; without the `u`
    // flag `\p` would be a plain `p` and the pattern would match nothing real.
    const posix = withPosixClasses(pattern);
    if (posix !== pattern) {
      try {
        return new RegExp(posix, flags);
      } catch {
        // Not only POSIX classes were the trouble: fall through to the legacy syntax.
      }
    }
    return new RegExp(pattern, flags.replace('u', ''));
  }
}

/** Java's POSIX character classes as the ranges they stand for (US-ASCII). */
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};

/** `pattern` with each `\p{Name}` of POSIX_CLASSES spelled as its range (bare inside a character class). */
function withPosixClasses(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '\\') {
      const name = /^p\{(\w+)\}/.exec(pattern.slice(i + 1))?.[1];
      const range = name === undefined ? undefined : POSIX_CLASSES[name];
      if (range !== undefined) {
        out += inClass ? range : `[${range}]`;
        i += name!.length + 3;
      } else {
        out += char + (pattern[i + 1] ?? '');
        i++;
      }
      continue;
    }
    if (char === '[' && !inClass) inClass = true;
    else if (char === ']' && inClass) inClass = false;
    out += char;
  }
  return out;
}

/** CommonJS modules imported from ESM expose their exports under `default` in some loaders. */
function unwrap<T extends object>(module: T): T {
  const inner = (module as { default?: unknown }).default;
  return inner && typeof inner === 'object' && !(module as Record<string, unknown>).fullFormats && 'default' in (inner as object)
    ? (inner as T)
    : module;
}
