/**
 * What an admin checks every day (issue 19), in headless Chromium against the local gateway: the
 * local-URL hint after creating an application, the connection's health and each token's last
 * use, the revoke dialog's latency, the Groups browser, a readable report (friendly names, old →
 * new inline, HTTP status on successes, a summary naming the filters), the CSV download checked
 * row by row against the report API, stale results cleared, and the filters folding on a phone.
 * With UPDATE_SCREENSHOTS=1 it refreshes docs/console-app-health.png and docs/console-groups.png.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { expectText, openConsoleBrowser } from '../helpers/console-browser';
import { readLocalJson, spawnGateway, type GatewayProcess } from '../helpers/gateway-process';
import { parseCsv } from '../helpers/rfc4180';

jest.setTimeout(120_000);

declare const document: { documentElement: { scrollWidth: number } };

const ROOT = path.resolve(__dirname, '../..');
const APP_NAME = 'Entra ID – Fabrikam';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

let workDir: string;
let gateway: GatewayProcess | undefined;
let apiUrl = '';
let adminToken = '';
let browser: BrowserContext;
let page: Page;
let pageProblems: string[] = [];
const app = { id: '', tenantUrl: '', token: '', tokenId: '', userIds: [] as string[], groupId: '' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const scim = async (method: string, resource: string, body?: unknown) => {
  const res = await fetch(`${app.tenantUrl}${resource}`, {
    method,
    headers: { Authorization: `Bearer ${app.token}`, 'Content-Type': 'application/scim+json', 'User-Agent': 'Azure Active Directory SCIM Client' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.status === 204 ? undefined : ((await res.json()) as Record<string, unknown>) };
};
const adminGet = async <T>(pathAndQuery: string): Promise<T> => {
  const res = await fetch(`${apiUrl}${pathAndQuery}`, { headers: { Authorization: `Bearer ${adminToken}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
};


const screenshot = async (name: string) => {
  const file = path.join(workDir, name);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(file, path.join(ROOT, 'docs', name));
};

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'console-daily-e2e-'));
  const dataDir = path.join(workDir, 'data');
  gateway = spawnGateway(['--in-memory', '--port', '0', '--data-dir', dataDir, '--quiet']);
  await gateway.waitFor(/running at http/);
  const local = readLocalJson(dataDir);
  apiUrl = local.apiUrl;
  adminToken = local.adminToken ?? '';
  ({ browser, page, pageProblems } = await openConsoleBrowser(path.join(workDir, 'profile'), { acceptDownloads: true }));
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('console: what an admin checks every day', () => {
  it('a new application on the local gateway says Entra needs a public HTTPS Tenant URL', async () => {
    await page.goto(`${apiUrl}/console`);
    await page.getByLabel('Admin token').fill(adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Applications', exact: true }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill(APP_NAME);
    await page.getByRole('button', { name: 'Create application' }).click();
    await page.getByTestId('secret-panel').waitFor();
    app.tenantUrl = await page.getByTestId('tenant-url').inputValue();
    app.token = await page.getByTestId('secret-token').inputValue();
    app.id = app.tenantUrl.split('/apps/')[1].split('/')[0];
    app.tokenId = app.token.split('_')[2];
    expect(app.tenantUrl).toMatch(/^http:\/\/(localhost|127\.0\.0\.1):/);
    await expectText(page.getByTestId('local-url-hint'), /only works on this machine.*Test Connection.*public HTTPS URL.*README\.md → Deploy to AWS/);
    await page.getByRole('button', { name: /hide the token/ }).click();
  });

  it("shows the connection's health: counts, last request, Test Connection, and each token's last use and address", async () => {
    // What Entra does: Test Connection, then a cycle.
    expect((await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "7a1c2b9e-1d4f-4c3a-9b8e-2f6d5c4b3a21"')}`)).status).toBe(200);
    for (const [userName, department] of [['megan.bowen@fabrikam.com', 'Marketing'], ['lee.gu@fabrikam.com', 'Sales']]) {
      const created = await scim('POST', '/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
        userName,
        active: true,
        displayName: userName.split('@')[0],
        [ENTERPRISE]: { department },
      });
      expect(created.status).toBe(201);
      app.userIds.push(String(created.body?.id));
    }
    const group = await scim('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Retail Managers',
      members: app.userIds.map((value) => ({ value })),
    });
    app.groupId = String(group.body?.id);
    const patch = (ops: unknown[]) => scim('PATCH', `/Users/${app.userIds[0]}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: ops });
    expect((await patch([{ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Retail' }])).status).toBe(200);
    expect((await patch([{ op: 'replace', path: 'active', value: false }])).status).toBe(200);

    await page.goto(`${apiUrl}/console#/apps/${app.id}`);
    const health = page.getByTestId('health');
    await expectText(health, /Users\s*2\s*Groups\s*1/);
    await expectText(health, /Last request.*token [a-z0-9]+ from 127\.0\.0\.1/);
    await expectText(health, /Last Test Connection.*200/);
    // The report rows arrive through the stream poller.
    for (let i = 0; i < 50 && !/[1-9]\d* provisioning events/.test((await health.textContent()) ?? ''); i++) {
      await sleep(300);
      await page.reload();
      await health.waitFor();
    }
    await expectText(health, /Last 24 hours\s*[1-9]\d* provisioning events, 0 failed/);
    const row = page.locator(`tr[data-token-id="${app.tokenId}"]`);
    await expectText(row.locator('td[data-label="Last used"]'), /\d{4}.*from 127\.0\.0\.1/);
    await screenshot('console-app-health.png');
  });

  it('"Create a new token" says inline why it is disabled, and the revoke dialog says how soon revocation bites', async () => {
    await page.getByRole('button', { name: 'Create a new token' }).click();
    await page.getByTestId('secret-token').waitFor();
    const create = page.getByRole('button', { name: 'Create a new token' });
    expect(await create.isDisabled()).toBe(true);
    await expectText(page.locator('#rotate-disabled'), /Disabled: .* already has 2 live tokens, the most it may hold\. Revoke/);
    expect(await create.getAttribute('aria-describedby')).toContain('rotate-disabled');
    await page.getByRole('button', { name: `Revoke token ${app.tokenId}` }).click();
    const dialog = page.getByRole('dialog');
    // The local gateway caches no authorizer answers (SCIM_AUTHORIZER_CACHE_SECONDS + SCIM_AUTH_CACHE_SECONDS = 0).
    await expectText(dialog.getByTestId('revocation-delay'), /refused from now on: this gateway caches no authorizer answers/);
    await expectText(dialog, /Last used .*\d{2}:\d{2}:\d{2}\s*from 127\.0\.0\.1/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('the Groups browser finds a group by name with its member count; members link to users, and users link back to the group', async () => {
    await page.getByRole('link', { name: 'Groups', exact: true }).click();
    await page.getByRole('heading', { name: `Groups of ${APP_NAME}` }).waitFor();
    await page.getByLabel('Find groups').fill('retail');
    await page.getByRole('button', { name: 'Search' }).click();
    const row = page.locator(`tr[data-group-id="${app.groupId}"]`);
    await expectText(row, /Retail Managers\s*2/);
    await screenshot('console-groups.png');
    await page.getByLabel('Find groups').fill('nothing-like-it');
    await page.getByRole('button', { name: 'Search' }).click();
    await expectText(page.locator('.state-empty'), /No group of .* starts with “nothing-like-it”/);

    await page.goto(`${apiUrl}/console#/apps/${app.id}/groups/${app.groupId}`);
    await page.getByRole('heading', { name: 'Retail Managers' }).waitFor();
    await expectText(page.getByRole('heading', { name: /Members/ }), /Members \(2\)/);
    // The heading comes with the group; its member rows arrive with a second request.
    await page.locator('.members-table tbody tr a').nth(1).waitFor();
    const members = await page.locator('.members-table tbody tr a').allTextContents();
    expect(members.sort()).toEqual(['lee.gu@fabrikam.com', 'megan.bowen@fabrikam.com']);
    await page.getByRole('link', { name: 'megan.bowen@fabrikam.com' }).click();
    await page.getByRole('heading', { name: 'megan.bowen@fabrikam.com' }).waitFor();
    await page.locator('.group-list').getByRole('link', { name: 'Retail Managers' }).click();
    await page.getByRole('heading', { name: 'Retail Managers' }).waitFor();
  });

  it('the report reads as people speak: friendly names, old → new inline, HTTP status on successes, a summary naming the filters', async () => {
    await page.goto(`${apiUrl}/console#/reports?application=${app.id}&span=7d`);
    const rows = page.getByRole('region', { name: 'Provisioning events, newest first' }).locator('tbody tr');
    await rows.first().waitFor();
    const count = await rows.count();
    await expectText(page.locator('.results-summary'), new RegExp(`^${count} events in ${APP_NAME}, last 7 days, newest first\\.$`));
    // One application's report does not repeat its name.
    expect(await page.locator('th', { hasText: 'Application' }).count()).toBe(0);
    const disable = rows.filter({ hasText: 'Disable' }).first();
    await expectText(disable.locator('td[data-label="Changes"]'), /Active: true → false/);
    await expectText(disable.locator('td[data-label="Status"]'), /Success\s*200/);
    const department = rows.locator('td[data-label="Changes"] li', { hasText: 'Department' }).first();
    await expectText(department, /Department: Marketing → Retail/);
    expect(await department.getAttribute('title')).toBe(`${ENTERPRISE}:department`);
    await expectText(rows.filter({ hasText: 'Create' }).first().locator('td[data-label="Status"]'), /Success\s*201/);
  });

  it('Download CSV saves every row of the query, checked row by row against the report API', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^provisioning-report-.*\.csv$/);
    const [header, ...records] = parseCsv(readFileSync(await download.path(), 'utf8'));
    const api = await adminGet<{ reports: { eventId: string; time: string; action: string; status: string; userName?: string }[] }>(
      `/admin/reports?application=${app.id}&from=7d&limit=500`,
    );
    expect(records).toHaveLength(api.reports.length);
    const col = (name: string) => header.indexOf(name);
    records.forEach((record, i) => {
      const expected = api.reports[i];
      expect([record[col('eventId')], record[col('time')], record[col('action')], record[col('status')], record[col('userName')]]).toEqual([
        expected.eventId,
        expected.time,
        expected.action,
        expected.status,
        expected.userName ?? '',
      ]);
    });
  });

  it('a reversed custom time span clears the results of the previous search', async () => {
    await page.getByLabel('Time span').selectOption('custom');
    await page.getByLabel('From', { exact: true }).fill('2026-06-02T10:00');
    await page.getByLabel('To', { exact: true }).fill('2026-06-01T10:00');
    await page.getByRole('button', { name: 'Search' }).click();
    await expectText(page.getByRole('alert'), /ends before it starts/);
    expect(await page.getByRole('region', { name: 'Provisioning events, newest first' }).count()).toBe(0);
    await expectText(page.locator('.results .state-empty'), /ends before it starts/);
  });

  it('on a phone the filters fold behind a Filters button, and nothing scrolls sideways', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${apiUrl}/console#/reports?application=${app.id}`);
    const toggle = page.getByRole('button', { name: /^Filters/ });
    await toggle.waitFor();
    expect(await page.getByLabel('End user').isVisible()).toBe(false);
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByLabel('End user').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await toggle.isVisible()).toBe(false);
  });

  it('the pages ran without script errors or Content-Security-Policy violations', () => {
    expect(pageProblems).toEqual([]);
  });
});
