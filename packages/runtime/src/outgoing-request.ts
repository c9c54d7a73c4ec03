/**
 * What openapi-fetch builds a generated client's request into, in place of a Fetch API Request.
 *
 * openapi-fetch constructs `new Request(url, init)` and the runtime then calls `fetch(request, { signal })`,
 * which constructs a second Request from the first: two rounds of URL parsing, header validation and
 * signal wiring per call, the largest cost between a generated client and raw fetch. This records the
 * URL and init instead, so the default path makes the one `fetch(url, init)` call raw fetch does. A
 * custom fetch still receives a real Request (`toRequest`), and the raw openapi-fetch client, whose
 * middleware may inspect requests, keeps real ones.
 */
export class OutgoingRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: BodyInit | null;
  readonly #init: RequestInit;

  constructor(input: string | URL, init: RequestInit = {}) {
    this.url = requestUrl(String(input));
    this.method = (init.method ?? 'GET').toUpperCase();
    // openapi-fetch hands over a Headers it built for this request alone, so it is used as it is.
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.body = init.body ?? null;
    this.#init = init;
  }

  /** Whether every attempt can send the body again: a stream can be read once, so only a Request clone can replay it. */
  get replayable(): boolean {
    return !(this.body instanceof ReadableStream);
  }

  /** The init for one attempt: this request's current headers and the attempt's signal. */
  init(signal?: AbortSignal): RequestInit {
    return { ...this.#init, method: this.method, headers: this.headers, body: this.body, signal };
  }

  toRequest(): Request {
    // Node's fetch wants `duplex` spelled out for a stream body; the DOM's RequestInit type lacks it.
    return new Request(this.url, { ...this.init(), ...(!this.replayable && { duplex: 'half' }) } as RequestInit);
  }
}

/**
 * The URL openapi-fetch built from a path template that carries a fragment or a query string, as
 * RPC-style specs' do (AWS's `/#Action=CreateQueue`, flickr's `/rest?method=flickr.photos.search`):
 * the fragment is no part of a request (and would swallow the query appended after it), and the
 * appended query joins the template's with `&`. openapi-fetch encodes `?` and `#` in values, so
 * any left raw came from the template.
 */
export function requestUrl(url: string): string {
  if (!url.includes('#') && url.indexOf('?') === url.lastIndexOf('?')) return url;
  const fragment = url.indexOf('#');
  if (fragment !== -1) {
    const query = url.indexOf('?', fragment);
    url = url.slice(0, fragment) + (query === -1 ? '' : url.slice(query));
  }
  const first = url.indexOf('?');
  return first === -1 ? url : url.slice(0, first + 1) + url.slice(first + 1).replaceAll('?', '&');
}
