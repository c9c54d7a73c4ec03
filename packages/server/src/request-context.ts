import type { Logger, RawRequest, RequestInfo } from './types.ts';

// A class with a lazy getter: cheaper per request than an object literal with an accessor.
export class RequestContext implements RequestInfo {
  readonly id: string;
  readonly method: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly header: (name: string) => string | undefined;
  readonly native: unknown;
  readonly #logger: Logger;
  readonly #operationId: string;
  #log: Logger | undefined;

  constructor(raw: RawRequest, id: string, logger: Logger, operationId: string) {
    this.id = id;
    this.method = raw.method;
    this.path = raw.path;
    this.rawQuery = raw.rawQuery;
    this.header = raw.header;
    this.native = raw.native;
    this.#logger = logger;
    this.#operationId = operationId;
  }

  get log(): Logger {
    return (this.#log ??= this.#logger.child({ req_id: this.id, operation: this.#operationId }));
  }
}
