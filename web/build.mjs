// Builds the web UI with esbuild, into a folder of the build tree:
//   node build.mjs bundle OUT_DIR   the UI: OUT_DIR/index.html, which loads
//                                   OUT_DIR/assets/main-<hash>.js and main-<hash>.css
//   node build.mjs tests OUT_DIR    each src/*.test.ts as OUT_DIR/<name>.test.mjs, for node --test
// OUT_DIR is emptied first, so that it holds only what this build made.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [mode, outDir] = process.argv.slice(2);
if (!['bundle', 'tests'].includes(mode) || !outDir) {
  console.error('usage: node build.mjs bundle|tests OUT_DIR');
  process.exit(2);
}
if (!existsSync(path.join(here, 'node_modules', 'esbuild'))) {
  console.error(
    `web: ${path.join(here, 'node_modules')} is missing or incomplete: run \`npm ci\` in web/ ` +
      '(./dev run and ./dev test do it)');
  process.exit(1);
}
const esbuild = await import('esbuild');

const common = {
  bundle: true,
  format: 'esm',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  logLevel: 'warning',
  absWorkingDir: here,
};

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

if (mode === 'tests') {
  const tests = readdirSync(path.join(here, 'src')).filter((f) => f.endsWith('.test.ts'));
  await esbuild.build({
    ...common,
    entryPoints: tests.map((f) => path.join('src', f)),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    target: 'node18',
  });
} else {
  const result = await esbuild.build({
    ...common,
    entryPoints: ['src/main.tsx'],
    outdir: path.join(outDir, 'assets'),
    entryNames: '[name]-[hash]',
    minify: true,
    target: 'es2020',
    metafile: true,
    legalComments: 'none',
  });
  const outputs = Object.keys(result.metafile.outputs).map((f) => path.basename(f));
  const script = outputs.find((f) => f.endsWith('.js'));
  const style = outputs.find((f) => f.endsWith('.css'));
  writeFileSync(path.join(outDir, 'index.html'), indexHtml(script, style));
}

// The page every UI path loads. The inline script sets the theme before the first paint, so that
// a dark page never flashes white.
function indexHtml(script, style) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Argus</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='6' fill='%23e6522c'/%3E%3C/svg%3E">
<script>
try {
  var t = localStorage.getItem('argus.theme');
  if (t !== 'dark' && t !== 'light') t = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  document.documentElement.dataset.theme = t;
} catch (e) {}
</script>
<link rel="stylesheet" href="/assets/${style}">
<script type="module" src="/assets/${script}"></script>
</head>
<body>
<div id="app"></div>
</body>
</html>
`;
}
