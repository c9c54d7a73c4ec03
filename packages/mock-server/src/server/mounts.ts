/**
 * Where each spec is served: under its first server URL's path, with collisions resolved
 * deterministically — the first spec (in the order given) keeps the contested base path and each
 * later one moves under it to `/<slug of info.title>` (then `-2`, `-3`, ... if that is taken too).
 */
export interface MountRequest {
  basePath: string;
  title: string;
}

export function assignBasePaths(requests: readonly MountRequest[]): string[] {
  const taken = new Set<string>();
  return requests.map(({ basePath, title }) => {
    const wanted = normalize(basePath);
    if (!taken.has(wanted)) {
      taken.add(wanted);
      return wanted;
    }
    const stem = `${wanted}/${slug(title) || 'api'}`;
    let candidate = stem;
    for (let suffix = 2; taken.has(candidate); suffix++) candidate = `${stem}-${suffix}`;
    taken.add(candidate);
    return candidate;
  });
}

function normalize(basePath: string): string {
  const trimmed = basePath.replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The mount serving a path: the longest base path that prefixes it. */
export function findMount<T extends { basePath: string }>(mounts: readonly T[], path: string): T | undefined {
  let best: T | undefined;
  for (const mount of mounts) {
    const base = mount.basePath;
    const matches = base === '' || path === base || path.startsWith(`${base}/`);
    if (matches && (!best || base.length > best.basePath.length)) best = mount;
  }
  return best;
}
