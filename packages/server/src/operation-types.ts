// Type-level bridge from openapi-typescript's `operations[...]` (or `paths[...][method]`) types to
// handler inputs and outputs. Generated `server.ts` files stay small: the intelligence is here.
import type { AuthContext, RequestInfo } from './types.ts';

// openapi-typescript (readWriteMarkers) wraps readOnly properties in $Read<T> and writeOnly ones
// in $Write<T>; structurally identical to the helpers it emits into types.ts.
type ReadMarker<T> = { readonly $read: T };
type WriteMarker<T> = { readonly $write: T };

/** A response body as a server sends it: writeOnly properties removed, readOnly ones unwrapped. */
export type Readable<T> =
  T extends WriteMarker<any>
    ? never
    : T extends ReadMarker<infer U>
      ? Readable<U>
      : T extends (infer E)[]
        ? Readable<E>[]
        : T extends object
          ? { [K in keyof T as NonNullable<T[K]> extends WriteMarker<any> ? never : K]: Readable<T[K]> }
          : T;

/** A request body as a client sends it: readOnly properties removed, writeOnly ones unwrapped. */
export type Writable<T> =
  T extends ReadMarker<any>
    ? never
    : T extends WriteMarker<infer U>
      ? Writable<U>
      : T extends (infer E)[]
        ? Writable<E>[]
        : T extends object
          ? { [K in keyof T as NonNullable<T[K]> extends ReadMarker<any> ? never : K]: Writable<T[K]> }
          : T;

type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
type StatusRange<First extends string> = `${First}${Digit}${Digit}` extends infer Code
  ? Code extends `${infer N extends number}`
    ? N
    : never
  : never;

/** `201` → 201, `'4XX'` → 400 | … | 499, `'default'` → any status. */
export type StatusOf<Key> = Key extends number
  ? Key
  : Key extends `${infer N extends number}`
    ? N
    : Key extends `${infer First extends Digit}XX` | `${infer First extends Digit}xx`
      ? StatusRange<First>
      : number;

type Present<T> = [T] extends [never] ? undefined : [T] extends [undefined] ? undefined : Exclude<T, undefined>;
type ObjectOrEmpty<T> = [Present<T>] extends [undefined] ? Record<string, never> : Present<T>;

type JsonMediaType = 'application/json' | `${string}+json` | `${string}/json`;

/** The parsed body the runtime hands over for a request media type. */
type RequestBodyFor<MediaType, Schema> = MediaType extends JsonMediaType
  ? Writable<Schema>
  : MediaType extends `text/${string}`
    ? string
    : MediaType extends 'application/x-www-form-urlencoded'
      ? Record<string, string | string[]>
      : Uint8Array;

type RequestBodyOf<Op> = Op extends { requestBody: infer Body }
  ? BodyUnion<Body>
  : Op extends { requestBody?: infer Body }
    ? BodyUnion<Body> | undefined
    : undefined;

type BodyUnion<Body> = [Present<Body>] extends [undefined]
  ? undefined
  : Present<Body> extends { content: infer Content }
    ? { [M in keyof Content]: RequestBodyFor<M, Content[M]> }[keyof Content]
    : undefined;

type ParametersOf<Op> = Op extends { parameters: infer P } ? P : Op extends { parameters?: infer P } ? Present<P> : never;
type Location<Op, Key extends string> = ParametersOf<Op> extends infer P ? (Key extends keyof P ? ObjectOrEmpty<P[Key]> : Record<string, never>) : never;

/**
 * A request body after validation: the runtime fills in schema defaults, so the properties named
 * in `Keys` (the generator lists those with a `default`) are always present.
 */
export type WithDefaults<Body, Keys extends PropertyKey> = [Keys] extends [never]
  ? Body
  : Body extends object
    ? Body & { [K in Keys & keyof Body]-?: Exclude<Body[K], undefined> }
    : Body;

/** What a generated handler receives: validated and coerced. */
export interface OperationInput<Op, Defaulted extends PropertyKey = never> {
  params: Location<Op, 'path'>;
  query: Location<Op, 'query'>;
  /** Header parameters keyed by their declared name (`Idempotency-Key`). */
  headers: Location<Op, 'header'>;
  cookies: Location<Op, 'cookie'>;
  body: WithDefaults<RequestBodyOf<Op>, Defaulted>;
  /** The authenticated principal and scopes; undefined for operations without security. */
  auth: AuthContext | undefined;
  request: RequestInfo;
  operationId: string;
}

type ResponseHeaders = Readonly<Record<string, string | number | readonly string[] | undefined>>;

type ResponseVariant<Key, Response> = Response extends { content: infer Content }
  ? [Present<Content>] extends [undefined]
    ? NoBody<Key>
    : {
        [M in keyof Present<Content>]: {
          status: StatusOf<Key>;
          body: Readable<Present<Content>[M]>;
          headers?: ResponseHeaders;
          contentType?: M;
        };
      }[keyof Present<Content>]
  : NoBody<Key>;

type NoBody<Key> = { status: StatusOf<Key>; body?: undefined; headers?: ResponseHeaders; contentType?: undefined };

/** The documented responses of an operation as a discriminated union on `status`. */
export type OperationOutput<Op> = Op extends { responses: infer Responses }
  ? { [Key in keyof Responses]: ResponseVariant<Key, Responses[Key]> }[keyof Responses]
  : never;

/** A handler for one operation; the `notImplemented` placeholder fits it too. */
export type OperationHandler<Op, Defaulted extends PropertyKey = never> = (
  input: OperationInput<Op, Defaulted>,
) => OperationOutput<Op> | Promise<OperationOutput<Op>>;
