import assert from 'node:assert/strict';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {ConfigError} from '../../source/config/errors.js';
import {loadConfiguration} from '../../source/config/load-configuration.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';

const repository = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The commands of the loaded config's jobs, to tell which file was read. */
async function commandsOf(options: Parameters<typeof loadConfiguration>[0]): Promise<string[]> {
	const configuration = await loadConfiguration(options);
	return configuration.jobs.map(job => job.command);
}

async function rejectsWith(promise: Promise<unknown>, file: string, pattern: RegExp): Promise<ConfigError> {
	try {
		await promise;
	} catch (error) {
		assert.ok(error instanceof ConfigError, `a ConfigError, got ${String(error)}`);
		assert.equal(error.file, file);
		assert.match(error.message, pattern);
		assert.doesNotMatch(error.message, /\n\s+at /, 'no stack trace in the message');
		return error;
	}

	assert.fail('expected a ConfigError');
}

const formats: Array<[string, string]> = [
	['.fatcontrollerrc', 'jobs:\n  a:\n    command: from-rc-yaml\n'],
	['.fatcontrollerrc.json', '{"jobs": {"a": {"command": "from-json"}}}'],
	['.fatcontrollerrc.yaml', 'jobs: {a: {command: from-yaml}}\n'],
	['.fatcontrollerrc.yml', 'jobs: {a: {command: from-yml}}\n'],
	['.fatcontrollerrc.js', 'module.exports = {jobs: {a: {command: "from-js"}}};\n'],
	['.fatcontrollerrc.cjs', 'module.exports = {jobs: {a: {command: "from-cjs"}}};\n'],
	['.fatcontrollerrc.mjs', 'export default {jobs: {a: {command: "from-mjs"}}};\n'],
	['fatcontroller.config.js', 'module.exports = {jobs: {a: {command: "from-config-js"}}};\n'],
	['fatcontroller.config.cjs', 'module.exports = {jobs: {a: {command: "from-config-cjs"}}};\n'],
	['fatcontroller.config.mjs', 'export default {jobs: {a: {command: "from-config-mjs"}}};\n'],
	['fatcontroller.config.ts', 'type Job = {command: string};\nconst job: Job = {command: "from-ts"};\nexport default {jobs: {a: job}};\n'],
];

test('every config file name of SPEC §3 is found in the current folder', async context => {
	for (const [name, content] of formats) {
		const folder = temporaryFolder(context);
		const file = await writeIn(folder, name, content);
		const configuration = await loadConfiguration({cwd: folder});
		assert.equal(configuration.configFile, file, name);
		assert.match(configuration.jobs[0]?.command ?? '', /^from-/, name);
	}
});

test('.fatcontrollerrc may be JSON', async context => {
	const folder = temporaryFolder(context);
	await writeIn(folder, '.fatcontrollerrc', '{"jobs": {"a": {"command": "json-in-rc"}}}');
	assert.deepEqual(await commandsOf({cwd: folder}), ['json-in-rc']);
});

test('a "fatcontroller" key in package.json is a config, and a package.json without one is passed over', async context => {
	const folder = temporaryFolder(context);
	await writeIn(folder, 'package.json', JSON.stringify({name: 'site', fatcontroller: {jobs: {a: {command: 'from-package'}}}}));
	assert.deepEqual(await commandsOf({cwd: folder}), ['from-package']);

	const inner = path.join(folder, 'inner');
	await writeIn(inner, 'package.json', JSON.stringify({name: 'inner'}));
	assert.deepEqual(await commandsOf({cwd: inner}), ['from-package']);
});

test('the search goes from a subfolder upwards, and the nearest config wins', async context => {
	const folder = temporaryFolder(context);
	await writeIn(folder, '.fatcontrollerrc', 'jobs: {a: {command: outer}}\n');
	const deep = path.join(folder, 'a', 'b', 'c');
	await writeIn(deep, 'keep', '');
	assert.deepEqual(await commandsOf({cwd: deep}), ['outer']);

	await writeIn(path.join(folder, 'a'), '.fatcontrollerrc.yml', 'jobs: {a: {command: nearer}}\n');
	const configuration = await loadConfiguration({cwd: deep});
	assert.deepEqual(configuration.jobs.map(job => job.command), ['nearer']);
	assert.equal(configuration.jobs[0]?.cwd, path.join(folder, 'a'), 'cwd defaults to the config file folder, not the search start');
});

test('-c loads exactly that file, relative to cwd, whatever its extension', async context => {
	const folder = temporaryFolder(context);
	await writeIn(folder, '.fatcontrollerrc', 'jobs: {a: {command: searched}}\n');
	await writeIn(folder, 'conf/site.yaml', 'jobs: {a: {command: named}}\n');
	await writeIn(folder, 'conf/site.conf', 'jobs: {a: {command: named-conf}}\n');
	await writeIn(folder, 'conf/site.ts', 'export default {jobs: {a: {command: "named-ts"}}};\n');
	assert.deepEqual(await commandsOf({cwd: folder, configPath: 'conf/site.yaml'}), ['named']);
	assert.deepEqual(await commandsOf({cwd: folder, configPath: 'conf/site.conf'}), ['named-conf']);
	assert.deepEqual(await commandsOf({cwd: '/', configPath: path.join(folder, 'conf/site.ts')}), ['named-ts']);
});

test('the repository .fatcontrollerrc.example loads with -c and validates', async () => {
	const file = path.join(repository, '.fatcontrollerrc.example');
	const configuration = await loadConfiguration({configPath: file});
	assert.equal(configuration.configFile, file);
	assert.equal(configuration.logDir, path.join(repository, 'logs'));
	assert.deepEqual(configuration.jobs.map(job => [job.name, job.model, job.instances]), [
		['send-emails', 'dependent', 4],
		['resize-images', 'independent', 2],
		['rebuild-feeds', 'fixed', 1],
		['process-uploads', 'dependent', 4],
	]);
	assert.ok(configuration.jobs.every(job => job.command === 'sh' && job.args[0] === '-c'));
	assert.equal(configuration.jobs[0]!.hold?.load, 4, 'the global hold');
	assert.equal(configuration.jobs[3]!.backlog?.perRun, 2);
	assert.equal(configuration.jobs[3]!.wake?.path, path.join(repository, 'var/uploads'));
});

test('an .mjs, .js and .ts config reloaded after an edit gives the new value', async context => {
	const folder = temporaryFolder(context);
	for (const name of ['fatcontroller.config.mjs', 'reload.js', 'reload.ts', 'reload.cjs']) {
		const body = name.endsWith('cjs') || name === 'reload.js'
			? (instances: number) => `module.exports = {jobs: {a: {command: "x", instances: ${instances}}}};\n`
			: (instances: number) => `export default {jobs: {a: {command: "x", instances: ${instances}}}};\n`;
		const file = await writeIn(folder, name, body(1));
		assert.equal((await loadConfiguration({configPath: file})).jobs[0]?.instances, 1, name);
		await writeFile(file, body(2));
		assert.equal((await loadConfiguration({configPath: file})).jobs[0]?.instances, 2, `${name} after the edit`);
	}
});

test('a YAML or JSON syntax error names the file and the line', async context => {
	const folder = temporaryFolder(context);
	const yamlFile = await writeIn(folder, 'bad.yaml', 'jobs:\n  a:\n    command: x\n   instances: 2\n');
	await rejectsWith(loadConfiguration({configPath: yamlFile}), yamlFile, new RegExp(`^${yamlFile}:4:\\d+: not valid YAML: `));
	const jsonFile = await writeIn(folder, 'bad.json', '{\n  "jobs": {\n    "a": {"command": "x",}\n  }\n}\n');
	await rejectsWith(loadConfiguration({configPath: jsonFile}), jsonFile, new RegExp(`^${jsonFile}:3:\\d+: not valid JSON: `));
});

test('a config module that throws or has no default export is a ConfigError', async context => {
	const folder = temporaryFolder(context);
	const throwing = await writeIn(folder, 'throwing.mjs', 'throw new Error("boom");\n');
	await rejectsWith(loadConfiguration({configPath: throwing}), throwing, /could not load: boom/);
	const named = await writeIn(folder, 'named.mjs', 'export const jobs = {};\n');
	await rejectsWith(loadConfiguration({configPath: named}), named, /expected a default export/);
});

test('an empty config file is an error, also when found by searching', async context => {
	const folder = temporaryFolder(context);
	const file = await writeIn(folder, '.fatcontrollerrc', '\n  \n');
	await rejectsWith(loadConfiguration({cwd: folder}), file, /got an empty file/);
	await rejectsWith(loadConfiguration({configPath: file}), file, /got an empty file/);
	const commentsOnly = await writeIn(folder, 'comments.yaml', '# nothing yet\n');
	await rejectsWith(loadConfiguration({configPath: commentsOnly}), commentsOnly, /got an empty file/);
});

test('a missing -c file, or a package.json without the key, is a ConfigError', async context => {
	const folder = temporaryFolder(context);
	const missing = path.join(folder, 'nope.yaml');
	await rejectsWith(loadConfiguration({configPath: missing}), missing, /could not read: no such file/);
	const packageFile = await writeIn(folder, 'package.json', '{"name": "x"}');
	await rejectsWith(loadConfiguration({configPath: packageFile}), packageFile, /expected a "fatcontroller" key/);
});

test('no config found says where it searched and how to make one', async context => {
	const folder = temporaryFolder(context);
	const start = path.join(folder, 'sub');
	await writeIn(start, 'keep', '');
	const error = await rejectsWith(loadConfiguration({cwd: start, stopDir: folder}), start, /no fatc config found/);
	assert.match(error.message, new RegExp(`searched ${start} and its parent folders up to ${folder}`));
	assert.match(error.message, /\.fatcontrollerrc\.example/);
	assert.match(error.message, /-c PATH/);
});

test('validation errors of a loaded file name that file', async context => {
	const folder = temporaryFolder(context);
	const file = await writeIn(folder, '.fatcontrollerrc', 'jobs:\n  emails:\n    command: php\n    instances: -1\n');
	await rejectsWith(loadConfiguration({cwd: folder}), file, new RegExp(`^${file}: jobs\\.emails\\.instances: expected an integer from 0 to 10000, got -1$`));
});
