// Media type matching for Content-Type (415) and Accept (406) negotiation.

/** `application/JSON; charset=utf-8` → `application/json`. */
export function essence(contentType: string): string {
  const semicolon = contentType.indexOf(';');
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

/**
 * A JSON media type: a `json` subtype (application/json, and text/json, which ASP.NET specs list
 * beside it) or a `+json` suffix (application/problem+json, application/vnd.x+json).
 */
export function isJsonMediaType(mediaType: string): boolean {
  const type = essence(mediaType);
  return type.endsWith('/json') || type.endsWith('+json');
}

/** A JSON media type, or a wildcard range (any type, any application type), whose bodies a spec means to go as JSON. */
export function isJsonOrAnyMediaType(mediaType: string): boolean {
  const type = essence(mediaType);
  return isJsonMediaType(type) || type === '*/*' || type === 'application/*';
}

/** Does a concrete media type fall within a (possibly wildcard) range? */
export function mediaTypeMatches(range: string, concrete: string): boolean {
  if (range === '*/*' || range === concrete) return true;
  if (range.endsWith('/*')) return concrete.startsWith(range.slice(0, -1));
  return false;
}

/** The declared media type (key of `content`) that a request's Content-Type matches. */
export function matchDeclared(declared: readonly string[], contentType: string): string | undefined {
  const concrete = essence(contentType);
  return (
    declared.find((range) => essence(range) === concrete) ??
    declared.find((range) => range.endsWith('/*') && range !== '*/*' && mediaTypeMatches(essence(range), concrete)) ??
    declared.find((range) => range === '*/*')
  );
}

interface AcceptRange {
  range: string;
  q: number;
}

function parseAccept(header: string): AcceptRange[] {
  const ranges: AcceptRange[] = [];
  for (const part of header.split(',')) {
    const [rawRange, ...params] = part.split(';');
    const range = rawRange!.trim().toLowerCase();
    if (!range) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=');
      if (key?.trim() === 'q' && value !== undefined) q = Number(value.trim()) || 0;
    }
    ranges.push({ range, q });
  }
  return ranges;
}

/**
 * The best of the offered media types for an Accept header, or undefined when none is acceptable.
 * Offered wildcards (`*\/*` documented in the spec) accept anything.
 */
export function negotiate(acceptHeader: string | undefined, offered: readonly string[]): string | undefined {
  if (offered.length === 0) return undefined;
  if (!acceptHeader || acceptHeader.trim() === '') return offered[0];
  const ranges = parseAccept(acceptHeader);
  let best: string | undefined;
  let bestQ = 0;
  for (const candidate of offered) {
    const concrete = essence(candidate);
    let q = -1;
    let specificity = -1;
    for (const { range, q: rangeQ } of ranges) {
      const matches = mediaTypeMatches(range, concrete) || mediaTypeMatches(concrete, range);
      if (!matches) continue;
      const rangeSpecificity = range === '*/*' ? 0 : range.endsWith('/*') ? 1 : 2;
      if (rangeSpecificity > specificity) {
        specificity = rangeSpecificity;
        q = rangeQ;
      }
    }
    if (q > bestQ) {
      best = candidate;
      bestQ = q;
    }
  }
  return best;
}
