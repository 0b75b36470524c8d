/**
 * The console ships as a committed, generated module (lambdas/console/assets.ts). This rebuilds it
 * from console/ and fails when the committed one differs, so a change to the console cannot be
 * committed without its build.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CONSOLE_ASSETS } from '../../../lambdas/console/assets';

const ROOT = path.resolve(__dirname, '../../..');
const COMMITTED = path.join(ROOT, 'lambdas/console/assets.ts');

describe('console assets', () => {
  it('lambdas/console/assets.ts is the build of console/ (run "npm run build:console" if this fails)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'console-build-'));
    try {
      const out = path.join(dir, 'assets.ts');
      execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['console/build.ts', '--out', out], { cwd: ROOT, stdio: 'pipe' });
      const fresh = readFileSync(out, 'utf8');
      const committed = readFileSync(COMMITTED, 'utf8');
      if (fresh !== committed) {
        const names = (text: string) => [...text.matchAll(/^ {2}"([^"]+)": \{$/gm)].map((m) => m[1]).join(', ');
        throw new Error(`lambdas/console/assets.ts is stale: built [${names(fresh)}], committed [${names(committed)}]. Run "npm run build:console".`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds a page, its script and its styles, all text, flat names only', () => {
    const names = Object.keys(CONSOLE_ASSETS);
    expect(names).toContain('index.html');
    expect(names.some((n) => /^index-[\w-]+\.js$/.test(n))).toBe(true);
    expect(names.some((n) => /^index-[\w-]+\.css$/.test(n))).toBe(true);
    expect(names.every((n) => !n.includes('/'))).toBe(true);
    expect(Object.values(CONSOLE_ASSETS).every((a) => !a.base64)).toBe(true);
  });

  it('the page loads only same-origin files and has no inline script or style', () => {
    const page = CONSOLE_ASSETS['index.html'].body;
    const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\.\/[\w.-]+\.js"/);
      expect(body.trim()).toBe('');
    }
    expect(page).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=|javascript:/i);
    for (const [, url] of page.matchAll(/\b(?:src|href)="([^"]+)"/g)) expect(url).not.toMatch(/^(https?:)?\/\//);
  });

  it('the script builds no HTML from strings (every text is a text node)', () => {
    const scripts = Object.entries(CONSOLE_ASSETS).filter(([name]) => name.endsWith('.js'));
    for (const [, asset] of scripts) expect(asset.body).not.toMatch(/\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write\(|\beval\(|new Function\(/);
  });
});
