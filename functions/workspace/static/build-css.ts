/**
 * `npm run workspace:css`: builds functions/workspace/static/workspace.css, the workspace's one
 * stylesheet, from the NL Design System parts it uses: the Utrecht component CSS of only the
 * components the pages use, the design tokens those components and our own stylesheet
 * (workspace.src.css) refer to, and our own stylesheet, minified. The file is committed, so the
 * Lambda bundle and CloudFront serve the same bytes; a test fails when it is not current.
 *
 * A municipality swaps in its own design tokens with `--tokens <file>` (a CSS file of custom
 * properties, as @utrecht/design-tokens/dist/theme.css or a municipality's own theme package
 * ships): its declarations are taken whatever selector holds them, and put on :root.
 *
 *   npm run workspace:css                      # rebuild with the Utrecht tokens
 *   npm run workspace:css -- --tokens my.css   # rebuild with a municipality's tokens
 *   npm run workspace:css -- --check           # exit 1 when the committed file is not current
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { MONITOR_CSS } from '../../monitor/report.ts';

/** The Utrecht components the pages use (their `@utrecht/<name>-css` packages, dependencies of the component library). */
export const COMPONENTS = [
  'document',
  'page',
  'page-header',
  'page-content',
  'page-footer',
  'skip-link',
  'heading-1',
  'heading-2',
  'heading-3',
  'paragraph',
  'link',
  'button',
  'form-field',
  'form-label',
  'form-fieldset',
  'form-field-description',
  'select',
  'textbox',
  'checkbox',
  'radio-button',
  'table',
  'status-badge',
  'alert',
  'pagination',
  'unordered-list',
  'data-list',
] as const;

const HERE = new URL('./', import.meta.url);
export const OUTPUT = fileURLToPath(new URL('workspace.css', HERE));
const OWN = fileURLToPath(new URL('workspace.src.css', HERE));
// The component packages are the component library's dependencies: resolved from it, as npm installs them.
const fromLibrary = createRequire(createRequire(import.meta.url).resolve('@utrecht/component-library-css/package.json'));
export const DEFAULT_TOKENS = createRequire(import.meta.url).resolve('@utrecht/design-tokens/dist/theme.css');

const VAR_REFERENCE = /var\(\s*(--[A-Za-z0-9_-]+)/g;
const DECLARATION = /(--[A-Za-z0-9_-]+)\s*:\s*([^;{}]+);/g;

/** The custom properties a stylesheet reads. */
function referenced(css: string): Set<string> {
  return new Set([...css.matchAll(VAR_REFERENCE)].map((m) => m[1]!));
}

/** The tokens file's declarations needed by `css`: those it reads, and those they read in turn. */
function tokensFor(css: string, tokensCss: string): string {
  const values = new Map<string, string>();
  for (const [, name, value] of tokensCss.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(DECLARATION)) values.set(name!, value!.trim());
  const needed = new Set<string>();
  const queue = [...referenced(css)];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (needed.has(name) || !values.has(name)) continue;
    needed.add(name);
    queue.push(...referenced(values.get(name)!));
  }
  return `:root{${[...needed].sort().map((name) => `${name}:${values.get(name)}`).join(';')}}`;
}

export async function buildWorkspaceCss(tokensFile: string = DEFAULT_TOKENS): Promise<string> {
  const components = COMPONENTS.map((name) => readFileSync(fromLibrary.resolve(`@utrecht/${name}-css/dist/index.css`), 'utf8'));
  const own = readFileSync(OWN, 'utf8');
  // The monitor page shows the report's fragment: its classes are styled as in the report's own file.
  const styles = [...components, own, MONITOR_CSS].join('\n');
  const tokens = tokensFor(styles, readFileSync(tokensFile, 'utf8'));
  const { code } = await transform(`${tokens}\n${styles}`, { loader: 'css', minify: true, legalComments: 'none' });
  return `${banner()}\n${code}`;
}

/** One licence notice for the parts, instead of each component's own (EUPL-1.2, Gemeente Utrecht and Frameless B.V.). */
function banner(): string {
  const version = (name: string) => (JSON.parse(readFileSync(fromLibrary.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  const parts = COMPONENTS.map((name) => `@utrecht/${name}-css@${version(`@utrecht/${name}-css`)}`).join(', ');
  return `/*! Built by npm run workspace:css. NL Design System components (EUPL-1.2, (c) Gemeente Utrecht and Frameless B.V.): ${parts}. */`;
}

async function main(args: string[]): Promise<number> {
  const tokensAt = args.indexOf('--tokens');
  const tokensFile = tokensAt >= 0 ? args[tokensAt + 1] : undefined;
  if (tokensAt >= 0 && !tokensFile) {
    process.stderr.write('--tokens needs a file: the design tokens as CSS custom properties\n');
    return 2;
  }
  const css = await buildWorkspaceCss(tokensFile);
  if (args.includes('--check')) {
    const current = readFileSync(OUTPUT, 'utf8') === css;
    process.stdout.write(current ? 'workspace.css is current\n' : 'workspace.css is not current: run npm run workspace:css\n');
    return current ? 0 : 1;
  }
  writeFileSync(OUTPUT, css);
  process.stdout.write(`wrote ${OUTPUT} (${css.length} bytes)\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
