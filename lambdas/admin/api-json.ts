/**
 * The JSON the admin and report APIs answer, declared once: the handlers that build it
 * (handlers/admin.ts, admin-users.ts, reports.ts) are checked against these types, and the admin
 * console (console/src) imports them instead of keeping copies. Types only, importing types of
 * other leaves, so the console's browser bundle takes nothing server-side from it
 * (test/unit/console/bundle.test.ts).
 */
import type { ReportRow } from '../domain/report-row';

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
}

/** `GET /admin/reports`: newest first; `nextCursor` while more rows match. */
export interface ReportsPageJson {
  reports: ReportRow[];
  nextCursor?: string;
}
