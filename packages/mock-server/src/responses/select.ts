import { byMockPreference, isInformationalStatus, mockStatusOf } from '@finrail/generators/model';
import { isJsonOrAnyMediaType, negotiate, toValidationIssues } from '@finrail/server';
import { generateValue, hashString, type BranchValidatorSource } from '../fake/index.ts';
import { headerValues } from './header-values.ts';
import type { ContentPlan, OperationPlan, ResponsePlan } from './plan.ts';
import type { ResponsePreferences } from './preferences.ts';

export interface SelectedResponse {
  status: number;
  /** Absent for responses without a body. */
  mediaType?: string;
  body?: unknown;
  headers: Record<string, string>;
  /**
   * Where the body came from, for the access log: 'example:<name>', 'schema-example', 'dynamic',
   * 'dynamic-invalid' (generated, but no attempt passed the response validator) or 'empty'.
   */
  source: string;
  /** For 'dynamic-invalid': what the response validator found wrong with the last draw, e.g. '/email: must be a valid email'. */
  problems?: string[];
}

export type Selection = { ok: true; response: SelectedResponse } | { ok: false; detail: string };

export interface SelectionContext {
  /** The request's Accept header. */
  accept: string | undefined;
  /** The mock's --seed. */
  seed: number;
  /** Identifies the request (method, path, query) so dynamic bodies differ per resource but replay exactly. */
  requestKey: string;
  document: unknown;
  /** Per-branch oneOf/anyOf validators (ValidatedApi.branchValidators): dynamic bodies then match one branch. */
  branchValidators?: BranchValidatorSource;
}

const DYNAMIC_ATTEMPTS = 5;

/**
 * Chooses the response the mock serves: the preferred (or lowest 2xx) status, a media type the
 * client accepts, and a body from the named or first valid example, a schema example, or the schema.
 */
export function selectResponse(plan: OperationPlan, preferences: ResponsePreferences, context: SelectionContext): Selection {
  // OpenAPI 3.1 makes `responses` optional: an operation documenting none answers 204.
  if (plan.responses.length === 0 && !preferences.code) return { ok: true, response: { status: 204, headers: {}, source: 'empty' } };
  if (preferences.code !== undefined && isInformationalStatus(preferences.code)) {
    return { ok: false, detail: `the mock answers with final responses only, and ${preferences.code} is informational (it performs no protocol switch)` };
  }
  const response = chooseResponse(plan, preferences);
  if (!response) {
    const documented = plan.responses.map((candidate) => candidate.status).join(', ') || 'none';
    return { ok: false, detail: `operation ${plan.operation.operationId} documents no response with status ${preferences.code ?? '2xx'} (documented: ${documented})` };
  }
  const requested = preferences.code !== undefined && /^[1-5]\d\d$/.test(preferences.code) ? Number(preferences.code) : undefined;
  const status = mockStatusOf(response, requested);
  const headers = documentedHeaders(response, context, `${plan.operation.operationId}|${response.status}`);
  if (response.contents.length === 0) return { ok: true, response: { status, headers, source: 'empty' } };

  if (preferences.example && !preferences.dynamic) {
    for (const content of orderByAccept(response.contents, context.accept)) {
      const example = content.examples.find((candidate) => candidate.name === preferences.example);
      if (example) return { ok: true, response: { status, headers, mediaType: content.mediaType, body: example.value, source: `example:${example.name}` } };
    }
    const names = response.contents.flatMap((content) => content.examples.map((example) => example.name));
    return { ok: false, detail: `response ${response.status} of ${plan.operation.operationId} has no valid example named "${preferences.example}" (available: ${names.join(', ') || 'none'})` };
  }

  const content = orderByAccept(response.contents, context.accept)[0] as ContentPlan;
  const base = { status, headers, mediaType: content.mediaType };
  if (!preferences.dynamic) {
    const example = content.examples[0];
    if (example) return { ok: true, response: { ...base, body: example.value, source: `example:${example.name}` } };
    const schemaExample = content.schemaExamples[0];
    if (schemaExample) return { ok: true, response: { ...base, body: schemaExample.value, source: 'schema-example' } };
  }
  if (content.schema === undefined) return { ok: true, response: { ...base, body: undefined, source: 'empty' } };
  const { body, valid } = dynamicBody(plan, response, content, context);
  if (valid) return { ok: true, response: { ...base, body, source: 'dynamic' } };
  const problems = toValidationIssues(content.validate?.errors).map((issue) => `${issue.pointer || '/'}: ${issue.detail}`);
  return { ok: true, response: { ...base, body, source: 'dynamic-invalid', problems } };
}

function chooseResponse(plan: OperationPlan, preferences: ResponsePreferences): ResponsePlan | undefined {
  const { responses } = plan;
  if (preferences.code) {
    const code = preferences.code.toUpperCase();
    return (
      responses.find((response) => response.status === code) ??
      responses.find((response) => response.kind === 'range' && response.status[0] === code[0]) ??
      responses.find((response) => response.kind === 'default')
    );
  }
  if (preferences.example && !preferences.dynamic) {
    const hasExample = (response: ResponsePlan): boolean => response.contents.some((content) => content.examples.some((example) => example.name === preferences.example));
    // Not found anywhere: the default response, whose error message lists what is available.
    return byMockPreference(responses).find(hasExample) ?? byMockPreference(responses)[0];
  }
  return byMockPreference(responses)[0];
}

/** The media type the client accepts best first (runtime negotiation); JSON first when it says nothing. */
function orderByAccept(contents: readonly ContentPlan[], accept: string | undefined): ContentPlan[] {
  const offered = [...contents].sort((a, b) => Number(isJsonOrAnyMediaType(b.mediaType)) - Number(isJsonOrAnyMediaType(a.mediaType)));
  const chosen = negotiate(accept, offered.map((content) => content.mediaType));
  const index = offered.findIndex((content) => content.mediaType === chosen);
  return index <= 0 ? offered : [offered[index] as ContentPlan, ...offered.filter((_, position) => position !== index)];
}

/** A generated body, redrawn until the response validator accepts it (the last draw when none does). */
function dynamicBody(plan: OperationPlan, response: ResponsePlan, content: ContentPlan, context: SelectionContext): { body: unknown; valid: boolean } {
  let body: unknown;
  for (let attempt = 0; attempt < DYNAMIC_ATTEMPTS; attempt++) {
    const seed = hashString(`${context.seed}|${plan.operation.operationId}|${response.status}|${content.mediaType}|${context.requestKey}|${attempt}`);
    body = generateValue(content.schema, { seed, document: context.document, direction: 'response', branchValidators: context.branchValidators });
    if (!content.validate || content.validate(body)) return { body, valid: true };
  }
  return { body, valid: false };
}

/** Header values depend only on the spec and the seed: computed once per response. */
const headerCache = new WeakMap<ResponsePlan, Map<number, Record<string, string>>>();
function documentedHeaders(response: ResponsePlan, context: SelectionContext, key: string): Record<string, string> {
  let bySeed = headerCache.get(response);
  if (!bySeed) headerCache.set(response, (bySeed = new Map()));
  let headers = bySeed.get(context.seed);
  if (!headers) bySeed.set(context.seed, (headers = headerValues(response.headers, { seed: context.seed, document: context.document, key })));
  return { ...headers };
}
