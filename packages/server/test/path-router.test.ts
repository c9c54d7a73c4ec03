import { describe, expect, it } from 'vitest';
import { chooseRoute, PathRouter, routeParams, segmentPatterns, type Discriminator } from '../src/index.ts';

function build() {
  const router = new PathRouter<string>();
  router.add('/wallets', 'get', 'listWallets');
  router.add('/wallets/{walletId}', 'get', 'getWallet');
  router.add('/wallets/{id}', 'delete', 'deleteWallet');
  router.add('/wallets/summary', 'get', 'summary');
  router.add('/wallets/{walletId}/holds/{holdId}', 'post', 'captureHold');
  router.add('/files/{name}.{ext}', 'get', 'file');
  router.add('/files/{path}', 'get', 'anyFile');
  return router;
}

function find(router: PathRouter<string>, path: string, method: string) {
  const match = router.find(path);
  const route = match?.routes.get(method);
  return route && { value: route.value, params: routeParams(route, match!.values) };
}

describe('PathRouter', () => {
  it('prefers concrete segments over templated ones', () => {
    const router = build();
    expect(find(router, '/wallets/summary', 'get')).toEqual({ value: 'summary', params: {} });
    expect(find(router, '/wallets/wal_1', 'get')).toEqual({ value: 'getWallet', params: { walletId: 'wal_1' } });
  });

  it('names parameters per route when templates share a branch', () => {
    const router = build();
    expect(find(router, '/wallets/wal_1', 'delete')).toEqual({ value: 'deleteWallet', params: { id: 'wal_1' } });
    expect(find(router, '/wallets/wal_1/holds/hold_2', 'post')).toEqual({ value: 'captureHold', params: { walletId: 'wal_1', holdId: 'hold_2' } });
  });

  it('matches mixed segments before whole-segment parameters', () => {
    const router = build();
    expect(find(router, '/files/report.pdf', 'get')).toEqual({ value: 'file', params: { name: 'report', ext: 'pdf' } });
    // A dot inside the first value stays in it (tomtom: `{heading}.{ext}` with heading 31.5).
    expect(find(router, '/files/report.final.pdf', 'get')).toEqual({ value: 'file', params: { name: 'report.final', ext: 'pdf' } });
    expect(find(router, '/files/README', 'get')).toEqual({ value: 'anyFile', params: { path: 'README' } });
  });

  it('splits parameters with nothing between them where the listed values of one fit (healthcare.gov)', () => {
    const router = new PathRouter<string>();
    const patterns = segmentPatterns([{ name: 'mediaTypeExtension', in: 'path', type: 'string', values: ['.json', '.xml'] }]);
    router.add('/blog/{pageName}{mediaTypeExtension}', 'get', 'blogPage', [], patterns);
    expect(find(router, '/blog/about-the-marketplace.json', 'get')).toEqual({ value: 'blogPage', params: { pageName: 'about-the-marketplace', mediaTypeExtension: '.json' } });
    expect(find(router, '/blog/a.b.xml', 'get')).toEqual({ value: 'blogPage', params: { pageName: 'a.b', mediaTypeExtension: '.xml' } });
    // No listed value ends the segment: no route (a 404, not a 400 about the extension).
    expect(router.find('/blog/about.html')).toBeUndefined();
  });

  it('still tries the segment with more literal text first when parameters carry listed values (nrel.gov)', () => {
    const router = new PathRouter<string>();
    const patterns = segmentPatterns([{ name: 'output_format', in: 'path', type: 'string', values: ['json', 'xml'] }]);
    router.add('/v1/{id}.{output_format}', 'get', 'law', [], patterns);
    router.add('/v1/pocs.{output_format}', 'get', 'pocs');
    expect(find(router, '/v1/pocs.json', 'get')).toEqual({ value: 'pocs', params: { output_format: 'json' } });
    expect(find(router, '/v1/7.xml', 'get')).toEqual({ value: 'law', params: { id: '7', output_format: 'xml' } });
    // With a dot between them the split needs no listed values: another format reaches the route,
    // whose validation answers 400 naming output_format (not a 404).
    expect(find(router, '/v1/7.html', 'get')).toEqual({ value: 'law', params: { id: '7', output_format: 'html' } });
  });

  it('splits a numeric parameter from the one after it (NASA: {id}{.format}, the id an integer)', () => {
    const router = new PathRouter<string>();
    const patterns = segmentPatterns([
      { name: 'id', in: 'path', type: 'integer' },
      { name: '.format', in: 'path', type: 'string' },
    ]);
    router.add('/api/projects/{id}{.format}', 'get', 'project', [], patterns);
    router.add('/api/scores/{score}{unit}', 'get', 'score', [], segmentPatterns([{ name: 'score', in: 'path', type: 'number' }]));
    expect(find(router, '/api/projects/42xml', 'get')).toEqual({ value: 'project', params: { id: '42', '.format': 'xml' } });
    expect(find(router, '/api/scores/-1.5e3pts', 'get')).toEqual({ value: 'score', params: { score: '-1.5e3', unit: 'pts' } });
    // Whole-segment parameters share their branch whatever their type (`/wallets/{id}` and `/wallets/{walletId}`).
    expect(segmentPatterns([{ name: 'id', in: 'path', type: 'integer' }, { name: 'q', in: 'query', type: 'integer' }])).toEqual({ id: '-?[0-9]+' });
  });

  it('matches the mixed segment with the most literal text first, whatever the order they were added in (hhs.gov)', () => {
    for (const order of [['{id}.{format}', 'tagLanguages.{format}'], ['tagLanguages.{format}', '{id}.{format}']]) {
      const router = new PathRouter<string>();
      for (const segment of order) router.add(`/tags/${segment}`, 'get', segment);
      router.add('/tags/{id}', 'get', 'bare');
      expect(find(router, '/tags/tagLanguages.json', 'get')).toEqual({ value: 'tagLanguages.{format}', params: { format: 'json' } });
      expect(find(router, '/tags/7.json', 'get')).toEqual({ value: '{id}.{format}', params: { id: '7', format: 'json' } });
      expect(find(router, '/tags/7', 'get')).toEqual({ value: 'bare', params: { id: '7' } });
    }
  });

  it('given a method, backtracks from a concrete path that serves only other methods (gitlab)', () => {
    const router = new PathRouter<string>();
    router.add('/services/kubernetes', 'put', 'putKubernetes');
    router.add('/services/{slug}', 'get', 'getService');
    expect(router.find('/services/kubernetes', 'get')?.routes.get('get')?.value).toBe('getService');
    expect(router.find('/services/kubernetes', 'head')?.routes.get('get')?.value).toBe('getService');
    expect(router.find('/services/kubernetes', 'put')?.routes.get('put')?.value).toBe('putKubernetes');
    // No template serves DELETE: the most specific one answers (405, listing PUT).
    expect([...router.find('/services/kubernetes', 'delete')!.routes.keys()]).toEqual(['put']);
    expect([...router.find('/services/kubernetes')!.routes.keys()]).toEqual(['put']);
  });

  it('routes templates carrying a query string on their path part (icons8, clicksend)', () => {
    const router = new PathRouter<string>();
    router.add('/categories?platform={platform}&language={language}', 'get', 'categories');
    router.add('/rides/{id}?expand=true', 'get', 'ride');
    expect(find(router, '/categories', 'get')).toEqual({ value: 'categories', params: {} });
    expect(find(router, '/rides/r_1', 'get')).toEqual({ value: 'ride', params: { id: 'r_1' } });
    expect(router.find('/categories', 'get')?.routes.get('get')?.template).toBe('/categories?platform={platform}&language={language}');
  });

  it('matches literal text a URL percent-encodes, as sent and as written (loket: `/dossier"`)', () => {
    const router = new PathRouter<string>();
    router.add('/employees/{id}/dossier"', 'get', 'dossier');
    router.add('/café/menu du jour', 'get', 'menu');
    // What fetch sends for these templates: the URL parser's percent-encoding.
    const sent = (template: string) => new URL(template, 'http://api.test').pathname;
    expect(find(router, sent('/employees/e1/dossier"'), 'get')).toEqual({ value: 'dossier', params: { id: 'e1' } });
    expect(find(router, '/employees/e1/dossier"', 'get')).toEqual({ value: 'dossier', params: { id: 'e1' } });
    expect(find(router, sent('/café/menu du jour'), 'get')).toEqual({ value: 'menu', params: {} });
    expect(find(router, '/employees/e1/dossier', 'get')).toBeUndefined();
  });

  it('backtracks when a concrete branch dead-ends', () => {
    const router = new PathRouter<string>();
    router.add('/a/static/x', 'get', 'static');
    router.add('/a/{id}/y', 'get', 'dynamic');
    expect(find(router, '/a/static/y', 'get')).toEqual({ value: 'dynamic', params: { id: 'static' } });
  });

  it('finds nothing for unknown paths, empty segments and trailing slashes', () => {
    const router = build();
    expect(router.find('/nope')).toBeUndefined();
    expect(router.find('/wallets//holds/x')).toBeUndefined();
    expect(router.find('/wallets/wal_1/')).toBeUndefined();
  });

  it('rejects duplicate routes', () => {
    const router = build();
    expect(() => router.add('/wallets/{other}', 'get', 'again')).toThrow('duplicate route GET /wallets/{other}');
  });

  it('tells operations on one method and path apart by their discriminators (AWS, flickr)', () => {
    const router = new PathRouter<string>();
    const action = (value: string): Discriminator[] => [{ in: 'query', name: 'Action', value }];
    router.add('/#Action=CreateQueue', 'get', 'createQueue', action('CreateQueue'));
    router.add('/#Action=DeleteQueue', 'get', 'deleteQueue', action('DeleteQueue'));
    router.add('/', 'post', 'addTags', [{ in: 'header', name: 'X-Amz-Target', value: 'CertificateManager.AddTags' }]);
    router.add('/#X-Amz-Target=CertificateManager.DeleteCertificate', 'post', 'deleteCertificate', [{ in: 'header', name: 'x-amz-target', value: 'CertificateManager.DeleteCertificate' }]);
    const route = (method: string, values: Record<string, string>) =>
      chooseRoute(router.find('/', method)!.routes.get(method)!, (discriminator) => values[discriminator.name.toLowerCase()]).value;
    expect(route('get', { action: 'DeleteQueue' })).toBe('deleteQueue');
    expect(route('get', { action: 'CreateQueue' })).toBe('createQueue');
    expect(route('post', { 'x-amz-target': 'CertificateManager.DeleteCertificate' })).toBe('deleteCertificate');
    // No discriminator matches: the first route, whose validation says what is wrong.
    expect(route('get', { action: 'Unknown' })).toBe('createQueue');
  });

  it('rejects a route no request can tell from one already there', () => {
    const router = new PathRouter<string>();
    router.add('/rest?method=a', 'get', 'a', [{ in: 'query', name: 'method', value: 'a' }]);
    expect(() => router.add('/rest', 'get', 'plain')).toThrow('duplicate route GET /rest: no request can tell it from /rest?method=a');
    expect(() => router.add('/rest?format=json', 'get', 'other', [{ in: 'query', name: 'format', value: 'json' }])).toThrow('duplicate route');
    expect(() => router.add('/rest?method=a&x=1', 'get', 'again', [{ in: 'query', name: 'method', value: 'a' }])).toThrow('duplicate route');
    router.add('/rest?method=b', 'get', 'b', [{ in: 'query', name: 'method', value: 'b' }]);
  });
});
