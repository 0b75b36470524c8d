/**
 * Everything that needs the local gateway as a separate process, on one gateway (starting one
 * costs a JVM and a TypeScript compile): raw HTTP, races, the bounded soak, then access control,
 * whose search for tokens in the logs thus covers every request sent before it. The gateway runs
 * with DEBUG logs so that search sees everything the handlers can log.
 */
import { startGateway, type Gateway } from './support/gateway';
import { testTimeout } from './support/scale';
import { accessSuite } from './gateway/access';
import { racesSuite } from './gateway/races';
import { rawHttpSuite } from './gateway/raw-http';
import { soakSuite } from './gateway/soak';

jest.setTimeout(testTimeout());

let gw: Gateway | undefined;
const shared = (): Gateway => {
  if (!gw) throw new Error('the local gateway did not start');
  return gw;
};

beforeAll(async () => {
  gw = await startGateway({ logLevel: 'DEBUG' });
}, 180_000);

afterAll(async () => {
  if (process.env.RELIABILITY_DEBUG) process.stdout.write(gw?.logSinceStart() ?? '');
  await gw?.stop();
});

rawHttpSuite(shared);
racesSuite(shared);
soakSuite(shared);
accessSuite(shared);

describe('the local gateway after every suite above', () => {
  it('answered no request with a 5xx and reported no failure of its own', async () => {
    await new Promise((r) => setTimeout(r, 200));
    const lines = shared().logSinceStart().split('\n');
    // Access log lines read "METHOD /path → status (ms)"; the gateway's own failures start with "scim-gateway:".
    expect(lines.filter((line) => / → 5\d\d /.test(line) || /^scim-gateway: /.test(line))).toEqual([]);
    expect(lines.filter((line) => / → \d{3} /.test(line)).length).toBeGreaterThan(100);
  });
});
