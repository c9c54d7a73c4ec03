import type { ResponseModel } from '../../model/types.ts';

/**
 * The order in which a mock prefers documented responses: the lowest 2xx code, then the 2XX range,
 * then other codes in numeric order, other ranges, and 'default' last. Shared by the msw target and
 * the standalone mock server so both answer the same response by default.
 */
export function byMockPreference<T extends Pick<ResponseModel, 'status' | 'kind' | 'success'>>(responses: readonly T[]): T[] {
  const rank = (response: T): number => {
    if (response.kind === 'code') return (response.success ? 0 : 2000) + Number(response.status);
    if (response.kind === 'range') return (response.success ? 1000 : 3000) + Number(response.status[0]) * 100;
    return 5000;
  };
  return [...responses].sort((a, b) => rank(a) - rank(b));
}

/** The HTTP status a mock answers for a documented response key ('2XX' → 200, 'default' → 200). */
export function mockStatusOf(response: Pick<ResponseModel, 'status' | 'kind'>, requested?: number): number {
  if (response.kind === 'code') return Number(response.status);
  if (response.kind === 'range') return requested ?? Number(response.status[0]) * 100;
  return requested ?? 200;
}
