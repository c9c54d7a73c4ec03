import { MOCK_SOURCE_HEADER } from './mock-api.ts';
import { createMockFetchHandler } from './mock-server.ts';

/** The `validateRequest` hook generated msw handlers accept (see the msw target's HandlerOptions). */
export type RequestValidator = (request: Request, operationId: string) => Response | undefined | Promise<Response | undefined>;

/**
 * A `validateRequest` hook for generated msw handlers that checks each request exactly as the
 * server runtime does (same compiled validators): an invalid request gets the runtime's 400
 * problem+json instead of the mocked answer. Node only (it compiles the spec's schemas).
 *
 *   const validateRequest = await createRequestValidator(['specs/wallets/openapi.yaml']);
 *   setupServer(...wallets.createHandlers({ validateRequest }));
 */
export async function createRequestValidator(specs: readonly string[], options: { auth?: boolean } = {}): Promise<RequestValidator> {
  const handle = await createMockFetchHandler({ specs, auth: options.auth ?? false, logger: false });
  return async (request) => {
    const response = await handle(request);
    // The mock answered: the request passed validation, and the msw handler answers instead.
    return response.headers.has(MOCK_SOURCE_HEADER) ? undefined : response;
  };
}
