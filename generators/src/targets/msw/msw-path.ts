/**
 * An OpenAPI path template as an msw path pattern: `{walletId}` becomes `:walletId`, literal
 * characters msw treats specially (`*`, `:`, `[`, `]`, `\`) are escaped, and parameter names that
 * are not identifiers (`{user-id}`) are renamed (`:user_id`) — `params` lists the mapping.
 * A query string or fragment in the template is dropped.
 */
export interface MswPath {
  pattern: string;
  params: { name: string; key: string }[];
}

export function toMswPath(template: string): MswPath {
  // msw matches the path alone: a query string or fragment in the template (`/#Action=CreateQueue`)
  // is left to the handler's discriminators.
  template = template.replace(/[?#].*$/s, '');
  const params: MswPath['params'] = [];
  const used = new Set<string>();
  let pattern = '';
  let last = 0;
  for (const match of template.matchAll(/\{([^}]+)\}/g)) {
    pattern += escapeLiteral(template.slice(last, match.index), last > 0);
    const name = match[1] as string;
    let key = name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=\d)/, '_');
    while (used.has(key)) key += '_';
    used.add(key);
    params.push({ name, key });
    pattern += `:${key}`;
    last = match.index + match[0].length;
  }
  pattern += escapeLiteral(template.slice(last), last > 0);
  return { pattern, params };
}

/** After a parameter, a leading identifier character would extend the name: escape it too. */
function escapeLiteral(text: string, afterParameter: boolean): string {
  const escaped = text.replace(/[*:[\]\\]/g, (character) => `\\${character}`);
  return afterParameter && /^[A-Za-z0-9_]/.test(escaped) ? `\\${escaped}` : escaped;
}
