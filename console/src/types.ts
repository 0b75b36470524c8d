/** The admin and report APIs' JSON, as the console reads it. */

export interface AppToken {
  id: string;
  created: string;
  expiresAt?: string;
}

export interface App {
  id: string;
  name: string;
  tenantUrl: string;
  requiredAttributes: string[];
  created: string;
  lastModified: string;
  tokens: AppToken[];
}

export interface CreatedApp {
  id: string;
  name: string;
  tenantUrl: string;
  secretToken: string;
  tokenId: string;
}

export interface CreatedToken {
  tokenId: string;
  secretToken: string;
  expiresAt?: string;
}

export interface AttributeChange {
  name: string;
  old?: string;
  new?: string;
}

export interface ReportRow {
  eventId: string;
  time: string;
  appId: string;
  appName?: string;
  resourceType: string;
  resourceId?: string;
  userName?: string;
  externalId?: string;
  groupId?: string;
  groupDisplayName?: string;
  action: string;
  status: 'success' | 'failure' | string;
  httpStatus?: number;
  scimType?: string;
  detail?: string;
  /** Refused connections (action `authenticate`): why, and how many times in the row's minute. */
  reason?: string;
  count?: number;
  changes?: AttributeChange[];
  requestId?: string;
  sourceIp?: string;
  userAgent?: string;
}

export interface ReportsPage {
  reports: ReportRow[];
  nextCursor?: string;
}

export interface UserSummary {
  id: string;
  userName: string;
  externalId?: string;
  displayName?: string;
  email?: string;
  active: boolean;
  created: string;
  lastModified: string;
}

export interface UsersPage {
  users: UserSummary[];
  totalResults: number;
  nextCursor?: string;
}

export interface UserDetail {
  app: { id: string; name: string };
  user: Record<string, unknown> & { id: string; userName: string; groups?: { value: string; display?: string }[] };
}

/** A token is live until it expires (revoked tokens are no longer listed). */
export const liveTokens = (app: App, now = Date.now()): AppToken[] =>
  app.tokens.filter((t) => !t.expiresAt || Date.parse(t.expiresAt) > now);
