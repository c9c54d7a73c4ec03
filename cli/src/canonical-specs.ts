import { resolve } from 'node:path';
import { canonicalSpecs, redoclyConfigPath } from '@finrail/specs';

/** The three canonical Finrail APIs, which commands act on when given no spec arguments. */
export const canonicalSpecPaths: readonly string[] = canonicalSpecs.map((spec) => spec.path);

/** The Finrail ruleset: specs/redocly.yaml (Redocly's `recommended` plus Finrail's rules). */
export const defaultLintConfigPath: string = redoclyConfigPath;

/** Spec arguments as absolute paths, each once; the canonical specs when there are none. */
export function specsOrCanonical(specs: readonly string[]): readonly string[] {
  return specs.length > 0 ? [...new Set(specs.map((spec) => resolve(spec)))] : canonicalSpecPaths;
}
