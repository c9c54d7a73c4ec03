/**
 * Prism-compatible response preferences: the `Prefer` header (`code=404, example=insufficient_funds,
 * dynamic=true`) and the query forms `__code`, `__example`, `__dynamic`. The query wins when both
 * are given, since it is the more explicit of the two in a browser address bar.
 */
export interface ResponsePreferences {
  /** A status code ('404'); matches a documented code, its range ('4XX') or 'default'. */
  code?: string;
  /** Name of a documented example (a key under `examples`). */
  example?: string;
  /** Generate the body from the schema instead of using an example. */
  dynamic?: boolean;
}

const QUERY_PREFIX = '__';

/** Whether a request states any preference at all (most do not: they get the default answer). */
export function hasPreferences(preferHeader: string | undefined, rawQuery: string): boolean {
  return preferHeader !== undefined || rawQuery.includes(QUERY_PREFIX);
}

export function parsePreferences(preferHeader: string | undefined, rawQuery: string): ResponsePreferences {
  const preferences: ResponsePreferences = {};
  for (const part of (preferHeader ?? '').split(/[,;]/)) {
    const separator = part.indexOf('=');
    if (separator === -1) continue;
    apply(preferences, part.slice(0, separator).trim().toLowerCase(), unquote(part.slice(separator + 1).trim()));
  }
  if (rawQuery.includes(QUERY_PREFIX)) {
    for (const [key, value] of new URLSearchParams(rawQuery)) {
      if (key.startsWith(QUERY_PREFIX)) apply(preferences, key.slice(QUERY_PREFIX.length).toLowerCase(), value);
    }
  }
  return preferences;
}

function apply(preferences: ResponsePreferences, key: string, value: string): void {
  if (key === 'code' && value !== '') preferences.code = value;
  else if (key === 'example' && value !== '') preferences.example = value;
  else if (key === 'dynamic') preferences.dynamic = value === '' || value.toLowerCase() === 'true';
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

