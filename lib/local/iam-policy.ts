/**
 * Evaluates the IAM policy a Lambda authorizer returns against the request's method ARN, as API
 * Gateway does: `*` matches any run of characters (including `/`), `?` exactly one; an explicit
 * Deny wins over any Allow; with no matching Allow the request is denied.
 */
import type { PolicyDocument, Statement } from 'aws-lambda';
import { ACCESS_DENIED_CONTEXT_KEY } from '../../lambdas/reports/refusals';

export const INVOKE_ACTION = 'execute-api:Invoke';

export type PolicyDecision = 'allow' | 'deny' | 'explicit-deny';

const escapeRegExp = (text: string): string => text.replace(/[.+^${}()|[\]\\]/g, '\\$&');

/** Compiled patterns: an authorizer returns the same few resources on every request. */
const compiled = new Map<string, RegExp>();
const MAX_COMPILED = 1000;

const patternOf = (pattern: string, ignoreCase: boolean): RegExp => {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = compiled.get(key);
  if (!regex) {
    const source = pattern
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : escapeRegExp(ch)))
      .join('');
    regex = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(key, regex);
  }
  return regex;
};

/** IAM wildcard match of a whole string. */
export const wildcardMatch = (pattern: string, value: string, ignoreCase = false): boolean => patternOf(pattern, ignoreCase).test(value);

const list = (value: unknown): string[] | undefined => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
};

/** Action names are case-insensitive in IAM; resource ARNs are not. */
const statementApplies = (statement: Statement, methodArn: string): boolean => {
  const s = statement as unknown as Record<string, unknown>;
  const actions = list(s.Action);
  const notActions = list(s.NotAction);
  const actionOk = actions
    ? actions.some((a) => wildcardMatch(a, INVOKE_ACTION, true))
    : notActions
      ? !notActions.some((a) => wildcardMatch(a, INVOKE_ACTION, true))
      : false;
  if (!actionOk) return false;
  const resources = list(s.Resource);
  const notResources = list(s.NotResource);
  if (resources) return resources.some((r) => wildcardMatch(r, methodArn));
  if (notResources) return !notResources.some((r) => wildcardMatch(r, methodArn));
  return false;
};

export const evaluatePolicy = (policy: PolicyDocument | undefined, methodArn: string): PolicyDecision => {
  const statements = policy?.Statement;
  if (!Array.isArray(statements)) return 'deny';
  let allowed = false;
  for (const statement of statements) {
    if (!statementApplies(statement, methodArn)) continue;
    if (statement.Effect?.toLowerCase() === 'deny') return 'explicit-deny';
    if (statement.Effect?.toLowerCase() === 'allow') allowed = true;
  }
  return allowed ? 'allow' : 'deny';
};

/**
 * The detail of the 403 a denied request gets, as the stack's ACCESS_DENIED gateway response
 * builds it: the sentence the authorizer put in its context (what to check), else a generic one.
 */
export const accessDeniedDetail = (context: Record<string, unknown> | null | undefined): string => {
  const detail = context?.[ACCESS_DENIED_CONTEXT_KEY];
  return typeof detail === 'string' && detail ? detail : 'This token is not allowed to call this resource.';
};
