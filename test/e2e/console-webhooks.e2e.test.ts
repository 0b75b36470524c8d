/**
 * The console's directory event screens (issue 16), in headless Chromium against the local gateway
 * with a webhook receiver on loopback: add a webhook and see its signing secret once; a test ping
 * arrives signed with it; a user's creation shows as delivered in Deliveries; a receiver answering
 * 410 disables the webhook and dead-letters the event, which is redelivered, with its id, once the
 * webhook is resumed; the Events view lists the log newest first and filters by type; rotating the
 * secret shows the new one once; removing the webhook empties the list.
 * With UPDATE_SCREENSHOTS=1 it refreshes docs/console-deliveries.png and docs/console-events.png.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import type { LocalState } from '../../lib/local/local-state';
import { expectText, openConsoleBrowser } from '../helpers/console-browser';
import { readLocalJson, spawnGateway, type GatewayProcess } from '../helpers/gateway-process';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from '../helpers/webhook-receiver';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../..');
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

type Received = ReceivedRequest;
type Envelope = { id: string; type: string; subject?: { userName?: string } };

let workDir: string;
let gateway: GatewayProcess | undefined;
let state: LocalState;
let browser: BrowserContext;
let page: Page;
let receiver: WebhookReceiver | undefined;
let receiverUrl = '';
/** What the receiver answers now. */
let answer = 204;
const received: Received[] = [];
let pageProblems: string[] = [];
let secret = '';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const appId = () => state.apps[0].id;
const envelopes = (): Envelope[] => received.map((r) => JSON.parse(r.body) as Envelope);
const receivedOk = (): Envelope[] => received.filter((r) => r.status >= 200 && r.status < 300).map((r) => JSON.parse(r.body) as Envelope);

const createUser = async (userName: string): Promise<void> => {
  const res = await fetch(`${state.apps[0].tenantUrl}/Users`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${state.apps[0].secretToken}`, 'Content-Type': 'application/scim+json' },
    body: JSON.stringify({ schemas: [USER_SCHEMA], userName, active: true, externalId: userName.split('@')[0] }),
  });
  expect(res.status).toBe(201);
};

const eventually = async (done: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
};


/** Presses Refresh on the Deliveries page until the event's row shows `state`. */
const deliveryRowIn = async (eventId: string, rowState: string): Promise<Locator> => {
  const row = page.locator(`tr[data-event-id="${eventId}"]`);
  await eventually(async () => {
    if ((await row.getAttribute('data-state', { timeout: 1_000 }).catch(() => null)) === rowState) return true;
    await page.getByRole('button', { name: 'Refresh' }).click();
    await sleep(300);
    return false;
  }, `delivery ${eventId} to be ${rowState}`);
  return row;
};

const screenshot = async (name: string) => {
  const file = path.join(workDir, name);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(file, path.join(ROOT, 'docs', name));
};

beforeAll(async () => {
  receiver = await startWebhookReceiver(received, () => answer);
  receiverUrl = receiver.url;
  workDir = mkdtempSync(path.join(tmpdir(), 'console-webhooks-e2e-'));
  const dataDir = path.join(workDir, 'data');
  gateway = spawnGateway(['--in-memory', '--port', '0', '--data-dir', dataDir, '--quiet']);
  await gateway.waitFor(/running at http/);
  state = readLocalJson(dataDir);
  ({ browser, page, pageProblems } = await openConsoleBrowser(path.join(workDir, 'profile')));
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await receiver?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('console: webhooks, deliveries and events', () => {
  it('adds a webhook and shows its signing secret once, with a copy button', async () => {
    await page.goto(`${state.apiUrl}/console#/apps/${appId()}`);
    await page.getByLabel('Admin token').fill(state.adminToken!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await expectText(page.locator('section[aria-labelledby="webhooks-title"]'), /No webhooks/);

    await page.getByLabel('Endpoint URL').fill(receiverUrl);
    await page.getByLabel('Description (optional)').fill('Our HR sync');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByTestId('webhook-secret-panel').waitFor();
    secret = await page.getByTestId('webhook-secret').inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    await expect(page.getByRole('button', { name: 'Copy Signing secret' }).isVisible()).resolves.toBe(true);
    await expectText(page.locator('table.webhooks-table'), new RegExp(`${receiverUrl.replace(/[.]/g, '\\.')}.*Our HR sync.*Every type.*Active`));

    await page.getByRole('button', { name: /hide the secret/ }).click();
    await expect(page.getByTestId('webhook-secret-panel').count()).resolves.toBe(0);
    await page.reload();
    await page.locator('table.webhooks-table').waitFor();
    expect(await page.content()).not.toContain(secret);
  });

  it('sends a test ping that arrives signed with that secret', async () => {
    await page.getByRole('button', { name: `Send a test ping to ${receiverUrl}` }).click();
    await expectText(page.locator('section[aria-labelledby="webhooks-title"] .form-message'), /Ping evt_[0-9a-f]+ delivered: the endpoint answered 204\./);
    const ping = received.find((r) => (JSON.parse(r.body) as Envelope).type === 'ping');
    expect(ping).toBeDefined();
    expect(() => new Webhook(secret).verify(ping!.body, ping!.headers as Record<string, string>)).not.toThrow();
  });

  it('shows a delivered event in Deliveries', async () => {
    await createUser('adele.vance@contoso.com');
    await eventually(() => receivedOk().some((e) => e.type === 'user.created'), 'user.created at the receiver');
    const created = receivedOk().find((e) => e.type === 'user.created')!;
    await page.getByRole('link', { name: `Deliveries to ${receiverUrl}` }).click();
    await page.getByRole('heading', { name: 'Webhook deliveries' }).waitFor();
    const row = await deliveryRowIn(created.id, 'delivered');
    await expectText(row, /user\.created.*Delivered.*1.*204/);
  });

  it('a 410 dead-letters the event and disables the webhook; resumed, the dead letter is redelivered with its id', async () => {
    answer = 410;
    await createUser('lynne.robbins@contoso.com');
    await eventually(() => envelopes().some((e) => e.type === 'user.created' && e.subject?.userName === 'lynne.robbins@contoso.com'), 'the 410 attempt');
    const refused = envelopes().find((e) => e.subject?.userName === 'lynne.robbins@contoso.com')!;
    const row = await deliveryRowIn(refused.id, 'dead');
    await expectText(row, /Dead letter.*410/);
    await expectText(page.locator('.warning'), /This webhook is disabled/);

    answer = 204;
    await page.getByRole('button', { name: 'Resume webhook' }).click();
    await expectText(page.locator('.form-message'), /Webhook resumed/);
    await page.getByRole('button', { name: `Redeliver event ${refused.id}` }).click();
    await expectText(page.locator('.form-message'), new RegExp(`Event ${refused.id} queued again`));
    await eventually(() => receivedOk().some((e) => e.id === refused.id), 'the redelivery');
    const again = await deliveryRowIn(refused.id, 'delivered');
    await expectText(again, /Delivered/);
    await screenshot('console-deliveries.png');
  });

  it('lists the events newest first and filters them by type', async () => {
    await page.goto(`${state.apiUrl}/console#/apps/${appId()}/events`);
    await page.getByRole('heading', { name: /^Events of / }).waitFor();
    await page.locator('table.events-table').waitFor();
    const ids = await page.locator('table.events-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-id')));
    const logged = receivedOk().filter((e) => e.type === 'user.created').map((e) => e.id);
    expect(ids.indexOf(logged.at(-1)!)).toBeLessThan(ids.indexOf(logged[0]));
    await expectText(page.locator('table.events-table tbody tr').first(), /user\.created.*User lynne\.robbins@contoso\.com/);

    await page.getByLabel('Event type').selectOption('user.deactivated');
    await page.getByRole('button', { name: 'Show' }).click();
    await expectText(page.locator('.state-empty'), /No user\.deactivated event/);
    await page.getByLabel('Event type').selectOption('user.created');
    await page.getByRole('button', { name: 'Show' }).click();
    await expectText(page.locator('.results-summary'), /2 events of type user\.created, newest first\./);
    await page.locator('table.events-table summary').first().click();
    await expectText(page.locator('table.events-table pre.json').first(), /"type": "user\.created"/);
    await screenshot('console-events.png');
  });

  it('rotates the secret (the new one shown once) and removes the webhook', async () => {
    await page.goto(`${state.apiUrl}/console#/apps/${appId()}`);
    await page.getByRole('button', { name: `Rotate the secret of ${receiverUrl}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByTestId('webhook-secret-panel').waitFor();
    const rotated = await page.getByTestId('webhook-secret').inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);

    await page.getByRole('button', { name: `Remove ${receiverUrl}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove webhook' }).click();
    await expectText(page.locator('section[aria-labelledby="webhooks-title"]'), /No webhooks/);
    expect(pageProblems).toEqual([]);
  });
});
