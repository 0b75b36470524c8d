/**
 * What every answer of the gateway must satisfy, whatever it was sent: never a 5xx (except the
 * 429/503 of an injected outage), every error a valid RFC 7644 §3.12 SCIM Error, and no token,
 * stack trace or internal key name in anything a client can read.
 */
export const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** RFC 7644 §3.12 Table 9. */
export const RFC_SCIM_TYPES = new Set([
  'invalidFilter',
  'tooMany',
  'uniqueness',
  'mutability',
  'invalidSyntax',
  'invalidPath',
  'noTarget',
  'invalidValue',
  'invalidVers',
  'sensitive',
]);

export interface Answer {
  status: number;
  headers: Record<string, string>;
  /** The body text exactly as sent. */
  raw: string;
}

/** Internal names a client must never see: key shapes, index names, SDK error names, paths, stacks. */
const LEAKS: Array<[string, RegExp]> = [
  ['a key prefix', /\b(APP|USER|GROUP|UNIQUE|MEMBEROF|FAILURE|APPNAME|USERNAME|EXTID|GROUPNAME)#/],
  ['a key attribute name', /\b(pk|sk|gsi1pk|gsi1sk|gsi2pk|gsi2sk)\b/],
  ['an index name', /\bgsi[12]\b/],
  ['a DynamoDB error name', /TransactionCanceled|ConditionalCheckFailed|ValidationException|ResourceNotFoundException|ProvisionedThroughput|ThrottlingException/],
  ['a stack frame', /\n\s+at [^\n]+\(|at (async )?[\w.<>]+ \(\/|node:internal/],
  ['a file path', /\/(work|home|var|tmp|usr)\/[\w./-]+|[\w-]+\.(ts|js):\d+/],
  ['a JavaScript error name', /\b(TypeError|ReferenceError|RangeError|SyntaxError: Unexpected)\b/],
];

/** Our token shape; any echo of one is a leak. */
export const TOKEN_PATTERN = /scgw_[A-Za-z0-9]+_[A-Za-z0-9]+_[A-Za-z0-9_-]{20,}/;

export interface Violation {
  rule: string;
  detail: string;
}

/**
 * Everything wrong with one error answer; empty when it is a proper SCIM Error. `requestText` is
 * what the client sent: a detail may quote the client's own input back, which is no leak.
 */
export const scimErrorViolations = (answer: Answer, requestText = ''): Violation[] => {
  const out: Violation[] = [];
  const contentType = (answer.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (contentType !== 'application/scim+json') out.push({ rule: 'content-type', detail: `Content-Type "${contentType}"` });
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(answer.raw) as Record<string, unknown>;
  } catch {
    return [...out, { rule: 'json', detail: `body is not JSON: ${answer.raw.slice(0, 200)}` }];
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [...out, { rule: 'object', detail: 'body is not an object' }];
  if (!Array.isArray(body.schemas) || body.schemas.length !== 1 || body.schemas[0] !== ERROR_URN) {
    out.push({ rule: 'schemas', detail: `schemas ${JSON.stringify(body.schemas)}` });
  }
  if (body.status !== String(answer.status)) out.push({ rule: 'status', detail: `status ${JSON.stringify(body.status)} for HTTP ${answer.status}` });
  if (typeof body.detail !== 'string') out.push({ rule: 'detail', detail: `detail ${JSON.stringify(body.detail)}` });
  if (body.scimType !== undefined && !RFC_SCIM_TYPES.has(String(body.scimType))) {
    out.push({ rule: 'scimType', detail: `scimType ${JSON.stringify(body.scimType)}` });
  }
  if (typeof body.detail === 'string') {
    for (const [what, pattern] of LEAKS) {
      const found = pattern.exec(body.detail);
      if (found && !requestText.includes(found[0])) out.push({ rule: 'leak', detail: `detail leaks ${what}: ${body.detail.slice(0, 300)}` });
    }
  }
  return out;
};

/**
 * The invariants of one answer. `allowed5xx` lists statuses an injected fault may produce.
 * `secrets` are strings (tokens) that must not appear anywhere in the answer.
 */
export const answerViolations = (
  answer: Answer,
  options: { secrets?: readonly string[]; allowed5xx?: readonly number[]; requestText?: string } = {},
): Violation[] => {
  const out: Violation[] = [];
  if (answer.status >= 500 && !(options.allowed5xx ?? []).includes(answer.status)) {
    out.push({ rule: '5xx', detail: `HTTP ${answer.status}: ${answer.raw.slice(0, 300)}` });
  }
  if (answer.status >= 400) out.push(...scimErrorViolations(answer, options.requestText));
  const everything = `${JSON.stringify(answer.headers)}\n${answer.raw}`;
  for (const secret of options.secrets ?? []) {
    if (secret && everything.includes(secret)) out.push({ rule: 'token echoed', detail: 'a token sent with the request is in the answer' });
  }
  return out;
};

/** For jest: a readable failure listing the request and what was wrong. */
export const describeViolations = (what: string, violations: Violation[]): string =>
  violations.length ? `${what}\n${violations.map((v) => `  - ${v.rule}: ${v.detail}`).join('\n')}` : '';
