import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {runCli} from '../helpers/cli.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';

const recorder = fileURLToPath(new URL('../fixtures/record-imports.mjs', import.meta.url));

/** The module URLs `fatc ARGS` loaded (ES modules through the loader; CommonJS packages by their entry). */
async function modulesLoadedBy(args: string[], folder: string, code = 0): Promise<string[]> {
	const record = join(folder, 'imports.txt');
	await writeIn(folder, 'imports.txt', '');
	const result = await runCli(args, {cwd: folder, env: {NODE_OPTIONS: `--import ${recorder}`, RECORD_IMPORTS_TO: record}});
	assert.equal(result.code, code, result.stderr);
	return readFileSync(record, 'utf8').split('\n').filter(Boolean);
}

test('a command loads only what it needs: --help and --version no config loader, the job names for a TAB no schema or supervisor', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', 'jobs:\n  send-emails:\n    command: "true"\n');
	for (const args of [['--help'], ['--version'], ['completion', 'bash']]) {
		const loaded = await modulesLoadedBy(args, folder);
		assert.ok(loaded.some(url => url.endsWith('/dist/cli/main.js')), 'the recorder sees the CLI');
		// job-definition.js is the limits' constants only.
		const heavy = loaded.filter(url => /\/node_modules\/(zod|cosmiconfig|prom-client|jiti)\/|\/dist\/(core\/(?!job-definition)|driver|daemon\/serve-)/.test(url));
		assert.deepEqual(heavy, [], `fatc ${args.join(' ')}`);
	}

	// Job names for a TAB: the config is found and read, but not checked (no zod), and no supervisor, daemon or
	// TypeScript loader loads.
	const completion = await modulesLoadedBy(['completion', 'jobs'], folder);
	assert.ok(completion.some(url => url.includes('/node_modules/cosmiconfig/')), 'the config is read');
	assert.deepEqual(completion.filter(url => /\/node_modules\/(zod|prom-client|jiti)\/|\/dist\/(core\/supervisor|driver|daemon\/serve-)/.test(url)), []);
});

test('a client command reads the config\'s name and folders without loading the schema; a file that does not validate still names them', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, '.fatcontrollerrc', 'name: lean\nrunDir: ./run\njobs:\n  send-emails:\n    command: "true"\n');
	// No fatc runs here: exit 3, after the address was read.
	for (const args of [['status'], ['scale', 'send-emails', '2'], ['history']]) {
		const loaded = await modulesLoadedBy(args, folder, 3);
		assert.ok(loaded.some(url => url.includes('/node_modules/cosmiconfig/')), 'the config is found as fatc run finds it');
		assert.deepEqual(loaded.filter(url => /\/node_modules\/zod\/|\/dist\/config\/(schema|load-configuration)\.js/.test(url)), [], `fatc ${args.join(' ')}`);
	}

	const status = await runCli(['status'], {cwd: folder});
	assert.equal(status.code, 3);
	assert.ok(status.stderr.includes(`no fatc daemon answers on ${join(folder, 'run', 'lean.sock')}`), status.stderr);
	assert.equal(status.stderr.includes('warning'), false, 'a valid file, no warning');

	// A name the schema refuses: the full check, its error as a warning, and the address read as it can be.
	await writeIn(folder, '.fatcontrollerrc', 'name: "no/slash"\nrunDir: ./run\njobs: {}\n');
	const refused = await runCli(['status'], {cwd: folder});
	assert.equal(refused.code, 3);
	assert.match(refused.stderr, /fatc: warning: .*name: expected a name of letters/, refused.stderr);
});
