// Every code block of README.md compiles with `tsc --strict` against the declarations, as an
// application that ran `npm install ./clients/node` would compile it (the package is linked into
// a node_modules of a scratch folder, and imported by its name, radar-rpc-client).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageDir, test } from '../test-support/helpers.js';

// A block without an import of its own uses names the README introduced before it.
const PRELUDE = [
  "import type { RadarClient, RadarResult, CsvResult } from 'radar-rpc-client';",
  'declare const client: RadarClient;',
  'declare function render(result: RadarResult | CsvResult): void;',
].join('\n');

/** The ```js and ```ts blocks of the README, in order, with their indentation removed. */
export function codeBlocks(markdown) {
  const blocks = [];
  const pattern = /^( *)```(js|ts)\n([\s\S]*?)^\1```$/gm;
  for (const match of markdown.matchAll(pattern)) {
    const indent = match[1].length;
    blocks.push({ language: match[2], code: match[3].split('\n').map((line) => line.slice(indent)).join('\n') });
  }
  return blocks;
}

test('the README\'s code blocks compile under tsc --strict', () => {
  const blocks = codeBlocks(readFileSync(join(packageDir, 'README.md'), 'utf8'));
  assert.ok(blocks.length >= 4, `found ${blocks.length} blocks`);
  assert.ok(blocks.some((b) => b.code.includes("from 'vscode'")), 'the VS Code recipe is among them');
  const dir = mkdtempSync(join(tmpdir(), 'radar-node-readme-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(packageDir, join(dir, 'node_modules', 'radar-rpc-client'), 'dir');
    const files = blocks.map((block, index) => {
      const name = `block-${index + 1}.mts`;
      const standalone = /^import /m.test(block.code);
      writeFileSync(join(dir, name), standalone ? block.code : `${PRELUDE}\n${block.code}\nexport {};\n`);
      return name;
    });
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        noEmit: true, strict: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext',
        lib: ['es2022', 'dom', 'esnext.asynciterable'], typeRoots: [join(packageDir, 'test', 'types', 'shim')], types: ['node'],
        noUnusedLocals: false,
      },
      files: [...files, join(packageDir, 'test', 'types', 'vscode.d.ts')],
    }));
    try {
      execFileSync('tsc', ['-p', dir], { encoding: 'utf8' });
    } catch (error) {
      if (error.code === 'ENOENT') assert.fail('tsc is not installed (apt-get install node-typescript; scripts/test does)');
      assert.fail(`the README's code does not compile:\n${error.stdout}${error.stderr}\n` +
        files.map((f) => `--- ${f}\n${readFileSync(join(dir, f), 'utf8')}`).join('\n'));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
