/**
 * The console handler with the API Gateway REST events it receives in AWS (stage `prod`), serving
 * the real build and a hand-made one.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { CONSOLE_ASSETS } from '../../../lambdas/console/assets';
import type { ConsoleAsset } from '../../../lambdas/console/asset-format';
import { consoleBasePath, CONTENT_SECURITY_POLICY, createConsoleHandler } from '../../../lambdas/handlers/console';
import { loadConfig } from '../../../lambdas/shared/config';
import { testEvent } from '../../helpers/invoke';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const context = { awsRequestId: 'r', functionName: 'console', getRemainingTimeInMillis: () => 3000 } as unknown as Context;

const get = async (target: Handler, path: string, headers: Record<string, string> = {}) => {
  const event = testEvent('GET', path, undefined, { headers: { Host: 'abc.execute-api.eu-west-1.amazonaws.com', ...headers } });
  const result = await target(event, context);
  return { ...result, headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)])) };
};

const scriptName = Object.keys(CONSOLE_ASSETS).find((name) => name.endsWith('.js')) as string;

/** The console reads no table: it takes only the configuration. */
const rt = loadConfig({});
const handler = createConsoleHandler(rt);

describe('console handler', () => {
  it('GET /console → the page, its base pointing at the console under the stage', async () => {
    const res = await get(handler, '/console');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<base href="/prod/console/">');
    expect(res.body).not.toContain('<base href="./">');
    expect(res.body).toContain(`src="./${scriptName}"`);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.isBase64Encoded).toBe(false);
  });

  it('GET /console/index.html → the same page', async () => {
    expect((await get(handler, '/console/index.html')).body).toBe((await get(handler, '/console')).body);
  });

  it('every answer carries a strict CSP and the other security headers', async () => {
    for (const path of ['/console', `/console/${scriptName}`, '/console/favicon.svg']) {
      const { headers } = await get(handler, path);
      expect(headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['referrer-policy']).toBe('no-referrer');
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('GET /console/<hashed script> → JavaScript cached for a year', async () => {
    const res = await get(handler, `/console/${scriptName}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body).toBe(CONSOLE_ASSETS[scriptName].body);
  });

  it('GET /console/favicon.svg → an SVG cached for an hour (its name never changes)', async () => {
    const res = await get(handler, '/console/favicon.svg');
    expect(res.headers['content-type']).toBe('image/svg+xml');
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('GET /console/<unknown> → 404 SCIM error', async () => {
    const res = await get(handler, '/console/secrets.json');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('application/scim+json');
    expect(JSON.parse(res.body)).toMatchObject({ status: '404', detail: 'The console has no file "secrets.json".' });
  });

  it('GET /console/__proto__ → 404, not an object property', async () => {
    expect((await get(handler, '/console/__proto__')).statusCode).toBe(404);
    expect((await get(handler, '/console/constructor')).statusCode).toBe(404);
  });

  it('GET with a matching If-None-Match → 304 without a body', async () => {
    const first = await get(handler, `/console/${scriptName}`);
    const again = await get(handler, `/console/${scriptName}`, { 'If-None-Match': `W/${first.headers.etag}` });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(first.headers.etag);
    expect((await get(handler, `/console/${scriptName}`, { 'If-None-Match': '"other"' })).statusCode).toBe(200);
  });

  it('sends a binary file base64-encoded', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64');
    const assets: Record<string, ConsoleAsset> = {
      'index.html': { contentType: 'text/html; charset=utf-8', body: '<html><head><base href="./"></head></html>' },
      'logo-abc.png': { contentType: 'image/png', body: png, base64: true, immutable: true },
    };
    const res = await get(createConsoleHandler(rt, assets), '/console/logo-abc.png');
    expect(res.isBase64Encoded).toBe(true);
    expect(res.body).toBe(png);
    expect(res.headers['content-type']).toBe('image/png');
  });

  it('refuses a build whose page lacks the base placeholder', () => {
    expect(() => createConsoleHandler(rt, { 'index.html': { contentType: 'text/html', body: '<html></html>' } })).toThrow(/base href/);
  });
});

describe('consoleBasePath', () => {
  it('is the API root path plus /console/, without host', () => {
    expect(consoleBasePath('https://abc.execute-api.eu-west-1.amazonaws.com/prod')).toBe('/prod/console/');
    expect(consoleBasePath('https://scim.example.com')).toBe('/console/');
    expect(consoleBasePath('http://localhost:8080/')).toBe('/console/');
    expect(consoleBasePath('https://scim.example.com/a"b<c')).toBe('/a%22b%3Cc/console/');
  });
});
