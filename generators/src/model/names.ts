// Turning arbitrary OpenAPI names (operationIds, paths, segments) into stable JS identifiers.

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval undefined NaN Infinity'
  ).split(' '),
);

/** Words of a name, split on non-alphanumerics and on lower→upper / acronym boundaries. */
export function words(input: string): string[] {
  return input
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export function pascalCase(input: string): string {
  return words(input)
    .map((word) => capitalize(word.toLowerCase()))
    .join('');
}

/** PascalCase usable as a type name: '_' prefixed when it would start with a digit ('123_test' → '_123Test'). */
export function pascalIdentifier(input: string): string {
  const name = pascalCase(input);
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** camelCase; keeps existing camelCase intact ('listWalletTransactions' stays as is). */
export function camelCase(input: string): string {
  const pascal = pascalCase(input);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

export function isReservedWord(name: string): boolean {
  return RESERVED.has(name);
}

/** A valid, non-reserved JS identifier built from `input` (camelCase), '_' prefixed when it starts with a digit. */
export function identifier(input: string, fallback = 'operation'): string {
  let name = camelCase(input) || fallback;
  if (/^[0-9]/.test(name)) name = `_${name}`;
  if (isReservedWord(name)) name = `${name}_`;
  return name;
}

/** Stable operationId for an operation that has none: `get /pets/{petId}/toys` → 'getPetsByPetIdToys'. */
export function deriveOperationId(method: string, path: string): string {
  const parts = path
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const param = /^\{(.+)\}$/.exec(segment);
      return param ? `By${pascalCase(param[1]!)}` : pascalCase(segment);
    });
  return method.toLowerCase() + (parts.join('') || 'Root');
}

/**
 * Makes each name unique in order of appearance: the first keeps its name, later duplicates get
 * '2', '3', ... (with `separator` before the number), skipping names already taken.
 */
export function dedupe(names: string[], separator = ''): string[] {
  const taken = new Set<string>();
  const counts = new Map<string, number>();
  const firsts = new Set(names);
  return names.map((name) => {
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
    let n = counts.get(name) ?? 1;
    let candidate: string;
    do {
      n += 1;
      candidate = `${name}${separator}${n}`;
    } while (taken.has(candidate) || firsts.has(candidate));
    counts.set(name, n);
    taken.add(candidate);
    return candidate;
  });
}
