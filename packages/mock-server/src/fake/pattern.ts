import { createRequire } from 'node:module';
import type { Arbitrary } from 'fast-check';

// fast-check is loaded on first use: only generated (dynamic) data needs it, and a mock answering
// from examples should not keep it in memory.
const require = createRequire(import.meta.url);
let loaded: typeof import('fast-check') | undefined;
const fastCheck = (): typeof import('fast-check') => (loaded ??= require('fast-check') as typeof import('fast-check'));

/**
 * Strings matching a JSON Schema `pattern`, via fast-check's `stringMatching` (it covers classes,
 * quantifiers, groups, alternation and Unicode property escapes). A pattern is unanchored in JSON
 * Schema; anchoring it keeps fast-check from padding the match with random text.
 */
const arbitraries = new Map<string, Arbitrary<string> | null>();

function arbitraryFor(pattern: string): Arbitrary<string> | null {
  let arbitrary = arbitraries.get(pattern);
  if (arbitrary !== undefined) return arbitrary;
  arbitrary = null;
  for (const build of [() => new RegExp(`^(?:${pattern})$`, 'u'), () => new RegExp(`^(?:${pattern})$`), () => new RegExp(pattern)]) {
    try {
      arbitrary = fastCheck().stringMatching(build());
      break;
    } catch {
      // Not a regex fast-check supports in this form: try the next, looser one.
    }
  }
  arbitraries.set(pattern, arbitrary);
  return arbitrary;
}

/**
 * A string matching `pattern` within the length bounds, drawn deterministically from `seed`;
 * undefined when the pattern is beyond fast-check or no attempt fits the bounds.
 */
export function stringMatching(pattern: string, seed: number, minLength = 0, maxLength = Infinity): string | undefined {
  const arbitrary = arbitraryFor(pattern);
  if (!arbitrary) return undefined;
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'u');
  } catch {
    regex = new RegExp(pattern);
  }
  const candidates = fastCheck().sample(arbitrary, { seed, numRuns: 20 });
  return candidates.find((value) => {
    const length = [...value].length;
    return length >= minLength && length <= maxLength && regex.test(value);
  });
}
