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
    const token = preferenceToken(part);
    if (token) apply(preferences, token.name, token.value);
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

/** One `name=value` of a Prefer header: the name lower-cased, the value unquoted; undefined without `=`. */
function preferenceToken(text: string): { name: string; value: string } | undefined {
  const separator = text.indexOf('=');
  if (separator === -1) return undefined;
  return { name: text.slice(0, separator).trim().toLowerCase(), value: unquote(text.slice(separator + 1).trim()) };
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

const MOCK_PREFERENCES = new Set(['code', 'example', 'dynamic']);

/**
 * For an operation that declares a `Prefer` header of its own (Azure's `Prefer: return=representation`):
 * the request with the mock's preferences moved out of that header into their query form, so the
 * header the spec describes is validated as the client sent it for the API. Undefined when the
 * header carries none of the mock's preferences.
 */
export function withPreferencesInQuery(preferHeader: string, rawQuery: string): { prefer: string | undefined; rawQuery: string } | undefined {
  const own: string[] = [];
  const moved: string[] = [];
  // Read as parsePreferences reads them (`,` and `;` between preferences, Prism's `code=200; example=x`):
  // what it takes for the mock's moves to the query; everything else stays, as written.
  for (const preference of preferHeader.split(',')) {
    const kept: string[] = [];
    for (const text of preference.split(';')) {
      const token = preferenceToken(text);
      if (token && MOCK_PREFERENCES.has(token.name)) moved.push(`${QUERY_PREFIX}${token.name}=${encodeURIComponent(token.value)}`);
      else if (text.trim() !== '') kept.push(text.trim());
    }
    if (kept.length > 0) own.push(kept.join('; '));
  }
  if (moved.length === 0) return undefined;
  // Appended as text: the rest of the query reaches the API exactly as it was sent.
  return { prefer: own.length > 0 ? own.join(', ') : undefined, rawQuery: [rawQuery, ...moved].filter((part) => part !== '').join('&') };
}
