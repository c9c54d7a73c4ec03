// `finrail contracts check`: does every interaction of a pact stay within the OpenAPI document?
// Requests and responses are validated with the server runtime's own routing, parameter coercion
// and compiled validators (createApiDefinition), so a pact passes exactly when the real server
// would accept its request and its response-validation would accept its response. Responses are
// additionally checked against a closed copy of their schemas: optional fields may be missing,
// undeclared ones may not be present.
import {
  compileParameterParser,
  compileResponseHeadersCheck,
  matchDeclared,
  PathRouter,
  routeParams,
  toValidationIssues,
  type OperationDefinition,
  type ResponseHeadersCheck,
  type ValidateFunction,
} from '@finrail/server';
import { loadSpec } from '../input/load-spec.ts';
import { buildApiModel } from '../model/build.ts';
import type { ApiModel, SpecSource } from '../model/types.ts';
import { createApiDefinition } from '../validation/api-definition.ts';
import { closeResponseSchemas } from './close-schemas.ts';
import { readPactFile, type PactFile, type PactInteraction } from './pact-file.ts';

export interface ContractViolation {
  /** The pact file, as given. */
  file: string;
  interaction: string;
  /** JSON pointer into the interaction: `/request/body/amount`, `/response/status`, ... */
  pointer: string;
  message: string;
}

/** One line per violation: `<pact file>  <interaction description>  <pointer>  <message>`. */
export function formatViolation(violation: ContractViolation): string {
  return `${violation.file}  ${violation.interaction}  ${violation.pointer}  ${violation.message}`;
}

interface Checked {
  definition: OperationDefinition;
  closedResponses: OperationDefinition['validators']['responses'];
  parseParameters: ReturnType<typeof compileParameterParser>;
  checkHeaders: ResponseHeadersCheck | undefined;
}

/** Compiled once per spec, reusable across pact files. */
export class ContractChecker {
  readonly #router = new PathRouter<Checked>();
  readonly #basePaths: string[];

  constructor(spec: SpecSource) {
    const model = buildApiModel(spec);
    const closedModel = buildApiModel({ ...spec, document: closeResponseSchemas(spec.document) });
    const open = createApiDefinition(model).definition.operations;
    const closed = new Map(createApiDefinition(closedModel).definition.operations.map((op) => [op.operationId, op]));
    for (const definition of open) {
      this.#router.add(definition.path, definition.method, {
        definition,
        closedResponses: closed.get(definition.operationId)?.validators.responses,
        parseParameters: compileParameterParser(definition.parameters),
        checkHeaders: compileResponseHeadersCheck(definition),
      });
    }
    this.#basePaths = basePaths(model);
  }

  check(pact: PactFile): ContractViolation[] {
    const violations: ContractViolation[] = [];
    for (const interaction of pact.interactions) {
      const report = (pointer: string, message: string) =>
        violations.push({ file: pact.file, interaction: interaction.description, pointer, message });
      this.#checkInteraction(interaction, report);
    }
    return violations;
  }

  #checkInteraction(interaction: PactInteraction, report: (pointer: string, message: string) => void): void {
    const { request, response } = interaction;
    const match = this.#findPath(request.path);
    if (!match) {
      report('/request/path', `no documented path matches ${request.path}`);
      return;
    }
    const route = match.routes.get(request.method);
    if (!route) {
      const documented = [...match.routes.keys()].map((m) => m.toUpperCase()).join(', ');
      const template = match.routes.values().next().value?.template ?? request.path;
      report('/request/method', `${request.method.toUpperCase()} is not documented for ${template} (documented: ${documented})`);
      return;
    }
    const operation = route.value;
    // A 400 interaction exists to show the provider rejecting a malformed request: the request is
    // expected to break the schema, so only its routing is checked.
    if (response.status !== 400) this.#checkRequest(operation, routeParams(route, match.values), interaction, report);
    this.#checkResponse(operation, interaction, report);
  }

  #findPath(path: string) {
    for (const base of this.#basePaths) {
      if (base !== '' && !(path === base || path.startsWith(`${base}/`))) continue;
      const found = this.#router.find(path.slice(base.length) || '/');
      if (found) return found;
    }
    return undefined;
  }

  #checkRequest(
    operation: Checked,
    pathValues: Record<string, string>,
    { request }: PactInteraction,
    report: (pointer: string, message: string) => void,
  ): void {
    const { validators, requestBody, operationId } = operation.definition;
    const parsed = operation.parseParameters({
      path: pathValues,
      query: new Map(Object.entries(request.query).map(([name, values]) => [name, values.map(encodeURIComponent)])),
      header: (name) => request.headers[name.toLowerCase()]?.join(', '),
      cookies: () => new Map(),
    });
    reportIssues(validators.path, parsed.path, '/request/path', report);
    reportIssues(validators.query, parsed.query, '/request/query', report);
    reportIssues(validators.headers, parsed.headers, '/request/headers', report);

    if (!request.body) {
      if (requestBody?.required) report('/request/body', `is required by ${operationId}`);
      return;
    }
    if (!requestBody) {
      report('/request/body', `${operationId} documents no request body`);
      return;
    }
    const declared = matchDeclared(requestBody.contentTypes, request.body.contentType);
    if (!declared) {
      report(
        '/request/headers/content-type',
        `${request.body.contentType || '(none)'} is not a documented request media type (documented: ${requestBody.contentTypes.join(', ')})`,
      );
      return;
    }
    reportIssues(validators.body?.[declared], request.body.value, '/request/body', report);
  }

  #checkResponse(operation: Checked, { response }: PactInteraction, report: (pointer: string, message: string) => void): void {
    const { responses, validators, operationId } = operation.definition;
    const key = [String(response.status), `${String(response.status)[0]}XX`, 'default'].find((k) => k in responses);
    if (!key) {
      report('/response/status', `${response.status} is not a documented status of ${operationId} (documented: ${Object.keys(responses).join(', ')})`);
      return;
    }
    // A pact lists only the headers its consumer relies on: the values it has are checked, absence is not.
    for (const issue of operation.checkHeaders?.(key, (name) => response.headers[name]?.join(', ')) ?? []) {
      if (issue.code !== 'required') report(issue.pointer.replace(/^\/header/, '/response/headers'), issue.detail);
    }
    if (!response.body) return;
    const contentTypes = responses[key]!.contentTypes;
    if (contentTypes.length === 0) {
      report('/response/body', `the documented ${key} response of ${operationId} has no body`);
      return;
    }
    const declared = matchDeclared(contentTypes, response.body.contentType);
    if (!declared) {
      report(
        '/response/headers/content-type',
        `${response.body.contentType || '(none)'} is not a documented media type of the ${key} response (documented: ${contentTypes.join(', ')})`,
      );
      return;
    }
    const issues = reportIssues(validators.responses?.[key]?.[declared], response.body.value, '/response/body', report);
    const closed = operation.closedResponses?.[key]?.[declared];
    if (!closed || closed(response.body.value)) return;
    // Closing adds only `unevaluatedProperties: false`, so those are the errors it is about.
    const undeclared = (closed.errors ?? []).filter((error) => error.keyword === 'unevaluatedProperties');
    for (const issue of toValidationIssues(undeclared, '/response/body')) {
      if (!issues.has(issue.pointer)) report(issue.pointer, 'is not declared by the response schema');
    }
  }
}

/** Validates and reports; returns the pointers reported. */
function reportIssues(
  validate: ValidateFunction | undefined,
  value: unknown,
  prefix: string,
  report: (pointer: string, message: string) => void,
): Set<string> {
  const pointers = new Set<string>();
  if (!validate || validate(value)) return pointers;
  for (const issue of toValidationIssues(validate.errors, prefix)) {
    pointers.add(issue.pointer);
    report(issue.pointer, issue.detail);
  }
  return pointers;
}

/** Base paths a pact's paths may carry: every server's, longest first, then none. */
function basePaths(model: ApiModel): string[] {
  const paths = new Set(model.servers.map((server) => server.basePath).filter((path) => path !== ''));
  return [...[...paths].sort((a, b) => b.length - a.length), ''];
}

export function checkPact(pact: PactFile, spec: SpecSource): ContractViolation[] {
  return new ContractChecker(spec).check(pact);
}

export interface CheckPactFilesResult {
  violations: ContractViolation[];
  interactions: number;
  /** Non-HTTP interactions left out, per pact file. */
  skipped: Array<{ file: string; interaction: string }>;
}

/**
 * Loads the spec once and checks each pact file against it. Throws `SpecInputError` for an
 * unusable spec and `PactInputError` for an unusable pact (both: exit code 2).
 */
export async function checkPactFiles(pactFiles: readonly string[], specPath: string): Promise<CheckPactFilesResult> {
  const checker = new ContractChecker(await loadSpec(specPath));
  const result: CheckPactFilesResult = { violations: [], interactions: 0, skipped: [] };
  for (const file of pactFiles) {
    const pact = await readPactFile(file);
    result.interactions += pact.interactions.length;
    result.violations.push(...checker.check(pact));
    result.skipped.push(...pact.skipped.map((interaction) => ({ file, interaction })));
  }
  return result;
}
