import { relative } from 'node:path';
import { createApiDefinition, type ApiModel, type BranchValidators, type OperationModel } from '@finrail/generators/model';
import { createRouter, essence, HttpProblem, isJsonOrAnyMediaType, PROBLEM_CONTENT_TYPE, SerializedJson, type Handler, type HandlerOutput, type Logger, type Router, type SecurityOptions } from '@finrail/server';
import { planOperation, type ExampleProblem, type OperationPlan } from '../responses/plan.ts';
import { hasPreferences, parsePreferences } from '../responses/preferences.ts';
import { selectResponse, type SelectedResponse } from '../responses/select.ts';
import { deliverWebhooks, webhookTriggers, type WebhookOptions } from './webhooks.ts';

/** Response header naming where the mock's body came from (`example:main`, `dynamic`, `dynamic-invalid`, ...). */
export const MOCK_SOURCE_HEADER = 'x-finrail-mock-source';

export interface RouteEntry {
  method: string;
  /** Full path: mount base path + path template. */
  path: string;
  operationId: string;
  /** The spec file, relative to the working directory. */
  spec: string;
}

/** One spec served by the mock: its model, runtime router and what start-up found. */
export interface MockApi {
  spec: string;
  /** Every file the spec was read from (for --watch). */
  files: string[];
  model: ApiModel;
  basePath: string;
  router: Router;
  routes: RouteEntry[];
  exampleProblems: ExampleProblem[];
}

export interface MockApiOptions {
  basePath: string;
  seed: number;
  /** Runtime security options, or false when --no-auth. */
  security: SecurityOptions | false;
  cors: boolean;
  logger: Logger;
  webhooks: Omit<WebhookOptions, 'logger'>;
  /** Webhook deliveries in flight, so callers (tests, shutdown) can wait for them. */
  track: (delivery: Promise<void>) => void;
}

/**
 * Builds the mock for one spec's model on the server runtime: the same operation table and
 * in-memory validators a generated server uses, with handlers answering from examples.
 */
export function createMockApi(model: ApiModel, files: string[], options: MockApiOptions): MockApi {
  const { definition, branchValidators } = createApiDefinition(model);
  const byId = new Map(definition.operations.map((operation) => [operation.operationId, operation]));
  const exampleProblems: ExampleProblem[] = [];
  const handlers: Record<string, Handler> = {};
  for (const operation of model.operations) {
    const plan = planOperation(model, operation, (op, status, mediaType) => byId.get(op.operationId)?.validators.responses?.[status]?.[mediaType], exampleProblems, byId.get(operation.operationId));
    handlers[operation.operationId] = mockHandler(model, operation, plan, branchValidators, options);
  }
  const router = createRouter(definition, handlers, {
    basePath: options.basePath,
    security: options.security,
    cors: options.cors,
    logger: options.logger,
    accessLog: false,
    // Examples were validated at start-up and generated bodies are validated as they are made.
    validateResponses: false,
  });
  const spec = relative(process.cwd(), model.specPath) || model.specPath;
  const routes = model.operations.map((operation) => ({ method: operation.method.toUpperCase(), path: `${options.basePath}${operation.path}`, operationId: operation.operationId, spec }));
  return { spec, files, model, basePath: options.basePath, router, routes, exampleProblems };
}

function mockHandler(model: ApiModel, operation: OperationModel, plan: OperationPlan, branchValidators: BranchValidators, options: MockApiOptions): Handler {
  // Webhooks (not callbacks) go only to --webhook-url: without one they have nowhere to go.
  const deliverable = options.webhooks.url !== undefined || operation.callbacks.length > 0;
  const triggers = deliverable ? webhookTriggers(model, operation, options.seed, branchValidators).filter((trigger) => trigger.kind === 'callback' || options.webhooks.url !== undefined) : [];
  const byAccept = new Map<string, HandlerOutput>();
  const warnInvalid = onceForOperation(operation, options.logger);
  return (input): HandlerOutput => {
    const { request } = input;
    const prefer = request.header('prefer');
    const accept = request.header('accept');
    // Without preferences the answer depends only on Accept (unless generated): prepared once.
    const plain = !hasPreferences(prefer, request.rawQuery);
    let output = plain ? byAccept.get(accept ?? '') : undefined;
    if (!output) {
      const selection = selectResponse(plan, plain ? {} : parsePreferences(prefer, request.rawQuery), {
        accept,
        seed: options.seed,
        requestKey: `${request.method} ${request.path}?${request.rawQuery}`,
        document: model.document,
        branchValidators,
      });
      if (!selection.ok) throw new HttpProblem(400, 'mock-preference-unsatisfiable', { detail: selection.detail });
      output = toOutput(selection.response);
      if (selection.response.source === 'dynamic-invalid') warnInvalid(selection.response.status, selection.response.problems ?? []);
      if (plain && !selection.response.source.startsWith('dynamic') && byAccept.size < ACCEPT_VARIANTS) byAccept.set(accept ?? '', output);
    }
    if (triggers.length > 0 && output.status < 300) {
      options.track(
        new Promise<void>((resolve) => setImmediate(resolve)).then(() => deliverWebhooks(triggers, input, { ...options.webhooks, logger: options.logger })),
      );
    }
    // Prepared answers are shared between requests: each gets its own headers object to extend.
    return { ...output, headers: { ...output.headers } };
  };
}

/** Warns that generated bodies of an operation fail its response schema: once, not on every request. */
function onceForOperation(operation: OperationModel, logger: Logger): (status: number, problems: readonly string[]) => void {
  let warned = false;
  return (status, problems) => {
    if (warned) return;
    warned = true;
    logger.warn(
      { operationId: operation.operationId, status, source: 'dynamic-invalid', problems: problems.slice(0, 5) },
      `generated response for ${operation.operationId} does not match its schema (sent with ${MOCK_SOURCE_HEADER}: dynamic-invalid; warned once)`,
    );
  };
}

/** Distinct Accept headers whose prepared answer an operation keeps (clients send a few, over and over). */
const ACCEPT_VARIANTS = 32;

/**
 * The handler's answer, with the body already serialised (the runtime sends it as it is), except
 * problem documents: the runtime adds the request id to those.
 */
function toOutput(response: SelectedResponse): HandlerOutput {
  const { mediaType, body } = response;
  // Text for a non-JSON media type is sent as it is.
  const json = mediaType !== undefined && body !== undefined && essence(mediaType) !== PROBLEM_CONTENT_TYPE && (typeof body !== 'string' || isJsonOrAnyMediaType(mediaType));
  return {
    status: response.status,
    body: json ? new SerializedJson(JSON.stringify(body)) : body,
    contentType: mediaType,
    headers: { ...response.headers, [MOCK_SOURCE_HEADER]: response.source },
  };
}
