/**
 * The console's profile screens in a headless Chromium against the local gateway: the attribute
 * mapping edited with a live preview on a real user before saving (then recomputed in the
 * background), a provisioning feature switched off (and Entra's next create refused with 403),
 * and the user page showing the profile first. Browser set-up as in console.e2e.test.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { openConsoleBrowser } from '../helpers/console-browser';
import { readLocalJson, spawnGateway, type GatewayProcess } from '../helpers/gateway-process';

jest.setTimeout(120_000);

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const USER_NAME = 'megan.bowen@contoso.com';

let workDir: string;
let gateway: GatewayProcess | undefined;
let browser: BrowserContext;
let page: Page;
let apiUrl: string;
let adminToken: string;
let app: { id: string; tenantUrl: string; secretToken: string };
let userId: string;
let pageProblems: string[] = [];

const scim = async (method: string, resource: string, body?: unknown) => {
  const response = await fetch(`${app.tenantUrl}${resource}`, {
    method,
    headers: { Authorization: `Bearer ${app.secretToken}`, 'Content-Type': 'application/scim+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
};

const textOf = async (selector: string) => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ');
const waitForText = async (selector: string, pattern: RegExp) => {
  const deadline = Date.now() + 30_000;
  let text = '';
  while (Date.now() < deadline) {
    text = await textOf(selector).catch(() => '');
    if (pattern.test(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${selector}: expected ${pattern}, got "${text}"`);
};

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'console-profiles-e2e-'));
  const dataDir = path.join(workDir, 'data');
  gateway = spawnGateway(['--in-memory', '--port', '0', '--data-dir', dataDir, '--quiet']);
  await gateway.waitFor(/running at http/);
  const local = readLocalJson(dataDir);
  apiUrl = local.apiUrl;
  adminToken = local.adminToken!;
  app = local.apps[0] as unknown as typeof app;
  ({ browser, page, pageProblems } = await openConsoleBrowser(path.join(workDir, 'profile')));
  const created = await scim('POST', '/Users', {
    userName: USER_NAME,
    title: 'Marketing Manager',
    name: { givenName: 'Megan', familyName: 'Bowen' },
    [ENTERPRISE]: { department: 'Marketing' },
  });
  expect(created.status).toBe(201);
  userId = created.body.id;
  await page.goto(`${apiUrl}/console`);
  await page.getByLabel('Admin token').fill(adminToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Applications', exact: true }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('console: profiles, attribute mapping and provisioning features', () => {
  it('edits the mapping, previews it on a real user before saving, saves it and sees the recompute finish', async () => {
    await page.goto(`${apiUrl}/console#/apps/${app.id}`);
    await page.getByRole('heading', { name: 'Attribute mapping' }).waitFor();
    const department = page.locator('tr.mapping-row').filter({ has: page.locator('input[value="department"]') });
    await department.getByLabel('Transforms').fill('uppercase');
    await page.getByLabel('A user of this application').fill(USER_NAME);
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = await waitForText('[data-testid="mapping-preview"]', /Department\s*MARKETING/);
    expect(preview).toMatch(/Designation\s*Marketing Manager/);
    // Nothing saved yet: the stored profile still says Marketing.
    const stored = await fetch(`${apiUrl}/admin/apps/${app.id}/profiles/${userId}`, { headers: { Authorization: `Bearer ${adminToken}` } });
    expect(((await stored.json()) as { attributes: { department: string } }).attributes.department).toBe('Marketing');

    // A bad draft shows the gateway's problem in the preview, naming the entry.
    await department.getByLabel('Transforms').fill('uppercase, shout');
    await page.getByRole('button', { name: 'Preview' }).click();
    await waitForText('[data-testid="mapping-preview"]', /attributes\[\d+\]\.transform/);
    await department.getByLabel('Transforms').fill('uppercase');

    await page.getByRole('button', { name: 'Save mapping' }).click();
    await waitForText('[data-testid="mapping-status"]', /Version 1\./);
    for (let i = 0; i < 60; i++) {
      await page.reload();
      const status = await waitForText('[data-testid="mapping-status"]', /Version 1\./);
      if (/Every profile follows it/.test(status)) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(await textOf('[data-testid="mapping-status"]')).toMatch(/Every profile follows it/);
  });

  it('switches "Create users" off: Entra\'s next create is refused with 403 naming the switch', async () => {
    await page.getByRole('heading', { name: 'Provisioning features' }).waitFor();
    await page.getByLabel('Create users').uncheck();
    await page.getByLabel('When the identity provider deletes a user').selectOption('deactivate');
    await page.getByRole('button', { name: 'Save features' }).click();
    await waitForText('#features-title ~ div .form-message', /Saved/);
    const refused = await scim('POST', '/Users', { userName: 'late@contoso.com' });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('provisioning feature "create"');
    expect((await scim('DELETE', `/Users/${userId}`)).status).toBe(204);
    expect((await scim('GET', `/Users/${userId}`)).body.active).toBe(false);
  });

  it('the user page shows the profile first, the raw SCIM resource after it', async () => {
    await page.goto(`${apiUrl}/console#/apps/${app.id}/users/${userId}`);
    await page.getByRole('heading', { name: 'Profile' }).waitFor();
    const properties = await waitForText('[data-testid="profile-properties"]', /Department\s*MARKETING/);
    expect(properties).toMatch(/First name\s*Megan/);
    expect(properties).toMatch(/Designation\s*Marketing Manager/);
    const headings = await page.locator('h2').allTextContents();
    expect(headings.indexOf('Profile')).toBeLessThan(headings.indexOf('Stored SCIM resource'));
    expect(headings.indexOf('Profile')).toBe(0);
    expect(pageProblems).toEqual([]);
  });
});
