import type { PaginationMeta, WithResponse } from './types.ts';

/**
 * The result of a list call. `await` it for the first page; `for await` over it for every item across
 * pages; `.pages()` for page by page. Nothing is requested until it is awaited or iterated, and the
 * first page is fetched once however it is consumed.
 */
export class PagePromise<Page, Item> implements PromiseLike<WithResponse<Page>>, AsyncIterable<Item> {
  readonly #fetchPage: (cursor: string | undefined) => Promise<WithResponse<Page>>;
  readonly #pagination: PaginationMeta;
  #firstPage: Promise<WithResponse<Page>> | undefined;

  constructor(fetchPage: (cursor: string | undefined) => Promise<WithResponse<Page>>, pagination: PaginationMeta) {
    this.#fetchPage = fetchPage;
    this.#pagination = pagination;
  }

  then<A = WithResponse<Page>, B = never>(
    onFulfilled?: ((page: WithResponse<Page>) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#first().then(onFulfilled, onRejected);
  }

  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<WithResponse<Page> | B> {
    return this.#first().catch(onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<WithResponse<Page>> {
    return this.#first().finally(onFinally);
  }

  async *pages(): AsyncGenerator<WithResponse<Page>, void, undefined> {
    const seen = new Set<string>();
    let page = await this.#first();
    for (;;) {
      yield page;
      const cursor = nextCursor(page, this.#pagination);
      // A cursor seen before would loop forever; a misbehaving server ends the iteration instead.
      if (cursor === undefined || seen.has(cursor)) return;
      seen.add(cursor);
      page = await this.#fetchPage(cursor);
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    for await (const page of this.pages()) {
      const items = property(page, this.#pagination.items);
      if (Array.isArray(items)) yield* items as Item[];
    }
  }

  #first(): Promise<WithResponse<Page>> {
    return (this.#firstPage ??= this.#fetchPage(undefined));
  }
}

/** The next page's cursor: the page's own, else the last item's `id` while `hasMore` says so. */
function nextCursor(page: unknown, pagination: PaginationMeta): string | undefined {
  const hasMore = property(page, pagination.hasMore);
  if (hasMore === false) return undefined;
  const cursor = property(page, pagination.nextCursor);
  if (typeof cursor === 'string' && cursor !== '') return cursor;
  if (hasMore !== true) return undefined;
  const items = property(page, pagination.items);
  const last: unknown = Array.isArray(items) ? items.at(-1) : undefined;
  const id = typeof last === 'object' && last !== null ? (last as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** `page[path]`, where a path missing as a key is read as dot-separated (`Meta.NextCursor`). */
function property(page: unknown, path: string): unknown {
  if (typeof page !== 'object' || page === null) return undefined;
  if (path in page) return (page as Record<string, unknown>)[path];
  let value: unknown = page;
  for (const key of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}
