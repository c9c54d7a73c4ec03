// Path templates compiled once into a segment trie. Concrete segments win over templated ones
// (as OpenAPI requires), with backtracking when a concrete branch dead-ends or, given the request
// method, serves other methods only. Operations sharing a method and path (RPC-style APIs: AWS,
// flickr) are told apart by their discriminators.
import type { Discriminator, ParameterDefinition } from './types.ts';

interface DynamicSegment<T> {
  /** `null` for a whole-segment parameter (`{id}`); a regex for mixed ones (`{name}.{ext}`). */
  pattern: RegExp | null;
  node: TrieNode<T>;
  /** The segment with its parameters as `{}`: the literal text left decides which is tried first. */
  shape: string;
  /** What tells segments apart: the shape, and the patterns of its parameters (they decide what it matches). */
  key: string;
}

interface TrieNode<T> {
  literal: Map<string, TrieNode<T>>;
  dynamic: DynamicSegment<T>[];
  routes: Map<string, Route<T>> | undefined;
}

export interface Route<T> {
  value: T;
  /** The path template, e.g. `/wallets/{walletId}`. */
  template: string;
  /** Parameter names of the template, in order of appearance. */
  names: string[];
  /** What a request must carry to be this route's rather than an alternative's. */
  discriminators: readonly Discriminator[];
  /** Routes sharing this one's method and path, told apart by discriminators (in the order added). */
  alternatives: Route<T>[];
}

export interface PathMatch<T> {
  /** Routes by method. */
  routes: ReadonlyMap<string, Route<T>>;
  /** Raw (still percent-encoded) parameter values, in template order. */
  values: string[];
}

/** Pairs a route's parameter names with the matched values. */
export function routeParams<T>(route: Route<T>, values: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (let index = 0; index < route.names.length; index++) params[route.names[index]!] = values[index]!;
  return params;
}

const PARAM = /\{([^{}]+)\}/g;

export class PathRouter<T> {
  readonly #root: TrieNode<T> = newNode();
  /** Templates without parameters, by path: one Map lookup instead of a trie walk. */
  readonly #literal = new Map<string, TrieNode<T>>();

  /**
   * Registers a value for `method` at `template`; throws on a route no request could tell from
   * one already there. A query string or fragment in the template (`/rides?page={page}`,
   * `/#Action=CreateQueue`, which OpenAPI forbids and specs still carry) is not routed on.
   */
  add(template: string, method: string, value: T, discriminators: readonly Discriminator[] = [], patterns: SegmentPatterns = {}): void {
    const path = routedPath(template);
    let node = this.#root;
    for (const segment of splitPath(path)) node = this.#child(node, segment, patterns);
    node.routes ??= new Map();
    const names = [...path.matchAll(PARAM)].map((match) => match[1]!);
    const route: Route<T> = { value, template, names, discriminators, alternatives: [] };
    const first = node.routes.get(method);
    if (first) {
      const clash = [first, ...first.alternatives].find((other) => !distinguishable(other.discriminators, discriminators));
      if (clash) throw new Error(`duplicate route ${method.toUpperCase()} ${template}: no request can tell it from ${clash.template}`);
      first.alternatives.push(route);
    } else node.routes.set(method, route);
    if (names.length === 0) for (const form of literalForms(path)) this.#literal.set(form, node);
  }

  /**
   * The routes at `path`. With a `method`, the most specific template serving it wins
   * (`GET /services/kubernetes` reaches `GET /services/{slug}` when the literal path has only
   * PUT); without one, or when no template serves it, the most specific template (a 405).
   */
  find(path: string, method?: string): PathMatch<T> | undefined {
    const literal = this.#literal.get(path);
    if (literal?.routes && (method === undefined || serves(literal.routes, method))) return { routes: literal.routes, values: [] };
    const segments = splitPath(path);
    const values: string[] = [];
    if (method !== undefined) {
      const node = matchNode(this.#root, segments, 0, values, method);
      if (node?.routes) return { routes: node.routes, values };
    }
    const node = matchNode(this.#root, segments, 0, values, undefined);
    if (!node?.routes) return undefined;
    return { routes: node.routes, values };
  }

  #child(node: TrieNode<T>, segment: string, patterns: SegmentPatterns): TrieNode<T> {
    if (!segment.includes('{')) {
      let next = node.literal.get(segment);
      if (!next) {
        next = newNode();
        for (const form of literalForms(segment)) node.literal.set(form, next);
      }
      return next;
    }
    // Templates differing only in parameter names share a branch (`{id}` vs `{walletId}` would
    // otherwise be ambiguous); values are captured by position and named per route. In a mixed
    // segment the parameters' patterns are part of the branch: they decide what it matches.
    const shape = segment.replace(PARAM, '{}');
    const whole = shape === '{}';
    const own = whole ? [] : adjacentPatterns(segment, patterns);
    const key = own.some((entry) => entry !== null) ? `${shape} ${JSON.stringify(own)}` : shape;
    const existing = node.dynamic.find((dynamic) => dynamic.key === key);
    if (existing) return existing.node;
    const pattern = whole ? null : compileSegment(segment, own);
    const dynamic: DynamicSegment<T> = { pattern, node: newNode(), shape, key };
    // The segment with more literal text is the more specific: `tags.{format}` before
    // `{id}.{format}`, and both before a bare `{id}`.
    node.dynamic.push(dynamic);
    node.dynamic.sort((a, b) => literalLength(b.shape) - literalLength(a.shape));
    return dynamic.node;
  }
}

/**
 * A template's literal text as written and as clients send it: a URL percent-encodes characters a
 * path cannot hold (loket's `/conceptemployees/{id}/dossier"` arrives as `dossier%22`).
 */
function literalForms(text: string): string[] {
  if (/^[\w\-.~!$&'()*+,;=:@/%]*$/.test(text)) return [text];
  const encoded = text.replace(/[^\w\-.~!$&'()*+,;=:@/%]/gu, (char) => encodeURIComponent(char));
  return encoded === text ? [text] : [text, encoded];
}

function literalLength(shape: string): number {
  return shape.replaceAll('{}', '').length;
}

function newNode<T>(): TrieNode<T> {
  return { literal: new Map(), dynamic: [], routes: undefined };
}

/**
 * What the router tells templates apart by: the path part with parameter names erased. Two
 * templates of one shape (`/countries/{code2}`, `/countries/{code3}`) match the same requests.
 */
export function routeShape(template: string): string {
  return routedPath(template).replace(PARAM, '{}');
}

/** The path part of a template, without a query string or fragment. */
function routedPath(template: string): string {
  const end = template.search(/[?#]/);
  return end === -1 ? template : template.slice(0, end);
}

/** Whether every request matching one set matches not the other: some name both require with different values. */
export function distinguishable(a: readonly Discriminator[], b: readonly Discriminator[]): boolean {
  return a.some((one) => b.some((other) => other.in === one.in && sameName(one, other) && other.value !== one.value));
}

function sameName(a: Discriminator, b: Discriminator): boolean {
  // Header names are case-insensitive; query names are not.
  return a.in === 'header' ? a.name.toLowerCase() === b.name.toLowerCase() : a.name === b.name;
}

/**
 * The route a request is for among `route` and its alternatives: the first whose discriminators
 * the request carries, else `route` (whose validation then says which value is wrong).
 */
export function chooseRoute<T>(route: Route<T>, read: (discriminator: Discriminator) => string | undefined): Route<T> {
  if (route.alternatives.length === 0) return route;
  const matches = (candidate: Route<T>) => candidate.discriminators.every((discriminator) => read(discriminator) === discriminator.value);
  return matches(route) ? route : (route.alternatives.find(matches) ?? route);
}

function splitPath(path: string): string[] {
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  return trimmed === '' ? [] : trimmed.split('/');
}

/**
 * A regular expression (source) a path parameter's value meets, by name, for segments it shares
 * with other parameters: one of its listed values (`{pageName}{mediaTypeExtension}`), or a number
 * (`{id}{.format}`). See `segmentPatterns`.
 */
export type SegmentPatterns = Readonly<Record<string, string>>;

/** The patterns of an operation's path parameters that say more than "any text" (their enum, or a numeric type). */
export function segmentPatterns(parameters: ReadonlyArray<Pick<ParameterDefinition, 'name' | 'in' | 'type' | 'values'>>): Record<string, string> {
  const patterns: Record<string, string> = {};
  for (const parameter of parameters) {
    if (parameter.in !== 'path') continue;
    if (parameter.values) patterns[parameter.name] = parameter.values.flatMap(literalForms).map(escapeRegExp).join('|');
    else if (parameter.type === 'integer') patterns[parameter.name] = '-?[0-9]+';
    else if (parameter.type === 'number') patterns[parameter.name] = '-?[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?';
  }
  return patterns;
}

/**
 * The patterns of a mixed segment's parameters, in order, for those with nothing between them and
 * a neighbour (null for the rest): only there is the split otherwise a guess. Elsewhere a value
 * that misses its pattern still reaches the route, whose validation says what is wrong with it (a
 * 400 naming the parameter rather than a 404).
 */
function adjacentPatterns(segment: string, patterns: SegmentPatterns): Array<string | null> {
  const params = [...segment.matchAll(PARAM)];
  return params.map((match, index) => {
    const start = match.index;
    const end = start + match[0].length;
    const touchesPrevious = index > 0 && params[index - 1]!.index + params[index - 1]![0].length === start;
    const touchesNext = index < params.length - 1 && params[index + 1]!.index === end;
    return touchesPrevious || touchesNext ? (patterns[match[1]!] ?? null) : null;
  });
}

/**
 * A mixed segment's pattern. Every parameter but the last takes as much as it can, so a dot in a
 * value stays in it: `{name}.{ext}` reads `report.final.pdf` as report.final + pdf, and tomtom's
 * `{heading}.{ext}` reads `31.5.json` as 31.5 + json. A parameter with a pattern meets it:
 * healthcare.gov's `{pageName}{mediaTypeExtension}`, with nothing between the two and the second
 * an enum, reads `about.json` as about + .json; NASA's `{id}{.format}`, the first an integer, reads
 * `42xml` as 42 + xml.
 */
function compileSegment(segment: string, patterns: ReadonlyArray<string | null>): RegExp {
  const params = [...segment.matchAll(PARAM)];
  let source = '^';
  let last = 0;
  params.forEach((match, index) => {
    const own = patterns[index];
    const capture = own != null ? `(${own})` : index === params.length - 1 ? '(.+?)' : '(.+)';
    source += escapeRegExp(segment.slice(last, match.index)) + capture;
    last = match.index + match[0].length;
  });
  return new RegExp(`${source}${escapeRegExp(segment.slice(last))}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The route answering `method` (lower case) among a path's routes: HEAD is served by GET. */
export function routeFor<T>(routes: ReadonlyMap<string, Route<T>>, method: string): Route<T> | undefined {
  return routes.get(method) ?? (method === 'head' ? routes.get('get') : undefined);
}

function serves<T>(routes: ReadonlyMap<string, Route<T>>, method: string): boolean {
  return routeFor(routes, method) !== undefined;
}

/** `method`: only a node serving it matches; undefined: any node with routes. */
function matchNode<T>(node: TrieNode<T>, segments: string[], index: number, values: string[], method: string | undefined): TrieNode<T> | undefined {
  if (index === segments.length) return node.routes && (method === undefined || serves(node.routes, method)) ? node : undefined;
  const segment = segments[index]!;
  const literal = node.literal.get(segment);
  if (literal) {
    const found = matchNode(literal, segments, index + 1, values, method);
    if (found) return found;
  }
  if (segment === '') return undefined;
  for (const dynamic of node.dynamic) {
    const captured = dynamic.pattern === null ? [segment] : dynamic.pattern.exec(segment)?.slice(1);
    if (!captured) continue;
    const mark = values.length;
    values.push(...captured);
    const found = matchNode(dynamic.node, segments, index + 1, values, method);
    if (found) return found;
    values.length = mark;
  }
  return undefined;
}
