import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_BASE_PATHS } from '@finrail/sdk';

const specDirs = { wallets: 'wallets', payments: 'payments', openBanking: 'open-banking' } as const;

describe('API base paths', () => {
  for (const [api, dir] of Object.entries(specDirs) as Array<[keyof typeof specDirs, string]>) {
    const specPath = new URL(`../../../specs/${dir}/openapi.yaml`, import.meta.url);
    it.skipIf(!existsSync(specPath))(`${api} matches the servers of specs/${dir}/openapi.yaml`, () => {
      const servers = readFileSync(specPath, 'utf8').split(/^servers:\s*$/m)[1]?.split(/^\S/m)[0] ?? '';
      const paths = [...servers.matchAll(/url:\s*['"]?https?:\/\/[^/\s'"]+(\/[^\s'"]*)/g)].map((match) => match[1]!.replace(/\/$/, ''));
      expect(paths.length).toBeGreaterThan(0);
      expect(new Set(paths)).toEqual(new Set([API_BASE_PATHS[api]]));
    });
    if (!existsSync(specPath)) console.log(`skipped: specs/${dir}/openapi.yaml does not exist yet`);
  }
});
