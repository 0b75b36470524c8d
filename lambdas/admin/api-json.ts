/**
 * The JSON the admin and report APIs answer, declared once: the handlers that build it
 * (handlers/admin.ts, admin-users.ts, reports.ts) are checked against these types, and the admin
 * console (console/src) imports them instead of keeping copies. Types only, importing types of
 * other leaves, so the console's browser bundle takes nothing server-side from it
 * (test/unit/console/bundle.test.ts).
 */
import type { ReportRow } from '../domain/report-row';
import type { ProfileJson, ProfilePropertyJson } from './profile-json';

/** A Secret Token's metadata: never its secret or hash. Live until `expiresAt`; revoked tokens are not listed. */
export interface TokenJson {
  id: string;
  created: string;
  expiresAt?: string;
}

/** `GET /admin/apps/{appId}`, and each entry of `GET /admin/apps`. */
export interface AppJson {
  id: string;
  name: string;
  tenantUrl: string;
  requiredAttributes: string[];
  created: string;
  lastModified: string;
  tokens: TokenJson[];
}

/** `GET /admin/apps`. */
export interface AppListJson {
  apps: AppJson[];
}

/** `POST /admin/apps`: the Secret Token is shown this once. */
export interface CreatedAppJson {
  id: string;
  name: string;
  tenantUrl: string;
  secretToken: string;
  tokenId: string;
  requiredAttributes: string[];
  created: string;
}

/** `POST /admin/apps/{appId}/tokens`: the Secret Token is shown this once. */
export interface CreatedTokenJson {
  tokenId: string;
  secretToken: string;
  expiresAt?: string;
}

/** One row of `GET /admin/apps/{appId}/users`: what an admin recognises a user by. */
export interface UserSummaryJson {
  id: string;
  userName: string;
  externalId?: string;
  displayName?: string;
  /** The work e-mail, else the primary, else the first. */
  email?: string;
  active: boolean;
  created: string;
  lastModified: string;
}

/** `GET /admin/apps/{appId}/users`. */
export interface UsersPageJson {
  users: UserSummaryJson[];
  totalResults: number;
  startIndex: number;
  nextCursor?: string;
}

/** The stored SCIM User as the application's client reads it, with its groups. */
export interface ScimUserJson {
  schemas: string[];
  id: string;
  userName: string;
  groups?: { value: string; display?: string; $ref?: string }[];
  [attribute: string]: unknown;
}

/** `GET /admin/apps/{appId}/users/{id}`. */
export interface AppUserJson {
  app: { id: string; name: string };
  user: ScimUserJson;
  /** The user's profile (docs/profiles.md) and its attributes as people read them; absent when it cannot be computed. */
  profile?: ProfileJson;
  profileProperties?: ProfilePropertyJson[];
}

/** One row of `GET /admin/apps/{appId}/groups`, and the group of `GET /admin/apps/{appId}/groups/{id}`. */
export interface GroupSummaryJson {
  id: string;
  displayName: string;
  externalId?: string;
  /** Members counted, up to `MAX_COUNTED_MEMBERS`; `memberCountCapped` when there are more. */
  memberCount: number;
  memberCountCapped?: boolean;
  created: string;
  lastModified: string;
}

/** `GET /admin/apps/{appId}/groups`. */
export interface GroupsPageJson {
  groups: GroupSummaryJson[];
  totalResults: number;
  startIndex: number;
  nextCursor?: string;
}

/** `GET /admin/apps/{appId}/groups/{id}`; its members page through `GET /admin/apps/{appId}/users?filter=groups.value eq "<id>"`. */
export interface AppGroupJson {
  app: { id: string; name: string };
  group: GroupSummaryJson;
}

/** A count that stopped at a cap (`capped`: there are more). */
export interface CountJson {
  count: number;
  capped?: boolean;
}

/** When, from where and with what answer one token was last used (to within `usageGranularityMinutes`). */
export interface TokenUsageJson {
  tokenId: string;
  lastUsedAt: string;
  sourceIp?: string;
  userAgent?: string;
  lastStatus?: number;
}

/** `GET /admin/apps/{appId}/health`: is the connection healthy? */
export interface AppHealthJson {
  appId: string;
  users: CountJson;
  groups: CountJson;
  /** Provisioning events and failures (report rows) in the last 24 hours. */
  last24h: { events: CountJson; failures: CountJson };
  /** The newest report row. */
  lastEvent?: { time: string; action: string; status: string; httpStatus?: number };
  /** The newest SCIM request any token made (to within `usageGranularityMinutes`). */
  lastRequest?: { time: string; status?: number; tokenId: string; sourceIp?: string };
  /** The last Test Connection (a user lookup by a random GUID). */
  lastTestConnection?: { time: string; status?: number; tokenId: string };
  /** Per token; tokens never used are absent. */
  tokens: TokenUsageJson[];
  usageGranularityMinutes: number;
  /** How long a revoked token may still be let in: the authorizer's caches (API Gateway's result cache and its own). */
  revocationSeconds: number;
}

/** `GET /admin/reports`: newest first; `nextCursor` while more rows match. */
export interface ReportsPageJson {
  reports: ReportRow[];
  nextCursor?: string;
}

/** An OAuth client's secret as listed: never the secret or its hash. */
export interface ClientSecretJson {
  id: string;
  created: string;
  expiresAt: string;
}

/** `GET /admin/apps/{appId}/oauth-clients/{clientId}`, and each entry of the list. */
export interface OAuthClientJson {
  clientId: string;
  description?: string;
  tokenLifetimeMinutes: number;
  created: string;
  /** Live secrets (two at most, during rotation). */
  secrets: ClientSecretJson[];
  /** Set once the client is revoked: nothing it holds opens anything. */
  revokedAt?: string;
  /** The last successful token request: time and source IP. */
  lastUsed?: { at: string; sourceIp?: string };
  /** Entra's fields: where to send the token request, and the Tenant URL the token opens. */
  tokenEndpoint: string;
  tenantUrl: string;
}

/** `GET /admin/apps/{appId}/oauth-clients`. */
export interface OAuthClientListJson {
  clients: OAuthClientJson[];
}

/** `POST …/oauth-clients/{clientId}/secrets`: the Client Secret is shown this once. */
export interface CreatedClientSecretJson {
  clientId: string;
  clientSecret: string;
  secretId: string;
  expiresAt: string;
}

/** `POST /admin/apps/{appId}/oauth-clients`: Entra's four fields; the Client Secret is shown this once. */
export interface CreatedOAuthClientJson extends CreatedClientSecretJson {
  tenantUrl: string;
  tokenEndpoint: string;
  tokenLifetimeMinutes: number;
}

/** `GET`/`PUT /admin/apps/{appId}/entra`: the Entra tenants (and audiences) whose tokens the application accepts. */
export interface EntraAcceptanceJson {
  tenantIds: string[];
  audiences?: string[];
}

/** `POST /admin/oauth/signing-keys/rotate`: the key ids now published. */
export interface SigningKeysJson {
  current: string;
  next: string;
  previous?: string;
}
