import type { ResponseModel } from '../../model/types.ts';

/**
 * The order in which a mock prefers documented responses: the lowest 2xx code, then the 2XX range,
 * then redirects, then 'default' (specs that document success only as `default` are common), then
 * error codes and ranges. 1xx codes are left out: no mock can answer `101 Switching Protocols`.
 * Shared by the msw target and the standalone mock server so both answer the same response by default.
 */
export function byMockPreference<T extends Pick<ResponseModel, 'status' | 'kind' | 'success'>>(responses: readonly T[]): T[] {
  const rank = (response: T): number => {
    if (response.kind === 'code') {
      const status = Number(response.status);
      return response.success ? status : status < 400 ? 2000 + status : 4000 + status;
    }
    if (response.kind === 'range') return (response.success ? 1000 : response.status[0] === '3' ? 2000 : 4000) + Number(response.status[0]) * 100;
    return 3000;
  };
  return responses.filter((response) => !isInformationalStatus(response.status)).sort((a, b) => rank(a) - rank(b));
}

/**
 * A 1xx code or the 1XX range: no final response (a mock or a Fetch API Response cannot carry
 * one), so no mock answers it and no contract expects it.
 */
export function isInformationalStatus(status: string): boolean {
  return status.startsWith('1');
}

/** The HTTP status a mock answers for a documented response key ('2XX' → 200, 'default' → 200). */
export function mockStatusOf(response: Pick<ResponseModel, 'status' | 'kind'>, requested?: number): number {
  if (response.kind === 'code') return Number(response.status);
  if (response.kind === 'range') return requested ?? Number(response.status[0]) * 100;
  return requested ?? 200;
}
