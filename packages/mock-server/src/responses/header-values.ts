// Response header values the mock sends: documented examples or values generated from the
// header's schema, written in the `simple` style the runtime reads headers back with.
import { generateValue, hashString } from '../fake/index.ts';
import type { HeaderPlan } from './plan.ts';

const ATTEMPTS = 5;

/** `simple` style: arrays and objects (`k,v,k2,v2`) comma-separated; undefined for no value. */
export function serializeHeader(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String).join(',');
  if (typeof value === 'object') return Object.entries(value).flatMap(([key, entry]) => [key, String(entry)]).join(',');
  return String(value);
}

/**
 * Lower-cased name → value: the first valid example, or for a required header without one a value
 * generated from its schema that the runtime's validator accepts.
 */
export function headerValues(headers: readonly HeaderPlan[], options: { seed: number; document: unknown; key: string }): Record<string, string> {
  const values: Record<string, string> = {};
  for (const { header, examples, accepts } of headers) {
    const name = header.name.toLowerCase();
    let value: string | undefined = examples[0];
    if (value === undefined && header.required && header.schema !== undefined) {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const seed = hashString(`${options.seed}|${options.key}|${name}${attempt === 0 ? '' : `|${attempt}`}`);
        value = serializeHeader(generateValue(header.schema, { seed, document: options.document, direction: 'response' }));
        if (value !== undefined && (!accepts || accepts(value))) break;
      }
    }
    if (value !== undefined) values[name] = value;
  }
  return values;
}
