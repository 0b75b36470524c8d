import type { PolicyDocument } from 'aws-lambda';
import { evaluatePolicy, wildcardMatch } from '../../../lib/local/iam-policy';

const STAGE = 'arn:aws:execute-api:local:000000000000:local/local';
const arn = (method: string, path: string) => `${STAGE}/${method}/${path}`;

const policy = (...statements: Array<{ Effect: string; Resource: string | string[]; Action?: string | string[] }>): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements.map((s) => ({ Action: s.Action ?? 'execute-api:Invoke', Effect: s.Effect, Resource: s.Resource })) as PolicyDocument['Statement'],
});

describe('wildcardMatch', () => {
  it('lets * match any run of characters, slashes included', () => {
    expect(wildcardMatch(`${STAGE}/*/apps/abc/*`, arn('GET', 'apps/abc/scim/v2/Users/1'))).toBe(true);
    expect(wildcardMatch('*', 'anything/at/all')).toBe(true);
  });

  it('lets ? match exactly one character', () => {
    expect(wildcardMatch('a?c', 'abc')).toBe(true);
    expect(wildcardMatch('a?c', 'ac')).toBe(false);
    expect(wildcardMatch('a?c', 'abbc')).toBe(false);
  });

  it('treats regular-expression characters literally', () => {
    expect(wildcardMatch('a.c', 'abc')).toBe(false);
    expect(wildcardMatch('a(b)+', 'a(b)+')).toBe(true);
  });

  it('matches the whole string only', () => {
    expect(wildcardMatch(`${STAGE}/*/admin`, arn('GET', 'admin/apps'))).toBe(false);
  });
});

describe('evaluatePolicy', () => {
  const appPolicy = policy({ Effect: 'Allow', Resource: `${STAGE}/*/apps/abc/*` });
  const adminPolicy = policy({ Effect: 'Allow', Resource: [`${STAGE}/*/admin`, `${STAGE}/*/admin/*`] });

  it("allows an application token on its own tenant's paths", () => {
    expect(evaluatePolicy(appPolicy, arn('GET', 'apps/abc/scim/v2/Users'))).toBe('allow');
  });

  it("denies an application token on another application's paths", () => {
    expect(evaluatePolicy(appPolicy, arn('GET', 'apps/abd/scim/v2/Users'))).toBe('deny');
    expect(evaluatePolicy(appPolicy, arn('GET', 'apps/abcd/scim/v2/Users'))).toBe('deny');
  });

  it('denies an admin token on a tenant URL and allows it under /admin', () => {
    expect(evaluatePolicy(adminPolicy, arn('GET', 'apps/abc/scim/v2/Users'))).toBe('deny');
    expect(evaluatePolicy(adminPolicy, arn('GET', 'admin/reports'))).toBe('allow');
    expect(evaluatePolicy(adminPolicy, arn('DELETE', 'admin/apps/abc/tokens/t1'))).toBe('allow');
  });

  it('lets an explicit Deny win over an Allow, whatever the order', () => {
    const both = policy({ Effect: 'Allow', Resource: '*' }, { Effect: 'Deny', Resource: `${STAGE}/DELETE/*` });
    expect(evaluatePolicy(both, arn('DELETE', 'apps/abc/scim/v2/Users/1'))).toBe('explicit-deny');
    expect(evaluatePolicy(both, arn('GET', 'apps/abc/scim/v2/Users/1'))).toBe('allow');
    const reversed = policy({ Effect: 'Deny', Resource: '*' }, { Effect: 'Allow', Resource: '*' });
    expect(evaluatePolicy(reversed, arn('GET', 'x'))).toBe('explicit-deny');
  });

  it('denies when no statement allows', () => {
    expect(evaluatePolicy(policy(), arn('GET', 'x'))).toBe('deny');
    expect(evaluatePolicy(undefined, arn('GET', 'x'))).toBe('deny');
  });

  it('ignores statements about other actions', () => {
    const other = policy({ Effect: 'Allow', Resource: '*', Action: 's3:GetObject' });
    expect(evaluatePolicy(other, arn('GET', 'x'))).toBe('deny');
    const wildcardAction = policy({ Effect: 'Allow', Resource: '*', Action: 'execute-api:*' });
    expect(evaluatePolicy(wildcardAction, arn('GET', 'x'))).toBe('allow');
  });

  it('matches action names without regard to case', () => {
    expect(evaluatePolicy(policy({ Effect: 'Allow', Resource: '*', Action: 'Execute-API:invoke' }), arn('GET', 'x'))).toBe('allow');
  });

  it('honours NotResource', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', NotResource: `${STAGE}/*/admin/*` }],
    } as PolicyDocument;
    expect(evaluatePolicy(doc, arn('GET', 'apps/abc/scim/v2/Users'))).toBe('allow');
    expect(evaluatePolicy(doc, arn('GET', 'admin/reports'))).toBe('deny');
  });
});
