/**
 * The admin console: `GET /console` (the page) and `GET /console/{file}` (its built scripts and
 * styles), public, with a strict Content-Security-Policy. The page holds no data; everything it
 * shows comes from the admin API with the token the admin types in.
 *
 * It answers files, not JSON, so it does not go through `httpHandler`; refusals are still
 * ScimErrors, answered by the shared `scimErrors()` middleware.
 *
 * IAM this function needs: none beyond its own log group (the files are bundled in its code). It
 * reads no table, so it takes only the configuration (no runtime: its bundle carries no AWS SDK).
 * Binary files, if the console ever gets any, travel base64 (`isBase64Encoded`); API Gateway then
 * needs their media types in the REST API's `binaryMediaTypes`. Today every file is text.
 */
import { createHash } from 'node:crypto';
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { CONSOLE_ASSETS } from '../console/assets';
import { BASE_PLACEHOLDER, CONSOLE_INDEX, type ConsoleAsset } from '../console/asset-format';
import { ScimError } from '../scim/errors';
import { toScimRequest } from '../shared/http';
import { logger } from '../shared/logger';
import { requestsByEvent, scimErrors } from '../shared/middlewares/scim-errors';
import type { Config } from '../shared/config';
import { containerConfig, onFirstInvocation } from '../shared/container';

/**
 * Scripts, styles, images and API calls from the console's own origin only; no inline script or
 * style, no framing, no plugins, forms and `<base>` only to itself.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  // Ignored on plain http (the local gateway); on API Gateway every request is https.
  'Strict-Transport-Security': 'max-age=31536000',
};

/** The page is checked on every load (it names the current build's scripts); hashed files never change. */
const CACHE_PAGE = 'no-cache';
const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
const CACHE_OTHER = 'public, max-age=3600';

const escapeAttribute = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The console's own URL path, e.g. `/prod/console/`, whichever of `/console`, `/console/` or
 * `/console/index.html` was asked: relative script and API URLs then resolve the same way on all
 * three. A path (not an absolute URL) so the Host header cannot steer it.
 */
export const consoleBasePath = (apiUrl: string): string => `${new URL(apiUrl).pathname.replace(/\/+$/, '')}/console/`;

const contentEtagOf = (body: string): string => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

const reply = (asset: ConsoleAsset, body: string, cacheControl: string, ifNoneMatch: string | undefined): APIGatewayProxyResult => {
  const etag = contentEtagOf(body);
  const headers = { ...SECURITY_HEADERS, 'Cache-Control': cacheControl, ETag: etag };
  if (ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) return { statusCode: 304, headers, body: '' };
  return { statusCode: 200, headers: { ...headers, 'Content-Type': asset.contentType }, body, isBase64Encoded: asset.base64 === true };
};

export type ConsoleHandler = middy.MiddyfiedHandler<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;

export const createConsoleHandler = (config: Pick<Config, 'SCIM_API_URL'>, assets: Readonly<Record<string, ConsoleAsset>> = CONSOLE_ASSETS): ConsoleHandler => {
  const index = assets[CONSOLE_INDEX];
  if (!index?.body.includes(BASE_PLACEHOLDER)) throw new Error(`The console build has no ${CONSOLE_INDEX} with ${BASE_PLACEHOLDER}; rebuild it.`);

  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(scimErrors())
    .handler(async (event) => {
      const request = toScimRequest(event, { apiUrl: config.SCIM_API_URL });
      requestsByEvent.set(event, request);
      const ifNoneMatch = request.headers['if-none-match'];
      const name = request.operation === 'getConsole' ? CONSOLE_INDEX : request.operation === 'getConsoleFile' ? request.pathParams.file : undefined;
      if (name === undefined) throw ScimError.notFound(`No such endpoint: ${event.httpMethod} ${event.path}`);
      const asset = Object.hasOwn(assets, name) ? assets[name] : undefined;
      if (!asset) throw ScimError.notFound(`The console has no file "${name}".`);
      if (name === CONSOLE_INDEX) {
        const page = asset.body.replace(BASE_PLACEHOLDER, `<base href="${escapeAttribute(consoleBasePath(request.apiUrl))}">`);
        return reply(asset, page, CACHE_PAGE, ifNoneMatch);
      }
      return reply(asset, asset.body, asset.immutable ? CACHE_IMMUTABLE : CACHE_OTHER, ifNoneMatch);
    });
};

/** The Lambda entry point. */
export const handler = onFirstInvocation(() => createConsoleHandler(containerConfig()));
