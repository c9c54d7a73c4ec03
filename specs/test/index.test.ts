import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalSpecs, fixtureIds, redoclyConfigPath, specsDir } from '../src/index.ts';

describe('@finrail/specs entry points', () => {
  it('lists the three canonical specs by absolute path', () => {
    expect(canonicalSpecs.map((spec) => spec.name)).toEqual(['wallets', 'payments', 'open-banking']);
    for (const spec of canonicalSpecs) {
      expect(isAbsolute(spec.path)).toBe(true);
      expect(existsSync(spec.path), spec.path).toBe(true);
      expect(spec.path.startsWith(specsDir)).toBe(true);
    }
  });

  it('points at the Redocly config', () => {
    expect(isAbsolute(redoclyConfigPath)).toBe(true);
    expect(existsSync(redoclyConfigPath)).toBe(true);
  });

  it('exports unique, well-formed fixture ids', () => {
    const ids = Object.values(fixtureIds).flatMap((group) => Object.values(group) as string[]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+_[0-9A-HJKMNP-TV-Z]{26}$/);
  });
});
