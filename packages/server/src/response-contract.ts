// Checks a handler's response against the operation's documented responses: status, media type
// and body schema. Violations point into the response (`/body/amount`; '' for the status).
import { isJsonOrAnyMediaType, matchDeclared } from './media-types.ts';
import type { OperationDefinition, ResponseDefinition, ValidationIssue } from './types.ts';
import { toValidationIssues } from './validation-errors.ts';

/** The documented response a status falls under, and the `responses` key that documents it. */
export interface DocumentedResponse {
  key: string;
  definition: ResponseDefinition;
}

export function findResponse(definition: OperationDefinition, status: number): DocumentedResponse | undefined {
  const exact = String(status);
  const range = `${exact[0]}XX`;
  for (const key of [exact, range, range.toLowerCase(), 'default']) {
    const found = definition.responses[key];
    if (found) return { key, definition: found };
  }
  return undefined;
}

export function checkResponse(
  definition: OperationDefinition,
  documented: DocumentedResponse | undefined,
  status: number,
  contentType: string | undefined,
  body: unknown,
): ValidationIssue[] {
  if (!documented) {
    // '' points at the whole response: it is the status, not any field, that is off contract.
    return [{ pointer: '', detail: `status ${status} is not a documented response`, code: 'undocumented_status' }];
  }
  const declared = documented.definition.contentTypes;
  if (body === undefined) {
    return [];
  }
  if (declared.length === 0) {
    return [{ pointer: '/body', detail: `response ${documented.key} is documented without a body`, code: 'undocumented_body' }];
  }
  const mediaType = matchDeclared(declared, contentType ?? '');
  if (mediaType === undefined) {
    return [{ pointer: '/header/Content-Type', detail: `${contentType} is not documented for response ${documented.key}`, code: 'undocumented_media_type' }];
  }
  const validate = definition.validators.responses?.[documented.key]?.[mediaType];
  if (validate && !validate(body instanceof SerializedJson ? JSON.parse(body.text) : body)) return toValidationIssues(validate.errors, '/body');
  return [];
}

/**
 * A JSON response body serialised once, ahead of time, for answers repeated over and over (a mock's
 * examples). Sent as the string it is: node:http writes a string body in one write with the head,
 * where bytes take a second.
 */
export class SerializedJson {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

export function serialize(body: unknown, contentType: string): string | Uint8Array {
  if (body instanceof Uint8Array) return body;
  if (body instanceof SerializedJson) return body.text;
  if (typeof body === 'string' && !isJsonOrAnyMediaType(contentType)) return body;
  return JSON.stringify(body);
}
