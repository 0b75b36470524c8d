/**
 * README.md and docs/*.md link to and cite only files that a clone of the repository has: a reader
 * cannot open a design note or a task file that lives elsewhere. Checked: Markdown links, every
 * `*.md` file named anywhere in the text, and file paths in backticks. Paths under `.data/` and
 * `node_modules/` are made at run time and are not checked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'cdk.out', '.data', 'coverage', 'dist']);
const RUNTIME_PATHS = /^(\.data|node_modules)\//;

const repoFiles = (dir = ROOT, found: string[] = []): string[] => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED_DIRS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) repoFiles(full, found);
    else found.push(path.relative(ROOT, full));
  }
  return found;
};

const FILES = repoFiles();
const FILE_SET = new Set(FILES);
const DOCS = ['README.md', ...FILES.filter((file) => /^docs\/[^/]+\.md$/.test(file))];

/** A link target: relative to the document, or to the repository root. */
const exists = (doc: string, target: string): boolean =>
  FILE_SET.has(path.normalize(path.join(path.dirname(doc), target))) || FILE_SET.has(path.normalize(target));

/**
 * A file named in the text: a path from the root, or the tail of one when the text is about a
 * folder (`keys.ts` in the table of `lambdas/store/`, `gateway/raw-http.ts` under `test/reliability/`).
 */
const named = (doc: string, file: string): boolean => exists(doc, file) || FILES.some((f) => f.endsWith(`/${path.normalize(file)}`));

/** Prose without fenced code blocks, whose shell lines name files a command creates. */
const proseOf = (text: string) => text.replace(/^```[\s\S]*?^```/gm, '');

describe.each(DOCS)('%s', (doc) => {
  const text = readFileSync(path.join(ROOT, doc), 'utf8');

  it('links only to files in the repository', () => {
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^(https?:|mailto:|#)/.test(t));
    expect(targets.map((t) => t.split('#')[0]).filter((t) => !exists(doc, t))).toEqual([]);
  });

  it('cites no Markdown file that is not in the repository', () => {
    const cited = [...proseOf(text).matchAll(/(?<![\w/.-])([\w./-]*[\w-]\.md)\b/g)].map((m) => m[1]).filter((t) => !/^https?:/.test(t));
    expect(cited.filter((file) => !named(doc, file))).toEqual([]);
  });

  it('names in backticks only files that are in the repository', () => {
    const files = [...proseOf(text).matchAll(/`([\w./-]+\.(?:ts|js|json|md|png|sh))`/g)].map((m) => m[1]).filter((t) => !RUNTIME_PATHS.test(t));
    expect(files.filter((file) => !named(doc, file))).toEqual([]);
  });
});
