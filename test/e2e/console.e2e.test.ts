/**
 * The admin console in a headless Chromium (driven by playwright-core), against the real
 * local gateway (`scim-gateway local --in-memory`): sign-in, applications, a user provisioned
 * through SCIM with the token read off the page, the provisioning report, the user's page, and
 * token rotation. The steps run in order and share one browser tab, as an admin would.
 *
 * The browser is `CHROMIUM_PATH`, else a system Chromium or Chrome, else the Chromium shipped inside
 * the `@sparticuz/chromium` dev dependency (test/helpers/chromium.ts): nothing is downloaded, and
 * when none can be had the suite fails saying what to do rather than skipping. The screenshot of
 * the report page goes to the run's temporary directory; with UPDATE_SCREENSHOTS=1 it replaces
 * docs/console-report.png (kept out of ordinary runs so a test run never dirties the working tree).
 */
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { expectText, openConsoleBrowser } from '../helpers/console-browser';
import { readLocalJson, spawnGateway, type GatewayProcess } from '../helpers/gateway-process';

jest.setTimeout(120_000);

// The browser globals that page-side callbacks (`page.evaluate`) touch: the project's tsconfig has
// no DOM library, and these declarations stay in this module.
declare const sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
declare const localStorage: { length: number };
declare const navigator: { clipboard: { readText(): Promise<string> } };
declare const document: {
  documentElement: { scrollWidth: number };
  activeElement: { closest(selector: string): { textContent: string | null } | null } | null;
};

const ROOT = path.resolve(__dirname, '../..');
const DOCS_SCREENSHOT = path.join(ROOT, 'docs/console-report.png');
const USER_NAME = 'adele.vance@contoso.com';
const APP_NAME = 'Entra ID – Contoso';

let workDir: string;
let gateway: GatewayProcess | undefined;
let state: { apiUrl: string; adminToken: string; apps: { name: string; secretToken: string }[] };
let browser: BrowserContext;
let page: Page;
let pageProblems: string[] = [];

/** What the page under test and the SCIM client share. */
const app = { id: '', tenantUrl: '', token: '', firstTokenId: '', userId: '' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const scim = (method: string, resource: string, token: string, body?: unknown) =>
  fetch(`${app.tenantUrl}${resource}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

interface ReportRow {
  action: string;
  status: string;
  appId: string;
}

/** Report rows arrive through the stream poller; wait until the expected ones are there. */
const waitForReports = async (query: string, expected: number): Promise<ReportRow[]> => {
  let rows: ReportRow[] = [];
  for (let attempt = 0; attempt < 100; attempt++) {
    const res = await fetch(`${state.apiUrl}/admin/reports?${query}`, { headers: { Authorization: `Bearer ${state.adminToken}` } });
    expect(res.status).toBe(200);
    rows = ((await res.json()) as { reports: ReportRow[] }).reports;
    if (rows.length >= expected) return rows;
    await sleep(200);
  }
  throw new Error(`Expected ${expected} report rows for ${query}, got ${rows.length}.`);
};

const results = () => page.getByRole('region', { name: 'Provisioning events, newest first' });
const resultRows = () => results().locator('tbody tr');

const search = async (filters: { endUser?: string; application?: string; span?: string; status?: string }) => {
  await page.getByLabel('End user').fill(filters.endUser ?? '');
  await page.getByLabel('Application').selectOption(filters.application ?? '');
  await page.getByLabel('Status').selectOption(filters.status ?? '');
  if (filters.span) await page.getByLabel('Time span').selectOption(filters.span);
  await submitSearch();
};

/** Search, then wait for the new results: each search renders a fresh view, so the old one is marked first. */
const submitSearch = async (button = 'Search') => {
  await page.locator('.results').evaluate((element) => element.classList.add('stale'));
  await page.getByRole('button', { name: button }).click();
  await page.locator('.results.stale').waitFor({ state: 'detached' });
  await page.locator('.results[aria-busy="false"]').waitFor();
};

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'console-e2e-'));
  const dataDir = path.join(workDir, 'data');
  gateway = spawnGateway(['--in-memory', '--port', '0', '--data-dir', dataDir, '--quiet']);
  await gateway.waitFor(/running at http/);
  const local = readLocalJson(dataDir);
  if (!local.adminToken) throw new Error('The local gateway wrote no admin token to local.json.');
  state = { apiUrl: local.apiUrl, adminToken: local.adminToken, apps: local.apps };
  ({ browser, page, pageProblems } = await openConsoleBrowser(path.join(workDir, 'profile')));
  await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(state.apiUrl).origin });
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('admin console (Chromium against the local gateway)', () => {
  it('a wrong token is refused with a clear message, and no token ever reaches the URL', async () => {
    await page.goto(`${state.apiUrl}/console`);
    await page.getByLabel('Admin token').fill('scgw_admin_notreal0_thisisnotthetoken');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), /not accepted: it is wrong, expired or revoked/);

    await page.getByLabel('Admin token').fill(state.apps[0].secretToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), /not an admin token/);
    expect(page.url()).not.toContain('scgw_');
  });

  it('the admin token signs in, is kept in session storage only, and shows the applications', async () => {
    await page.getByLabel('Admin token').fill(`Bearer ${state.adminToken}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Applications', exact: true }).waitFor();
    await page.getByRole('link', { name: state.apps[0].name }).waitFor();
    const stored = await page.evaluate(() => ({ session: sessionStorage.getItem('scim-gateway.adminToken'), local: localStorage.length }));
    expect(stored).toEqual({ session: state.adminToken, local: 0 });
    expect(page.url()).not.toContain('scgw_');
  });

  it('creating an application shows its Tenant URL and Secret Token once, with copy buttons and the Entra steps', async () => {
    await page.getByLabel('Name', { exact: true }).fill(APP_NAME);
    await page.getByRole('button', { name: 'Create application' }).click();
    const panel = page.getByTestId('secret-panel');
    await panel.waitFor();
    app.tenantUrl = await page.getByTestId('tenant-url').inputValue();
    app.token = await page.getByTestId('secret-token').inputValue();
    expect(app.tenantUrl).toMatch(new RegExp(`^${state.apiUrl}/apps/[a-z0-9]{12}/scim/v2$`));
    expect(app.token).toMatch(/^scgw_[a-z0-9]{12}_/);
    app.id = app.tenantUrl.split('/apps/')[1].split('/')[0];
    app.firstTokenId = app.token.split('_')[2];

    await expectText(panel.getByRole('heading', { name: 'Connect Microsoft Entra ID' }), /Entra/);
    const steps = await panel.locator('.entra-steps li').allTextContents();
    expect(steps.join(' ')).toMatch(/Provisioning Mode to Automatic.*Tenant URL and the Secret Token.*Test Connection.*assign.*Provisioning Status On/);

    await panel.getByRole('button', { name: 'Copy Secret Token' }).click();
    await expectText(panel.getByRole('status').filter({ hasText: 'Copied' }), /Copied/);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(app.token);

    // The list shows the new application with one live token.
    const row = page.locator(`tr[data-app-id="${app.id}"]`);
    await expectText(row, new RegExp(`${APP_NAME}.*${app.id}.*1`));

    await panel.getByRole('button', { name: /hide the token/ }).click();
    await page.getByRole('link', { name: `Open ${APP_NAME}` }).click();
    await page.getByRole('heading', { name: APP_NAME }).waitFor();
    expect(await page.content()).not.toContain(app.token);
  });

  it('a user provisioned through SCIM with that token is found in the report by user, by application and by time span', async () => {
    const created = await scim('POST', '/Users', app.token, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: USER_NAME,
      externalId: 'a1b2c3d4-adele',
      active: true,
      displayName: 'Adele Vance',
      emails: [{ type: 'work', value: USER_NAME, primary: true }],
    });
    expect(created.status).toBe(201);
    app.userId = ((await created.json()) as { id: string }).id;
    const renamed = await scim('PATCH', `/Users/${app.userId}`, app.token, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'displayName', value: 'Adele V.' }],
    });
    expect(renamed.status).toBe(200);
    const group = await scim('POST', '/Groups', app.token, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Retail',
      members: [{ value: app.userId }],
    });
    expect(group.status).toBe(201);
    const duplicate = await scim('POST', '/Users', app.token, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: USER_NAME });
    expect(duplicate.status).toBe(409);
    const rows = await waitForReports(`endUser=${encodeURIComponent(USER_NAME)}`, 4);
    expect(rows.some((r) => r.status === 'failure')).toBe(true);

    // By user.
    await page.getByRole('link', { name: 'Provisioning report' }).first().click();
    await page.getByRole('heading', { name: 'Provisioning report' }).waitFor();
    await search({ endUser: USER_NAME });
    const byUser = await resultRows().allTextContents();
    expect(byUser.length).toBeGreaterThanOrEqual(4);
    expect(byUser.every((text) => text.includes(USER_NAME))).toBe(true);
    expect(byUser.join('\n')).toMatch(/Create/);
    expect(byUser.join('\n')).toMatch(/Update/);
    // The failure stands out by colour, icon and word.
    const failure = results().locator('tr.row-failure');
    await expectText(failure.first(), /✖\s*Failure\s*409.*already exists/);

    // By application: the summary names it once; the rows do not repeat it.
    await search({ application: app.id });
    const byApp = await resultRows().allTextContents();
    expect(byApp.length).toBeGreaterThanOrEqual(byUser.length);
    expect(await resultRows().locator('td[data-label="Application"]').count()).toBe(0);
    await expectText(page.locator('.results-summary'), new RegExp(`^${byApp.length} events in ${APP_NAME}, last 24 hours, newest first`));
    expect(page.url()).toContain(`application=${app.id}`);
    expect(page.url()).not.toContain('scgw_');

    // By time span: the last hour has them; a custom span of last week has none.
    await search({ application: app.id, span: '1h' });
    expect(await resultRows().count()).toBe(byApp.length);
    await page.getByLabel('Time span').selectOption('custom');
    const weekAgo = new Date(Date.now() - 7 * 86_400_000);
    // datetime-local values; the zone does not matter a week back.
    const local = (d: Date) => d.toISOString().slice(0, 16);
    await page.getByLabel('From', { exact: true }).fill(local(weekAgo));
    await page.getByLabel('To', { exact: true }).fill(local(new Date(weekAgo.getTime() + 3_600_000)));
    await submitSearch();
    await expectText(page.locator('.state-empty'), /No provisioning events match these filters \(.* – .*\)/);

    // Search with no filter: everything in the default span, newest first.
    await submitSearch('Clear filters');
    const times = await resultRows().locator('time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime') ?? ''));
    expect(times.length).toBeGreaterThanOrEqual(4);
    expect([...times].sort().reverse()).toEqual(times);
    // Local time on the page, UTC on hover.
    const first = resultRows().first().locator('time');
    expect(await first.getAttribute('title')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);

    await search({ endUser: USER_NAME });
    await page.screenshot({ path: path.join(workDir, 'console-report.png'), fullPage: true });
    expect(statSync(path.join(workDir, 'console-report.png')).size).toBeGreaterThan(10_000);
    if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(path.join(workDir, 'console-report.png'), DOCS_SCREENSHOT);
  });

  it('a report row opens a detail view with old → new values, and the failure with HTTP status, scimType and detail', async () => {
    const update = resultRows().filter({ hasText: 'Update' }).first();
    await update.getByRole('button').click();
    const dialog = page.getByRole('dialog');
    await expectText(dialog.getByRole('heading'), /Update · adele\.vance@contoso\.com/);
    const change = dialog.locator('.changes-table tbody tr').filter({ hasText: 'displayName' });
    expect((await change.locator('td').allTextContents()).map((t) => t.trim())).toEqual(['Adele Vance', 'Adele V.']);
    await expectText(dialog, /Request id/);
    await expectText(dialog, /Source.*127\.0\.0\.1/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Focus returns to the row that opened it.
    expect(await page.evaluate(() => document.activeElement?.closest('tr')?.textContent ?? '')).toContain('Update');

    await results().locator('tr.row-failure button').first().click();
    await expectText(dialog, /HTTP status\s*409/);
    await expectText(dialog, /SCIM type\s*uniqueness/);
    await expectText(dialog, /Detail.*already exists/);
    await expectText(dialog, /Nothing changed: the request was refused/);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it("the application's users: search finds the user, whose page shows the SCIM resource, groups and report rows", async () => {
    await page.goto(`${state.apiUrl}/console#/apps/${app.id}/users`);
    await page.getByLabel('Find users').fill('adele');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: USER_NAME }).click();
    await page.getByRole('heading', { name: USER_NAME }).waitFor();
    await expectText(page.locator('.group-list'), /Retail/);
    const resource = JSON.parse((await page.locator('pre.json').textContent()) ?? '{}');
    expect(resource).toMatchObject({ id: app.userId, userName: USER_NAME, displayName: 'Adele V.', externalId: 'a1b2c3d4-adele' });
    await page.getByRole('region', { name: `Recent provisioning events of ${USER_NAME}` }).waitFor();
    await expectText(page.getByRole('region', { name: `Recent provisioning events of ${USER_NAME}` }), /Create/);

    // A search that matches nobody says so.
    await page.goto(`${state.apiUrl}/console#/apps/${app.id}/users?q=nobody-here`);
    await expectText(page.locator('.state-empty'), /No user of .* matches “nobody-here”/);
  });

  it('rotating creates a second token, shown once, and revoking the first shuts it out', async () => {
    await page.goto(`${state.apiUrl}/console#/apps/${app.id}`);
    await page.getByRole('button', { name: 'Create a new token' }).click();
    const newToken = await page.getByTestId('secret-token').inputValue();
    expect(newToken).not.toBe(app.token);
    await expectText(page.getByRole('heading', { name: 'Switch Microsoft Entra ID to the new token' }), /Switch/);
    expect(await page.locator('tr[data-token-id]').count()).toBe(2);
    // Both work during the overlap.
    expect((await scim('GET', '/Users?count=1', app.token)).status).toBe(200);
    expect((await scim('GET', '/Users?count=1', newToken)).status).toBe(200);
    // A third is refused while two are live.
    expect(await page.getByRole('button', { name: 'Create a new token' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: `Revoke token ${app.firstTokenId}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
    await page.locator(`tr[data-token-id="${app.firstTokenId}"]`).waitFor({ state: 'detached' });
    expect((await scim('GET', '/Users?count=1', app.token)).status).toBe(401);
    expect((await scim('GET', '/Users?count=1', newToken)).status).toBe(200);
    app.token = newToken;
  });

  it("an OAuth client created on the application page shows Entra's four fields once; its secret obtains a token that opens the Tenant URL", async () => {
    await page.goto(`${state.apiUrl}/console#/apps/${app.id}`);
    await page.getByRole('button', { name: 'Create OAuth client' }).click();
    const panel = page.getByTestId('client-secret-panel');
    await panel.waitFor();
    const tokenEndpoint = await page.getByTestId('token-endpoint').inputValue();
    const clientId = await page.getByTestId('client-id').inputValue();
    const clientSecret = await page.getByTestId('client-secret').inputValue();
    expect(await page.getByTestId('oauth-tenant-url').inputValue()).toBe(app.tenantUrl);
    expect(tokenEndpoint).toBe(`${state.apiUrl}/apps/${app.id}/oauth/token`);
    const grant = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
    });
    expect(grant.status).toBe(200);
    const { access_token: accessToken } = (await grant.json()) as { access_token: string };
    expect((await scim('GET', '/Users?startIndex=1&count=1', accessToken)).status).toBe(200);
    // Hidden, the secret is gone from the page; the list shows the client and its last use.
    await page.getByRole('button', { name: "I've copied it — hide the secret" }).click();
    await panel.waitFor({ state: 'detached' });
    await page.reload();
    await expectText(page.locator(`tr[data-client-id="${clientId}"]`), /from /);
    expect(await page.content()).not.toContain(clientSecret);
  });

  it('editing the required attributes makes the gateway refuse a user without them', async () => {
    await page.getByLabel('Required attributes').fill('userName\nname.givenName');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expectText(page.getByRole('status').filter({ hasText: 'Saved.' }), /Saved\./);
    expect(await page.getByLabel('Required attributes').inputValue()).toBe('userName\nname.givenName');
    const refused = await scim('POST', '/Users', app.token, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'no.name@contoso.com' });
    expect(refused.status).toBe(400);
    const accepted = await scim('POST', '/Users', app.token, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'named@contoso.com',
      name: { givenName: 'Named' },
    });
    expect(accepted.status).toBe(201);
  });

  it('the settings show the gateway\'s refusal of an unusable path, keep short names in URN form and offer the entra-default preset', async () => {
    const adminApi = () => fetch(`${state.apiUrl}/admin/apps/${app.id}`, { headers: { Authorization: `Bearer ${state.adminToken}` } });
    const attributes = page.getByLabel('Required attributes');
    const preset = page.getByLabel("Require the attributes of Entra ID's default mapping");

    // A path no user could carry: the gateway's 400 detail is shown instead of "Saved.", and nothing is saved.
    await attributes.fill('userName\nfoo.bar');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expectText(page.getByRole('alert').filter({ hasText: 'foo.bar' }), /requiredAttributes\[1\]: "foo\.bar" does not name a User attribute: .*Valid entries/);
    expect(((await (await adminApi()).json()) as { requiredAttributes: string[] }).requiredAttributes).toEqual(['userName', 'name.givenName']);

    // What an Entra admin types: the preset box and a short name, shown back in the form the gateway keeps.
    await preset.check();
    await attributes.fill('department');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expectText(page.getByRole('status').filter({ hasText: 'Saved.' }), /Saved\./);
    expect(await attributes.inputValue()).toBe('userName\nurn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department');
    expect(await preset.isChecked()).toBe(true);

    const refused = await scim('POST', '/Users', app.token, { userName: 'no.department@contoso.com', name: { givenName: 'No', familyName: 'Dept' } });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { detail: string }).detail).toBe('Attribute "emails[type eq "work"].value" is required by this application.');

    // The user provisioned before the policy was tightened can still be disabled and enabled again.
    for (const value of ['False', 'True']) {
      const toggled = await scim('PATCH', `/Users/${app.userId}`, app.token, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'Replace', path: 'active', value }],
      });
      expect(toggled.status).toBe(200);
    }
  });

  it('works in a 400 px window without sideways scrolling', async () => {
    await page.setViewportSize({ width: 400, height: 800 });
    await page.goto(`${state.apiUrl}/console#/reports?endUser=${encodeURIComponent(USER_NAME)}`);
    await resultRows().first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    await page.goto(`${state.apiUrl}/console#/apps/${app.id}`);
    await page.getByRole('heading', { name: APP_NAME }).waitFor();
    // Sections load on their own; measure once none is still loading, or a late one escapes the check.
    await page.locator('main').filter({ hasText: /Loading/ }).waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('deleting an application that has users asks for confirmation and needs the force option', async () => {
    await page.goto(`${state.apiUrl}/console#/apps/${app.id}`);
    await page.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: `Delete ${APP_NAME}?` });
    await dialog.getByRole('button', { name: 'Delete application' }).click();
    await expectText(dialog.getByRole('alert'), /still has users or groups.*Tick the box/);
    expect((await scim('GET', '/Users?count=1', app.token)).status).toBe(200);

    await dialog.getByLabel(/Also delete all its users and groups/).check();
    await dialog.getByRole('button', { name: 'Delete application' }).click();
    await page.getByRole('heading', { name: 'Applications', exact: true }).waitFor();
    await page.locator(`tr[data-app-id="${app.id}"]`).waitFor({ state: 'detached' });
    expect((await scim('GET', '/Users?count=1', app.token)).status).toBe(401);
  });

  it('a token the API no longer accepts sends the admin back to sign-in with a message', async () => {
    await page.evaluate(() => sessionStorage.setItem('scim-gateway.adminToken', 'scgw_admin_revoked0_gone'));
    await page.goto(`${state.apiUrl}/console#/reports`);
    await expectText(page.getByRole('alert'), /refused: it has expired or been revoked\. Sign in again/);
    await page.getByLabel('Admin token').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('scim-gateway.adminToken'))).toBeNull();
  });

  it('the page ran without script errors or Content-Security-Policy violations', () => {
    expect(pageProblems).toEqual([]);
  });
});

