import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {ESLint} from 'eslint';

const root = fileURLToPath(new URL('../..', import.meta.url));
// no-cycle would parse every file an import reaches (from cli/main.ts, all of source/); the zones need none of them.
const eslint = new ESLint({cwd: root, overrideConfig: {rules: {'import-x/no-cycle': 'off'}}});

/** The rules that fire on `code` as if it were the file at `file` (relative to the project's root). */
async function rulesFiredOn(file: string, code: string, linter = eslint, folder = root): Promise<string[]> {
	const [result] = await linter.lintText(code, {filePath: path.join(folder, file)});
	return result!.messages.map(message => message.ruleId ?? message.message);
}

test('layers: a core file importing from the driver is an import-x/no-restricted-paths error', async () => {
	assert.deepEqual(await rulesFiredOn('source/core/x.ts', 'export {spawnRun} from \'../driver/spawn-run.js\';\n'), ['import-x/no-restricted-paths']);
});

test('layers: a driver file importing from the host is an error', async () => {
	assert.deepEqual(await rulesFiredOn('source/driver/x.ts', 'export {prepareSupervision} from \'../host/start-supervision.js\';\n'), ['import-x/no-restricted-paths']);
});

test('layers: a ui file importing from the CLI is an error', async () => {
	assert.deepEqual(await rulesFiredOn('source/ui/x.ts', 'export {main} from \'../cli/main.js\';\n'), ['import-x/no-restricted-paths']);
});

test('layers: a core file importing another core file is fine', async () => {
	assert.deepEqual(await rulesFiredOn('source/core/x.ts', 'export type {JobState} from \'./job-state.js\';\n'), []);
});

test('layers: two files that import each other only for types are an import-x/no-cycle error', async t => {
	const folder = mkdtempSync(path.join(tmpdir(), 'fatc-lint-test-'));
	t.after(() => rmSync(folder, {recursive: true, force: true}));
	mkdirSync(path.join(folder, 'source/core'), {recursive: true});
	const a = 'import type {B} from \'./b.js\';\nexport type A = {b?: B};\n';
	writeFileSync(path.join(folder, 'source/core/a.ts'), a);
	writeFileSync(path.join(folder, 'source/core/b.ts'), 'import type {A} from \'./a.js\';\nexport type B = {a: A};\n');
	const linter = new ESLint({cwd: folder, overrideConfigFile: path.join(root, 'eslint.config.js')});
	assert.deepEqual(await rulesFiredOn('source/core/a.ts', a, linter, folder), ['import-x/no-cycle']);
});
