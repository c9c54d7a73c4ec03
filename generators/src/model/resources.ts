// Resource-shaped SDK naming: `GET /wallets/{wallet_id}/transactions` (listWalletTransactions)
// becomes `wallets.transactions.list`. Derived from the path's static segments and the operationId's
// leading verb; collisions fall back to the operation's full name, so every method is unique.
import { camelCase, dedupe, words } from './names.ts';
import type { HttpMethod, ResourceName } from './types.ts';

export interface ResourceInput {
  method: HttpMethod;
  path: string;
  operationId: string;
  operationIdSource: 'spec' | 'derived' | 'deduplicated';
  name: string;
}

const CRUD_VERBS = new Set(['list', 'get', 'create', 'update', 'delete', 'retrieve', 'replace', 'search']);
const VERSION_SEGMENT = /^v?\d+(\.\d+)*$/i;
/** Leading words of operationIds that name the HTTP method rather than an action. */
const HTTP_VERBS: Record<string, string> = { post: 'create', put: 'update', patch: 'update' };
/** Names a generated resource class uses for itself; an SDK member must not shadow them. */
const RESERVED_MEMBERS = new Set(['constructor', 'raw', 'prototype']);

function staticSegments(path: string): Array<{ text: string; param: boolean }> {
  const segments = path.split('/').filter(Boolean).map((text) => ({ text, param: /^\{.*\}$/.test(text) }));
  while (segments.length > 0 && !segments[0]!.param && VERSION_SEGMENT.test(segments[0]!.text)) segments.shift();
  return segments;
}

/** A property or method name: camelCase, '_' before a leading digit; reserved words are fine as members. */
function memberName(text: string): string {
  let name = camelCase(text) || 'resource';
  if (/^[0-9]/.test(name)) name = `_${name}`;
  return RESERVED_MEMBERS.has(name) ? `${name}Resource` : name;
}

function firstWord(text: string): string {
  return (words(text)[0] ?? '').toLowerCase();
}

function defaultMethod(method: HttpMethod, endsWithParam: boolean): string {
  switch (method) {
    case 'get':
      return endsWithParam ? 'get' : 'list';
    case 'post':
      return 'create';
    case 'put':
    case 'patch':
      return 'update';
    default:
      return method;
  }
}

function propose(op: ResourceInput): ResourceName {
  const segments = staticSegments(op.path);
  const last = segments.at(-1);
  const verb = op.operationIdSource === 'derived' ? '' : firstWord(op.operationId);
  const resource = segments.filter((s) => !s.param).map((s) => memberName(s.text));
  // An action path: `POST /wallets/{id}/freeze` (freezeWallet), `GET /pet/findByStatus` (findPetsByStatus).
  if (last && !last.param && verb !== '' && firstWord(last.text) === verb && !CRUD_VERBS.has(verb)) {
    return { path: resource.slice(0, -1), method: memberName(last.text) };
  }
  if (verb !== '' && CRUD_VERBS.has(verb)) return { path: resource, method: verb === 'retrieve' ? 'get' : verb };
  if (verb in HTTP_VERBS) return { path: resource, method: HTTP_VERBS[verb]! };
  if (verb !== '') return { path: resource, method: op.name };
  return { path: resource, method: defaultMethod(op.method, last?.param ?? false) };
}

/** Resource names for all operations, in the same order; each (path, method) pair is unique. */
export function resourceNames(ops: ResourceInput[]): ResourceName[] {
  const key = (r: ResourceName) => `${r.path.join('.')}#${r.method}`;
  const countKeys = (names: ResourceName[]) => {
    const counts = new Map<string, number>();
    for (const r of names) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
    return counts;
  };
  // `get-grants` and `get-grants-id` both propose `grants.get`: the collection read becomes `list`.
  const first = ops.map(propose);
  const firstCounts = countKeys(first);
  const proposed = first.map((r, i) =>
    r.method === 'get' && ops[i]!.method === 'get' && (firstCounts.get(key(r)) ?? 0) > 1 && !staticSegments(ops[i]!.path).at(-1)?.param
      ? { path: r.path, method: 'list' }
      : r,
  );
  const counts = countKeys(proposed);
  // Sub-resource names per resource, so a method never shadows a nested resource property.
  const children = new Set(proposed.filter((r) => r.path.length > 0).map((r) => `${r.path.slice(0, -1).join('.')}#${r.path.at(-1)}`));
  for (const r of proposed) for (let i = 1; i < r.path.length; i++) children.add(`${r.path.slice(0, i - 1).join('.')}#${r.path[i - 1]}`);
  const resolved = proposed.map((r, i) => {
    const clash = (counts.get(key(r)) ?? 0) > 1 || children.has(key(r)) || RESERVED_MEMBERS.has(r.method);
    return clash ? { path: r.path, method: ops[i]!.name } : r;
  });
  // Full names can still collide with another operation's short name or a nested resource
  // (`POST /export_channels` exportChannels beside `exportChannels.get`); suffix deterministically.
  const taken = [...children].sort();
  const unique = dedupe([...taken, ...resolved.map(key)]).slice(taken.length);
  return resolved.map((r, i) => ({ path: r.path, method: unique[i]!.split('#')[1]! }));
}
