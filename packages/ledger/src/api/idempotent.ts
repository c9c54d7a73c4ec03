// Idempotency-Key handling for every POST that creates something or moves money. The response
// of a successful request is stored in the same ledger transaction as the money it reports;
// errors are stored right after. Replays get `Idempotent-Replayed: true`.
import { HttpProblem, problem, SerializedJson, type HandlerOutput } from '@finrail/server';
import { encodedJson } from '../core/canonical.ts';
import type { LedgerTransaction } from '../core/ports.ts';
import { IDEMPOTENCY_RETENTION_MS, requestFingerprint, type RefusedKey, type StoredResponse } from '../idempotency/idempotency-store.ts';
import type { Ledger } from '../ledger.ts';

export interface IdempotentRequest {
  auth: { subject?: string | undefined } | undefined;
  headers: Record<string, unknown>;
  request: { method: string; path: string };
  body: unknown;
}

export interface IdempotencyScope {
  /** The client's scope (whose resources these are) and key (work outside a ledger transaction derives its ids from it). */
  scope: string;
  key: string;
}

const KEY_HEADERS = ['Idempotency-Key', 'x-idempotency-key'];

/**
 * Runs `work` once per idempotency key. By default `work` runs in a ledger transaction that also
 * stores the response; `{ atomic: false }` is for work that manages its own transactions (the
 * outbox's webhook endpoints), whose response is stored right after.
 */
export async function idempotent<Output extends HandlerOutput>(
  ledger: Ledger,
  input: IdempotentRequest,
  work: (tx: LedgerTransaction, now: number, idempotency: IdempotencyScope) => Promise<Output>,
): Promise<Output>;
export async function idempotent<Output extends HandlerOutput>(
  ledger: Ledger,
  input: IdempotentRequest,
  work: (idempotency: IdempotencyScope) => Promise<Output>,
  options: { atomic: false },
): Promise<Output>;
export async function idempotent<Output extends HandlerOutput>(
  ledger: Ledger,
  input: IdempotentRequest,
  work: ((tx: LedgerTransaction, now: number, idempotency: IdempotencyScope) => Promise<Output>) | ((idempotency: IdempotencyScope) => Promise<Output>),
  options: { atomic: boolean } = { atomic: true },
): Promise<Output> {
  const key = KEY_HEADERS.map((name) => input.headers[name]).find((value): value is string => typeof value === 'string');
  if (key === undefined) throw new HttpProblem(400, 'invalid-request', { detail: 'an Idempotency-Key header is required' });
  const scope = input.auth?.subject ?? 'anonymous';
  const requestHash = requestFingerprint({ method: input.request.method, path: input.request.path, body: input.body ?? null });
  const decision = await ledger.idempotency.begin(scope, key, requestHash, { deferLookup: options.atomic });
  if (decision.kind !== 'proceed') return answerStored<Output>(decision, key);
  try {
    let output: Output;
    let response: StoredResponse;
    if (options.atomic) {
      const atomicWork = work as (tx: LedgerTransaction, now: number, idempotency: IdempotencyScope) => Promise<Output>;
      const outcome = await ledger.transaction(async (tx, now) => {
        const earlier = decision.deferredLookup ? await tx.storedDecision(decision.deferredLookup, requestHash, now) : undefined;
        if (earlier) return { earlier };
        const result = await atomicWork(tx, now, { scope, key });
        const answer = stored(result);
        const expiresAt = now + IDEMPOTENCY_RETENTION_MS;
        await tx.saveResponse({ scope, key, requestHash, response: answer, expiresAt });
        return { result, answer, expiresAt };
      });
      ledger.idempotency.settled(scope, key, outcome.earlier ? undefined : outcome.expiresAt);
      if (outcome.earlier) return answerStored<Output>(outcome.earlier, key);
      [output, response] = [outcome.result, outcome.answer];
    } else {
      output = await (work as (idempotency: IdempotencyScope) => Promise<Output>)({ scope, key });
      response = stored(output);
      await ledger.idempotency.complete(scope, key, requestHash, response);
    }
    // The body goes out as the JSON just stored, not serialised a second time. (The specs document
    // Idempotent-Replayed as present, and `true`, on replays only.)
    return output.body === undefined ? output : { ...output, body: new SerializedJson(response.body) };
  } catch (error) {
    if (error instanceof HttpProblem && error.status < 500) {
      const answer = problem(error.status, error.kind, error.init);
      await ledger.idempotency.complete(scope, key, requestHash, { status: answer.status, headers: {}, body: JSON.stringify(answer.body) });
    } else {
      await ledger.idempotency.release(scope, key);
    }
    throw error;
  }
}

/** The answer to a key that is not the caller's to run: the stored response replayed, or why not (422, 409). */
function answerStored<Output extends HandlerOutput>(decision: RefusedKey, key: string): Output {
  if (decision.kind === 'replay') {
    const { status, headers, body } = decision.response;
    return { status, headers: { ...headers, 'Idempotent-Replayed': 'true' }, body: JSON.parse(body) as unknown } as unknown as Output;
  }
  if (decision.kind === 'mismatch') {
    throw new HttpProblem(422, 'idempotency-key-reused', { detail: `idempotency key ${key} was already used with a different request` });
  }
  throw new HttpProblem(409, 'idempotency-request-in-progress', { detail: `a request with idempotency key ${key} is still in progress` });
}

function stored(output: HandlerOutput): StoredResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(output.headers ?? {})) if (value !== undefined) headers[name] = String(value);
  return { status: output.status, headers, body: encodedJson(output.body ?? null) };
}
