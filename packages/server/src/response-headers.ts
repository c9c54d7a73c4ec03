// Checks a response's headers against the documented ones: each is read and coerced exactly as a
// header parameter is, then validated by the status's compiled validator. Violations point at the
// header as documented (`/header/RateLimit-Limit`).
import { compileParameterParser, type ParameterSources } from './parameters.ts';
import type { OperationDefinition, ValidationIssue } from './types.ts';
import { toValidationIssues } from './validation-errors.ts';

/** A response header by lower-cased name; repeated headers joined with `, `. */
export type HeaderLookup = (name: string) => string | undefined;

/** Checks the headers of a response documented under a `responses` key (`200`, `4XX`, `default`). */
export type ResponseHeadersCheck = (key: string, header: HeaderLookup) => ValidationIssue[];

/** Undefined when no response of the operation documents a header: nothing to check. */
export function compileResponseHeadersCheck(definition: OperationDefinition): ResponseHeadersCheck | undefined {
  const checks = new Map<string, (header: HeaderLookup) => ValidationIssue[]>();
  for (const [key, response] of Object.entries(definition.responses)) {
    const validate = definition.validators.responseHeaders?.[key];
    if (!validate || !response.headers || response.headers.length === 0) continue;
    const parse = compileParameterParser(response.headers);
    checks.set(key, (header) => {
      const values = parse({ ...NO_SOURCES, header }).headers;
      return validate(values) ? [] : toValidationIssues(validate.errors, '/header');
    });
  }
  if (checks.size === 0) return undefined;
  return (key, header) => checks.get(key)?.(header) ?? [];
}

const NO_COOKIES: Map<string, string> = new Map();
const NO_SOURCES: Omit<ParameterSources, 'header'> = { path: {}, query: new Map(), cookies: () => NO_COOKIES };
