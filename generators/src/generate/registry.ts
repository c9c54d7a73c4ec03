// The target plugin registry: built-in targets plus any registered at run time.
import * as builtins from './builtin-targets.ts';
import type { Target } from './target.ts';

const targets = new Map<string, Target>();

export function registerTarget(target: Target): void {
  const existing = targets.get(target.name);
  if (existing && existing !== target) throw new Error(`a generator target named "${target.name}" is already registered`);
  targets.set(target.name, target);
}

export function getTarget(name: string): Target | undefined {
  return targets.get(name);
}

/** Registered targets, sorted by name. */
export function listTargets(): Target[] {
  return [...targets.values()].sort((a, b) => a.name.localeCompare(b.name));
}

for (const target of Object.values(builtins) as Target[]) registerTarget(target);
