import { createRequire } from 'node:module';
import type { Arbitrary } from 'fast-check';
import { patternRegExp } from '@finrail/server/validation';

// fast-check is loaded on first use: only generated (dynamic) data needs it, and a mock answering
// from examples should not keep it in memory.
const require = createRequire(import.meta.url);
let loaded: typeof import('fast-check') | undefined;
const fastCheck = (): typeof import('fast-check') => (loaded ??= require('fast-check') as typeof import('fast-check'));

const regexes = new Map<string, RegExp>();

/** A schema `pattern` as the validators compile it (see patternRegExp), once per pattern. */
export function patternTester(pattern: string): RegExp {
  let regex = regexes.get(pattern);
  if (!regex) regexes.set(pattern, (regex = patternRegExp(pattern, 'u')));
  return regex;
}

/**
 * Strings matching a JSON Schema `pattern`, via fast-check's `stringMatching` (it covers classes,
 * quantifiers, groups, alternation and Unicode property escapes). A pattern is unanchored in JSON
 * Schema; anchoring it keeps fast-check from padding the match with random text.
 */
const arbitraries = new Map<string, Arbitrary<string> | null>();

/**
 * fast-check's default size draws short strings (`[A-Za-z0-9]+` gives 1 to ~11 characters): a
 * `minLength` beyond that (an IBAN's 15) needs the longer draws of the next size.
 */
type DrawSize = 'small' | 'medium';

function arbitraryFor(pattern: string, size: DrawSize): Arbitrary<string> | null {
  const key = `${size}:${pattern}`;
  let arbitrary = arbitraries.get(key);
  if (arbitrary !== undefined) return arbitrary;
  arbitrary = null;
  // fast-check has no lookarounds (password rules such as `^(?=.*\d)[A-Za-z\d]{8,}$`): draw from the
  // pattern without them; `stringMatching` keeps only the candidates the full pattern accepts.
  const sources = hasLookaround(pattern) ? [pattern, withoutLookarounds(pattern)] : [pattern];
  for (const source of sources) {
    for (const build of [() => patternRegExp(`^(?:${source})$`, 'u'), () => new RegExp(`^(?:${source})$`), () => new RegExp(source)]) {
      try {
        arbitrary = fastCheck().stringMatching(build(), { size });
        break;
      } catch {
        // Not a regex fast-check supports in this form: try the next, looser one.
      }
    }
    if (arbitrary) break;
  }
  arbitraries.set(key, arbitrary);
  return arbitrary;
}

const LOOKAROUND = /\(\?<?[=!]/;

function hasLookaround(pattern: string): boolean {
  return LOOKAROUND.test(pattern);
}

/** `pattern` with every lookahead/lookbehind group removed (escapes and character classes respected). */
export function withoutLookarounds(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (!inClass && LOOKAROUND_AT.some((opening) => pattern.startsWith(opening, index))) {
      index = groupEnd(pattern, index);
      continue;
    }
    out += char;
    if (char === '\\' && index + 1 < pattern.length) out += pattern[++index];
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
  }
  return out;
}

const LOOKAROUND_AT = ['(?=', '(?!', '(?<=', '(?<!'];

/** Index of the `)` closing the group that opens at `start`. */
function groupEnd(pattern: string, start: number): number {
  let depth = 0;
  let inClass = false;
  for (let index = start; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === '\\') index++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return index;
  }
  return pattern.length;
}

/**
 * A string matching `pattern` within the length bounds (and accepted by `accept`, when given), drawn
 * deterministically from `seed`; undefined when the pattern is beyond fast-check or no attempt fits.
 */
export function stringMatching(pattern: string, seed: number, minLength = 0, maxLength = Infinity, accept?: (value: string) => boolean): string | undefined {
  const regex = patternTester(pattern);
  const fits = (value: string): boolean => {
    const length = [...value].length;
    return length >= minLength && length <= maxLength && regex.test(value) && (accept === undefined || accept(value));
  };
  // Candidates drawn without the lookarounds satisfy them less often, longer draws spread over a
  // wider range of lengths than the bounds admit, and a format rejects many: those draw more. An
  // exact length under `+` (AWS's 12-digit `^[0-9]+$` account ids) is one of ~100 medium lengths,
  // so a last, longer round of medium draws makes a miss all but impossible.
  // Rounds: draw size, draws, and an offset to the seed (the last round must not repeat the one before).
  const rounds: Array<[DrawSize, number, number]> = minLength > 0 ? [['small', 20, 0], ['medium', 200, 0], ['medium', 2000, 1]] : [['small', 20, 0]];
  for (const [index, [size, runs, offset]] of rounds.entries()) {
    const arbitrary = arbitraryFor(pattern, size);
    if (!arbitrary) return undefined;
    const numRuns = index === 0 && (hasLookaround(pattern) || accept !== undefined) ? 200 : runs;
    const match = fastCheck().sample(arbitrary, { seed: seed + offset, numRuns }).find(fits);
    if (match !== undefined) return match;
  }
  return undefined;
}
