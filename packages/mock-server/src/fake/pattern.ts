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
  const sources = (hasLookaround(pattern) ? [pattern, withoutLookarounds(pattern)] : [pattern]).map(withDrawableNegatedClasses);
  for (const source of sources) {
    if (source === undefined) continue;
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

/**
 * fast-check draws a negated class (`[^...]`) as printable ASCII filtered by the class: one that
 * excludes all of it (quicksight's `^[^\u0000-\u00FF]$`) would filter forever. Such a class becomes
 * the positive class of the sample characters it accepts; undefined when it accepts none of them.
 */
function withDrawableNegatedClasses(pattern: string): string | undefined {
  let out = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '\\') {
      out += pattern.slice(index, index + 2);
      index++;
    } else if (char === '[') {
      const end = classEnd(pattern, index);
      const cls = pattern.slice(index, end + 1);
      index = end;
      if (!cls.startsWith('[^')) {
        out += cls;
        continue;
      }
      const accepts = classTester(cls);
      if (accepts === undefined || PRINTABLE_ASCII.some((candidate) => accepts(candidate))) {
        out += cls;
        continue;
      }
      const drawable = BEYOND_ASCII.filter((candidate) => accepts(candidate));
      if (drawable.length === 0) return undefined;
      out += `[${drawable.join('')}]`;
    } else out += char;
  }
  return out;
}

const PRINTABLE_ASCII = Array.from({ length: 0x7f - 0x20 }, (_, offset) => String.fromCharCode(0x20 + offset));
/** Letters from several scripts, for classes that exclude ASCII: Latin-1, Latin Extended, Greek, Cyrillic, CJK, kana, Hangul. */
const BEYOND_ASCII = [...'éñßøçüÀÿāőŷΩλπжшя中文字本日あアカ한국'];

function classTester(cls: string): ((candidate: string) => boolean) | undefined {
  for (const flags of ['u', '']) {
    try {
      const regex = new RegExp(`^${cls}$`, flags);
      return (candidate) => regex.test(candidate);
    } catch {
      // Not valid with these flags: try without.
    }
  }
  return undefined;
}

/** Index of the `]` closing the character class that opens at `start`. */
function classEnd(pattern: string, start: number): number {
  // In JavaScript a `]` right after `[` or `[^` closes the class (`[]` matches nothing, `[^]` anything).
  for (let index = pattern[start + 1] === '^' ? start + 2 : start + 1; index < pattern.length; index++) {
    if (pattern[index] === '\\') index++;
    else if (pattern[index] === ']') return index;
  }
  return pattern.length - 1;
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
  // Whether some draw matched and only its length was wrong: the one case more draws can help.
  let lengthMissed = false;
  /** A draw that matched but was too short: padded, it may do (see the end). */
  let short: string | undefined;
  const fits = (value: string): boolean => {
    if (!regex.test(value) || (accept !== undefined && !accept(value))) return false;
    const length = [...value].length;
    if (length >= minLength && length <= maxLength) return true;
    lengthMissed = true;
    if (length < minLength) short ??= value;
    return false;
  };
  // Rounds of draws: size, count, and an offset to the seed (so the last does not repeat the one
  // before). A first round drawn without lookarounds, or checked against a format, draws 200, as
  // those reject many candidates. An exact length under `+` (AWS's 12-digit `^[0-9]+$` account ids)
  // is one of ~100 medium lengths, hence a last, long round; it runs only after draws that missed on
  // length alone, or an unsatisfiable pattern (AWS's `^[a-z]*$\{1,256\}`) would cost thousands of
  // draws for every value it appears in.
  const rounds: Array<[DrawSize, number, number]> = minLength > 0 ? [['small', 20, 0], ['medium', 200, 0], ['medium', 2000, 1]] : [['small', 20, 0]];
  for (const [index, [size, runs, offset]] of rounds.entries()) {
    if (index === 2 && !lengthMissed) break;
    const arbitrary = arbitraryFor(pattern, size);
    if (!arbitrary) return undefined;
    const numRuns = index === 0 && (hasLookaround(pattern) || accept !== undefined) ? 200 : runs;
    const match = fastCheck().sample(arbitrary, { seed: seed + offset, numRuns }).find(fits);
    if (match !== undefined) return match;
  }
  // Draws are whole matches of the pattern, but a pattern is a search: one not anchored at its end
  // (gamesparks: `^arn:aws:gamesparks:`, at least 20 characters) takes any tail, and `+`/`*` take
  // their last character again.
  if (short === undefined) return undefined;
  const missing = minLength - [...short].length;
  const last = [...short].at(-1);
  return [...(last === undefined ? [] : [short + last.repeat(missing)]), short + 'x'.repeat(missing)].find(fits);
}
