import type { Prng } from './prng.ts';

/**
 * Values for the string formats real specs use. All are built from the PRNG (never from the clock),
 * so a seed replays byte for byte, and each is valid for ajv-formats' "full" mode.
 */
const BASE_TIME = Date.UTC(2024, 0, 1);
const THREE_YEARS_MS = 3 * 365 * 24 * 3600 * 1000;
const WORDS = ['alpha', 'bravo', 'delta', 'echo', 'gamma', 'lima', 'nova', 'orbit', 'pixel', 'quartz', 'sigma', 'tango', 'ultra', 'vector', 'zephyr'];

const hex = (prng: Prng, length: number): string => {
  let out = '';
  for (let i = 0; i < length; i++) out += prng.int(0, 15).toString(16);
  return out;
};

const isoDateTime = (prng: Prng): string => new Date(BASE_TIME + Math.floor(prng.next() * THREE_YEARS_MS)).toISOString().replace(/\.\d{3}Z$/, 'Z');

const word = (prng: Prng): string => prng.pick(WORDS);

export const formatGenerators: Record<string, (prng: Prng) => string> = {
  'date-time': isoDateTime,
  date: (prng) => isoDateTime(prng).slice(0, 10),
  time: (prng) => `${isoDateTime(prng).slice(11, 19)}Z`,
  duration: (prng) => `P${prng.int(1, 30)}DT${prng.int(0, 23)}H`,
  uuid: (prng) => `${hex(prng, 8)}-${hex(prng, 4)}-4${hex(prng, 3)}-${prng.pick(['8', '9', 'a', 'b'])}${hex(prng, 3)}-${hex(prng, 12)}`,
  email: (prng) => `${word(prng)}.${word(prng)}@example.com`,
  'idn-email': (prng) => `${word(prng)}@example.com`,
  hostname: (prng) => `${word(prng)}.example.com`,
  'idn-hostname': (prng) => `${word(prng)}.example.com`,
  uri: (prng) => `https://${word(prng)}.example.com/${word(prng)}/${prng.int(1, 999)}`,
  url: (prng) => `https://${word(prng)}.example.com/${word(prng)}/${prng.int(1, 999)}`,
  iri: (prng) => `https://${word(prng)}.example.com/${word(prng)}`,
  'uri-reference': (prng) => `/${word(prng)}/${prng.int(1, 999)}`,
  'iri-reference': (prng) => `/${word(prng)}/${prng.int(1, 999)}`,
  'uri-template': (prng) => `https://example.com/${word(prng)}/{id}`,
  ipv4: (prng) => `${prng.int(1, 223)}.${prng.int(0, 255)}.${prng.int(0, 255)}.${prng.int(1, 254)}`,
  ipv6: (prng) => `2001:db8:${hex(prng, 4)}:${hex(prng, 4)}::${hex(prng, 4)}`,
  byte: (prng) => Buffer.from(`${word(prng)}-${word(prng)}`).toString('base64'),
  binary: (prng) => `${word(prng)}-${hex(prng, 8)}`,
  password: (prng) => `${word(prng)}-${hex(prng, 10)}`,
  'json-pointer': (prng) => `/${word(prng)}/${prng.int(0, 9)}`,
  'relative-json-pointer': (prng) => `${prng.int(0, 3)}/${word(prng)}`,
  regex: () => '^[a-z]+$',
  'iso-4217': () => 'EUR',
  currency: () => 'EUR',
};

/**
 * Other spellings of the same value, for a schema whose length bounds or pattern the first one
 * misses (unicourt: a date-time of exactly 25 characters, `2025-10-15T13:53:25+00:00`).
 */
export const formatSpellings: Record<string, (value: string) => string[]> = {
  'date-time': (value) => timeSpellings(value),
  time: (value) => timeSpellings(value),
};

/** A time ending in `Z`, with fractions of a second and as an offset. */
function timeSpellings(value: string): string[] {
  const base = value.slice(0, -1);
  return ['.000', '.000000', ''].flatMap((fraction) => [`${base}${fraction}Z`, `${base}${fraction}+00:00`]).filter((spelling) => spelling !== value);
}

/** Integer ranges implied by numeric formats, used when the schema gives no explicit bounds. */
export const formatRanges: Record<string, [number, number]> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};
