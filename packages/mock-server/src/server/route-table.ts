import type { RouteEntry } from './mock-api.ts';

/** The route table printed at start: method, full path, operationId and spec, in aligned columns. */
export function formatRouteTable(routes: readonly RouteEntry[], baseUrl = ''): string {
  const rows = routes.map((route) => [route.method, `${baseUrl}${route.path}`, route.operationId, route.spec]);
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] as string).length)));
  return rows.map((row) => row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column] as number) : cell)).join('  ')).join('\n');
}
