import type { ApiModel, OperationModel, RequestBodyModel } from '@finrail/generators/model';
import { isJsonMediaType, type HandlerInput, type Logger } from '@finrail/server';
import { generateValue, hashString, isSchemaObject, resolveSchemaRef, type BranchValidatorSource } from '../fake/index.ts';
import { signWebhook } from './webhook-signature.ts';

/** One delivery an operation triggers: a documented webhook or one of its callbacks. */
export interface WebhookTrigger {
  /** The webhook name (`wallet.created`) or `<callback name>` for callbacks. */
  event: string;
  kind: 'webhook' | 'callback';
  /** Callbacks only: the runtime expression giving the target URL. */
  expression?: string;
  method: string;
  body: unknown;
}

export interface WebhookOptions {
  /** Where webhooks (and callbacks, when set) are delivered. */
  url?: string;
  secret: string;
  logger: Logger;
  /** Delivery timeout in ms. Default 5 s. */
  timeout?: number;
}

const WEBHOOKS_EXTENSION = 'x-finrail-webhooks';

/**
 * What an operation triggers: each callback it declares, and the documented webhooks it names —
 * in an `x-finrail-webhooks: [event, ...]` extension, or else in its description as a code span
 * (``the `wallet.withdrawal.settled` webhook is sent``). OpenAPI has no standard link from an
 * operation to a top-level webhook.
 */
export function webhookTriggers(model: ApiModel, operation: OperationModel, seed: number, branchValidators?: BranchValidatorSource): WebhookTrigger[] {
  const triggers: WebhookTrigger[] = [];
  for (const callback of operation.callbacks) {
    for (const target of callback.operations) {
      triggers.push({ event: callback.name, kind: 'callback', expression: callback.expression, method: target.method.toUpperCase(), body: exampleRequestBody(model, target.requestBody, `${seed}|${target.operationId}`, branchValidators) });
    }
  }
  const declared = operation.extensions[WEBHOOKS_EXTENSION];
  const described = `${operation.summary ?? ''}\n${operation.description ?? ''}`;
  const named = Array.isArray(declared)
    ? declared
    : model.webhooks.map((webhook) => webhook.webhookName).filter((name) => described.includes(`\`${name}\``));
  for (const name of new Set(named)) {
    const webhook = model.webhooks.find((candidate) => candidate.webhookName === name);
    if (!webhook) continue;
    triggers.push({ event: name, kind: 'webhook', method: webhook.method.toUpperCase(), body: exampleRequestBody(model, webhook.requestBody, `${seed}|${name}`, branchValidators) });
  }
  return triggers;
}

/** The documented example of a request body, else its schema's example, else a generated one. */
function exampleRequestBody(model: ApiModel, requestBody: RequestBodyModel | undefined, seed: string, branchValidators: BranchValidatorSource | undefined): unknown {
  const content = requestBody?.contents.find((candidate) => isJsonMediaType(candidate.mediaType)) ?? requestBody?.contents[0];
  if (!content) return undefined;
  const example = content.examples.find((candidate) => 'value' in candidate);
  if (example) return example.value;
  const schema = isSchemaObject(content.schema) && typeof content.schema.$ref === 'string' ? resolveSchemaRef(model.document, content.schema.$ref) : content.schema;
  if (isSchemaObject(schema)) {
    if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
    if ('example' in schema) return schema.example;
  }
  return generateValue(content.schema, { seed: hashString(seed), document: model.document, direction: 'request', branchValidators });
}

/** Delivers the triggers of a completed request, signed; failures are logged, never thrown. */
export async function deliverWebhooks(triggers: readonly WebhookTrigger[], input: HandlerInput, options: WebhookOptions): Promise<void> {
  for (const trigger of triggers) {
    const target = trigger.kind === 'callback' ? (options.url ?? evaluateExpression(trigger.expression ?? '', input)) : options.url;
    if (!target || !/^https?:\/\//.test(target)) {
      options.logger.debug({ event: trigger.event, target }, 'webhook not delivered: no --webhook-url');
      continue;
    }
    const body = JSON.stringify(trigger.body ?? {});
    try {
      const response = await fetch(target, {
        method: trigger.method,
        headers: { 'content-type': 'application/json', 'finrail-signature': signWebhook(body, options.secret), 'finrail-event': trigger.event },
        body,
        signal: AbortSignal.timeout(options.timeout ?? 5000),
      });
      await response.body?.cancel();
      options.logger.info({ event: trigger.event, kind: trigger.kind, target, status: response.status }, 'webhook delivered');
    } catch (error) {
      options.logger.warn({ event: trigger.event, kind: trigger.kind, target, err: (error as Error).message }, 'webhook delivery failed');
    }
  }
}

/**
 * Evaluates an OpenAPI runtime expression template such as `{$request.body#/callback_url}` or
 * `http://host/{$request.query.id}` against the request that triggered the callback.
 */
export function evaluateExpression(template: string, input: HandlerInput): string | undefined {
  let failed = false;
  const value = template.replace(/\{([^}]+)\}/g, (_match, expression: string) => {
    const resolved = evaluateOne(expression.trim(), input);
    if (resolved === undefined) failed = true;
    return resolved ?? '';
  });
  return failed ? undefined : value;
}

function evaluateOne(expression: string, input: HandlerInput): string | undefined {
  if (expression === '$method') return input.request.method;
  if (expression === '$url') return input.request.path;
  const body = /^\$request\.body(?:#(.*))?$/.exec(expression);
  if (body) {
    let node: unknown = input.body;
    for (const segment of (body[1] ?? '').split('/').slice(1)) {
      if (node === null || typeof node !== 'object') return undefined;
      node = (node as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    return typeof node === 'string' || typeof node === 'number' ? String(node) : undefined;
  }
  const part = /^\$request\.(query|path|header)\.(.+)$/.exec(expression);
  if (part) {
    const [, where, name] = part as unknown as [string, string, string];
    if (where === 'header') return input.request.header(name.toLowerCase());
    const source = (where === 'query' ? input.query : input.params) as Record<string, unknown>;
    const value = source[name];
    return value === undefined ? undefined : String(value);
  }
  return undefined;
}
