import fixture from '../../fixtures/events/apigw-rest/list-users-filter.json';
import { buildProxyEvent, clfTime, collectHeaders, parseQueryString, type RequestParts } from '../../../lib/local/proxy-event';

/** Every key path with the JSON type of its value; arrays and maps of values reduce to their element type. */
const shapeOf = (value: unknown, at = '$', out = new Map<string, string>()): Map<string, string> => {
  if (value === null) out.set(at, 'null');
  else if (Array.isArray(value)) {
    out.set(at, 'array');
    value.forEach((v) => shapeOf(v, `${at}[]`, out));
  } else if (typeof value === 'object') {
    out.set(at, 'object');
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) shapeOf(v, `${at}.${k}`, out);
  } else out.set(at, typeof value);
  return out;
};

/** Maps whose keys are data (header names, parameters, authorizer context) are compared by value type only. */
const DATA_MAPS = ['$.headers', '$.multiValueHeaders', '$.queryStringParameters', '$.multiValueQueryStringParameters', '$.pathParameters'];
const normalise = (shape: Map<string, string>): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [path, type] of shape) {
    const map = DATA_MAPS.find((m) => path.startsWith(`${m}.`));
    out.set(map ? path.replace(/^(\$\.[A-Za-z]+)\.[^.[\]]+/, '$1.*') : path, type);
  }
  return out;
};

const TOKEN = 'Bearer scgw_app_a1b2c3d4e5f6_t0k3n1d0_EXAMPLEONLY';

const request = (overrides: Partial<RequestParts> = {}): RequestParts => ({
  method: 'GET',
  rawPath: '/apps/a1b2c3d4e5f6/scim/v2/Users',
  rawQuery: 'filter=userName%20eq%20%22x%22',
  rawHeaders: [
    'Accept', 'application/scim+json',
    'Authorization', TOKEN,
    'Host', 'localhost:8080',
    'User-Agent', 'Microsoft.Identity.Provisioning',
    'X-Amzn-Trace-Id', 'Root=1-67890abc-0123456789abcdef01234567',
    'X-Forwarded-For', '127.0.0.1',
    'X-Forwarded-Port', '8080',
    'X-Forwarded-Proto', 'http',
  ],
  body: Buffer.alloc(0),
  sourceIp: '127.0.0.1',
  protocol: 'HTTP/1.1',
  receivedAt: new Date(Date.UTC(2025, 2, 4, 19, 15, 17, 135)),
  ...overrides,
});

const target = {
  accountId: '000000000000',
  apiId: 'local',
  stage: 'local',
  requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  resource: '/apps/{appId}/scim/v2/Users',
  resourceId: 'x1y2z3',
  operationName: 'listUsers',
  pathParameters: { appId: 'a1b2c3d4e5f6' },
  authorizer: {
    kind: 'app',
    appId: 'a1b2c3d4e5f6',
    appName: 'Entra ID',
    tokenId: 't0k3n1d0',
    requiredAttributes: '["userName"]',
    principalId: 'app:a1b2c3d4e5f6:t0k3n1d0',
    integrationLatency: 3,
  },
};

describe('buildProxyEvent', () => {
  it('has the shape of the API Gateway REST fixture, key for key and type for type', () => {
    const built = normalise(shapeOf(JSON.parse(JSON.stringify(buildProxyEvent(request(), target)))));
    const expected = normalise(shapeOf(fixture));
    // The typed event also carries identity.apiKey/apiKeyId (null), which API Gateway sends when API keys are on.
    built.delete('$.requestContext.identity.apiKey');
    built.delete('$.requestContext.identity.apiKeyId');
    expect(Object.fromEntries(built)).toEqual(Object.fromEntries(expected));
  });

  it('carries the same request data as the fixture for the same request', () => {
    const event = buildProxyEvent(request(), target);
    expect(event.resource).toBe(fixture.resource);
    expect(event.path).toBe(fixture.path);
    expect(event.httpMethod).toBe(fixture.httpMethod);
    expect(event.queryStringParameters).toEqual(fixture.queryStringParameters);
    expect(event.multiValueQueryStringParameters).toEqual(fixture.multiValueQueryStringParameters);
    expect(event.pathParameters).toEqual(fixture.pathParameters);
    expect(event.headers.Authorization).toBe(fixture.headers.Authorization);
    expect(event.requestContext.resourcePath).toBe(fixture.requestContext.resourcePath);
    expect(event.requestContext.operationName).toBe(fixture.requestContext.operationName);
    expect(event.requestContext.authorizer).toEqual({ ...fixture.requestContext.authorizer, integrationLatency: 3 });
    expect(event.body).toBeNull();
    expect(event.isBase64Encoded).toBe(false);
  });

  it('fills the request context from the request', () => {
    const event = buildProxyEvent(request(), target);
    expect(event.requestContext).toMatchObject({
      requestId: target.requestId,
      requestTimeEpoch: Date.UTC(2025, 2, 4, 19, 15, 17, 135),
      requestTime: '04/Mar/2025:19:15:17 +0000',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      httpMethod: 'GET',
      stage: 'local',
      path: '/apps/a1b2c3d4e5f6/scim/v2/Users',
      identity: { sourceIp: '127.0.0.1', userAgent: 'Microsoft.Identity.Provisioning' },
    });
  });

  it('gives null maps when there is no query and no path parameter', () => {
    const event = buildProxyEvent(request({ rawQuery: undefined }), { ...target, pathParameters: {} });
    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
    expect(event.pathParameters).toBeNull();
    expect(event.stageVariables).toBeNull();
  });

  it('passes a UTF-8 body as a string', () => {
    const event = buildProxyEvent(request({ method: 'POST', body: Buffer.from('{"userName":"zoë"}') }), target);
    expect(event.body).toBe('{"userName":"zoë"}');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('passes a body that is not UTF-8 as base64', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const event = buildProxyEvent(request({ method: 'POST', body: bytes }), target);
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
  });
});

describe('parseQueryString', () => {
  it('decodes + and %20 as a space and %2B as a plus, as API Gateway REST does', () => {
    expect(parseQueryString('filter=userName+eq+%22a%2Bb%22')?.single).toEqual({ filter: 'userName eq "a+b"' });
    expect(parseQueryString('filter=userName%20eq%20%22a%2Bb%22')?.single).toEqual({ filter: 'userName eq "a+b"' });
  });

  it("decodes Entra's form-encoded group lookup to the filter Entra meant", () => {
    const parsed = parseQueryString('excludedAttributes=members&filter=displayName+eq+%22EDU+All+personal%22');
    expect(parsed?.single).toEqual({ excludedAttributes: 'members', filter: 'displayName eq "EDU All personal"' });
    expect(parsed?.multi.filter).toEqual(['displayName eq "EDU All personal"']);
  });

  it('decodes parameter names the same way as values', () => {
    expect(parseQueryString('a+b%2Bc=1')?.single).toEqual({ 'a b+c': '1' });
  });

  it('gives a bare key an empty value (Entra sends ?aadOptscim062020)', () => {
    expect(parseQueryString('aadOptscim062020')).toEqual({ single: { aadOptscim062020: '' }, multi: { aadOptscim062020: [''] } });
  });

  it('keeps every value in the multi-value map and the last in the single-value map', () => {
    expect(parseQueryString('a=1&b=2&a=3')).toEqual({ single: { a: '3', b: '2' }, multi: { a: ['1', '3'], b: ['2'] } });
  });

  it('gives null for no query or an empty one', () => {
    expect(parseQueryString(undefined)).toBeNull();
    expect(parseQueryString('')).toBeNull();
    expect(parseQueryString('&&')).toBeNull();
  });

  it('passes a broken escape through as sent', () => {
    expect(parseQueryString('q=%E0%A4%A')?.single).toEqual({ q: '%E0%A4%A' });
  });

  it('splits on the first = only', () => {
    expect(parseQueryString('filter=a=b')?.single).toEqual({ filter: 'a=b' });
  });
});

describe('collectHeaders', () => {
  it("keeps the client's casing and groups repeats case-insensitively", () => {
    expect(collectHeaders(['X-Test', 'a', 'x-test', 'b', 'Host', 'h'])).toEqual({
      single: { 'X-Test': 'b', Host: 'h' },
      multi: { 'X-Test': ['a', 'b'], Host: ['h'] },
    });
  });
});

describe('clfTime', () => {
  it('formats as API Gateway $context.requestTime', () => {
    expect(clfTime(new Date(Date.UTC(2020, 2, 4, 19, 5, 7)))).toBe('04/Mar/2020:19:05:07 +0000');
  });
});
