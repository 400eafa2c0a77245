import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {temporaryFolder} from '../helpers/temporary-folder.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const licensePattern = /^(licen[cs]e|copying)(\..+)?$/i;

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

type Outcome = {code: number | null; stdout: string; stderr: string};

function command(file: string, args: string[], options: {cwd: string; env?: NodeJS.ProcessEnv}): Promise<Outcome> {
	const child = spawn(file, args, {cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	return new Promise(resolve => {
		child.on('error', error => {
			resolve({code: null, stdout, stderr: `${stderr}could not start ${file}: ${error.message}\n`});
		});
		child.on('close', code => {
			resolve({code, stdout, stderr});
		});
	});
}

/**
 * npm as a user runs it: without what an outer `npm test` put in the environment (its package, its lifecycle, a prefix
 * or global flag), which would steer the inner npm; the cache and registry settings stay.
 */
function npmEnvironment(): NodeJS.ProcessEnv {
	const environment = Object.fromEntries(Object.entries(process.env).filter(([name]) =>
		!/^npm_(package|lifecycle)_/i.test(name) && !/^npm_config_(local_prefix|prefix|global|global_prefix|call)$/i.test(name)));
	return {...environment, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false'};
}

/** What a clone holds: the tracked files and new ones git does not ignore, as they are in this working tree. */
async function copyAsClone(destination: string): Promise<void> {
	const listed = await command('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {cwd: root});
	assert.equal(listed.code, 0, listed.stderr);
	for (const file of listed.stdout.split('\0')) {
		// A tracked file deleted in the working tree is listed too.
		if (file !== '' && existsSync(join(root, file))) {
			mkdirSync(dirname(join(destination, file)), {recursive: true});
			cpSync(join(root, file), join(destination, file));
		}
	}

	// What `npm ci` would install; the test does not download it again.
	symlinkSync(join(root, 'node_modules'), join(destination, 'node_modules'));
}

/** dist/X.js for each source/X.ts(x): what tsc emits, and nothing else. */
function expectedFiles(clone: string): string[] {
	const compiled = readdirSync(join(clone, 'source'), {recursive: true, encoding: 'utf8'})
		.filter(file => /\.tsx?$/.test(file) && !file.endsWith('.d.ts'))
		.map(file => `dist/${file.replace(/\.tsx?$/, '.js')}`);
	const licenses = readdirSync(clone).filter(file => licensePattern.test(file));
	return ['.fatcontrollerrc.example', 'package.json', 'readme.md', ...licenses, ...compiled].sort();
}

test('npm pack on a fresh clone builds dist/; the package installs with npm install -g and its fatc runs', {timeout: 240_000}, async t => {
	const folder = temporaryFolder(t);
	const clone = join(folder, 'clone');
	await copyAsClone(clone);
	assert.equal(existsSync(join(clone, 'dist')), false, 'a clone has no dist/');
	const environment = npmEnvironment();
	const packing = Date.now();
	const packed = await command('npm', ['pack', '--json', '--pack-destination', folder], {cwd: clone, env: environment});
	assert.equal(packed.code, 0, `npm pack failed:\n${packed.stdout}${packed.stderr}`);
	t.diagnostic(`npm pack, with its build: ${seconds(packing)}`);
	const [report] = JSON.parse(packed.stdout) as Array<{filename: string; files: Array<{path: string}>}>;
	const tarball = join(folder, report!.filename);

	await t.test('the package holds the compiled fatc, its example config, readme and license; no source maps, sources or tests', () => {
		assert.deepEqual(report!.files.map(file => file.path).sort(), expectedFiles(clone));
	});

	await t.test('the repository has a license file for the package to carry', () => {
		assert.ok(readdirSync(root).some(file => licensePattern.test(file)));
	});

	await t.test('npm install -g of the tarball gives a fatc that prints its version and checks the example config', async t => {
		const prefix = join(folder, 'prefix');
		const installing = Date.now();
		const install = async (cacheMode: string) => command('npm', ['install', '--global', '--prefix', prefix, cacheMode, tarball], {cwd: folder, env: environment});
		let installed = await install('--offline');
		if (installed.code !== 0 && /ENOTCACHED/.test(installed.stderr)) {
			// `npm ci` caches the dependencies' tarballs, not the registry metadata that resolves their version ranges.
			t.diagnostic('the npm cache lacks the dependencies\' metadata: installing with --prefer-offline (tarballs from the cache)');
			installed = await install('--prefer-offline');
		}

		if (installed.code !== 0 && /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH)\b/.test(installed.stderr)) {
			t.skip('no registry to resolve the dependencies from, and the npm cache does not have their metadata');
			return;
		}

		assert.equal(installed.code, 0, `npm install -g failed:\n${installed.stdout}${installed.stderr}`);
		t.diagnostic(`npm install -g: ${seconds(installing)}`);
		const fatc = join(prefix, 'bin', 'fatc');
		const runEnvironment = {...process.env, XDG_RUNTIME_DIR: folder};
		const version = await command(fatc, ['--version'], {cwd: folder, env: runEnvironment});
		assert.equal(version.code, 0, version.stderr);
		const {version: expected} = JSON.parse(readFileSync(join(clone, 'package.json'), 'utf8')) as {version: string};
		assert.equal(version.stdout.trim(), expected);
		const example = join(prefix, 'lib', 'node_modules', 'fatc', '.fatcontrollerrc.example');
		const checked = await command(fatc, ['check', '-c', example], {cwd: folder, env: runEnvironment});
		assert.equal(checked.code, 0, `${checked.stdout}${checked.stderr}`);
		assert.match(checked.stdout, /valid/);
	});
});
