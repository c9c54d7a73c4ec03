#!/usr/bin/env node
// In a checkout of the Finrail repo the CLI runs straight from its TypeScript sources
// (Node >= 22.18 strips types natively), resolving workspace packages through their
// "source" export condition. A published install has no src/ and runs the built dist/.
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';

const source = new URL('../src/main.ts', import.meta.url);
if (existsSync(source)) {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      return nextResolve(specifier, { ...context, conditions: ['source', ...context.conditions] });
    },
  });
  await import(source.href);
} else {
  await import(new URL('../dist/main.js', import.meta.url).href);
}
