import {spawn} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';

/*
 * `npm test`: build, typecheck, lint (when package.json has a lint script), then the main suite and the reliability
 * suite — each suite runs whatever happened to the other — and last a summary with each suite's counts. Exits 1 when
 * any step failed. `node --import tsx test/run-suites.ts reliability` builds and runs only the named suites.
 */

type Suite = {name: string; files: () => string[]; concurrency: number};
type Step = {name: string; outcome: 'ok' | 'failed' | 'skipped'; note: string};

const root = fileURLToPath(new URL('..', import.meta.url));
const testFolder = join(root, 'test');
const reliabilityFolder = join(testFolder, 'reliability');

/** Node 20's --test does not expand globs: the files are listed here, in a stable order. */
function testFiles(folder: string, skip?: string): string[] {
	return readdirSync(folder, {recursive: true, encoding: 'utf8'})
		.map(name => join(folder, name))
		.filter(file => /\.test\.tsx?$/.test(file) && (skip === undefined || !file.startsWith(`${skip}/`)))
		.map(file => relative(root, file))
		.sort();
}

const suites: Suite[] = [
	{name: 'main', files: () => testFiles(testFolder, reliabilityFolder), concurrency: 2},
	// One file at a time, after the rest: these load the machine on purpose.
	{name: 'reliability', files: () => testFiles(reliabilityFolder), concurrency: 1},
];

/**
 * The longest one test file may take (its process included): a file whose tests all passed but whose process never
 * exits (a timer or socket left behind) fails with "test timed out" instead of holding `npm test`, and CI, for ever.
 * The slowest file takes a few minutes on a loaded machine.
 */
const fileTimeoutMinutes = 20;

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Runs a command with this terminal, resolves with its exit status (a signal counts as failure). */
async function run(command: string, args: string[]): Promise<number> {
	const child = spawn(command, args, {cwd: root, stdio: 'inherit'});
	return new Promise(resolve => {
		child.on('error', error => {
			console.error(`could not start ${command}: ${error.message}`);
			resolve(127);
		});
		child.on('close', (code, signal) => {
			resolve(code ?? (signal === null ? 1 : 128));
		});
	});
}

async function npmScript(name: string): Promise<Step> {
	const began = Date.now();
	const code = await run('npm', ['run', name, '--silent']);
	return {name, outcome: code === 0 ? 'ok' : 'failed', note: `${code === 0 ? '' : `exit ${code}, `}${seconds(began)}`};
}

function hasScript(name: string): boolean {
	const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {scripts?: Record<string, string>};
	return manifest.scripts?.[name] !== undefined;
}

/** The top-level counts of a TAP report ("# tests 12"); subtests' counts are indented. */
function tapCounts(tap: string): Record<string, number> {
	return Object.fromEntries([...tap.matchAll(/^# (tests|pass|fail|cancelled|skipped|todo) (\d+)$/gm)].map(match => [match[1]!, Number(match[2])]));
}

async function runSuite(suite: Suite): Promise<Step> {
	const began = Date.now();
	const files = suite.files();
	// The usual report goes to the terminal; a TAP copy goes to a file, for the counts.
	const reportFolder = mkdtempSync(join(tmpdir(), 'fatc-suite-'));
	const tapFile = join(reportFolder, `${suite.name}.tap`);
	try {
		console.log(`\n== ${suite.name} suite: ${files.length} files, ${suite.concurrency} at a time`);
		const code = await run(process.execPath, [
			'--import', 'tsx', '--test', `--test-concurrency=${suite.concurrency}`, `--test-timeout=${fileTimeoutMinutes * 60_000}`,
			'--test-reporter=spec', '--test-reporter-destination=stdout',
			'--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
			...files,
		]);
		let counts: Record<string, number> = {};
		try {
			counts = tapCounts(readFileSync(tapFile, 'utf8'));
		} catch {}

		const {tests, pass, fail, cancelled = 0, skipped = 0, todo = 0} = counts;
		const failed = code !== 0 || fail === undefined || fail > 0 || cancelled > 0;
		const extra = [cancelled > 0 ? `${cancelled} cancelled` : '', skipped > 0 ? `${skipped} skipped` : '', todo > 0 ? `${todo} todo` : '']
			.filter(Boolean).join(', ');
		const summary = tests === undefined ? 'no counts reported' : `${tests} tests, ${pass} pass, ${fail} fail${extra === '' ? '' : ` (${extra})`}`;
		return {name: `${suite.name} suite`, outcome: failed ? 'failed' : 'ok', note: `${summary}; exit ${code}, ${seconds(began)}`};
	} finally {
		rmSync(reportFolder, {recursive: true, force: true});
	}
}

async function main(requested: string[]): Promise<number> {
	const unknown = requested.filter(name => !suites.some(suite => suite.name === name));
	if (unknown.length > 0) {
		console.error(`unknown suite ${unknown.join(', ')}: expected ${suites.map(suite => suite.name).join(' or ')}`);
		return 2;
	}

	const began = Date.now();
	const steps: Step[] = [];
	const build = await npmScript('build');
	steps.push(build);
	if (requested.length === 0) {
		// Checks only report: the suites still run, so one broken file does not hide every test result.
		steps.push(await npmScript('typecheck'));
		steps.push(hasScript('lint') ? await npmScript('lint') : {name: 'lint', outcome: 'skipped', note: 'no lint script in package.json'});
	}

	for (const suite of suites.filter(suite => requested.length === 0 || requested.includes(suite.name))) {
		// The suites start fatc from dist/: without a build they would test a stale one.
		steps.push(build.outcome === 'ok' ? await runSuite(suite) : {name: `${suite.name} suite`, outcome: 'skipped', note: 'not run: the build failed'});
	}

	const failed = steps.filter(step => step.outcome !== 'ok' && !(step.name === 'lint' && step.outcome === 'skipped'));
	console.log(`\n== summary (${seconds(began)})`);
	for (const step of steps) {
		console.log(`${step.name.padEnd(17)} ${step.outcome.padEnd(7)} ${step.note}`);
	}

	console.log(failed.length === 0 ? 'npm test: everything passed' : `npm test: FAILED (${failed.map(step => step.name).join(', ')})`);
	return failed.length === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
