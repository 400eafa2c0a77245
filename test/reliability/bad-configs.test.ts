import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {test} from 'node:test';
import {dump} from 'js-yaml';
import {ConfigError} from '../../source/config/errors.js';
import {loadConfiguration} from '../../source/config/load-configuration.js';
import {runCli} from '../helpers/cli.js';
import {temporaryFolder, writeIn} from '../helpers/temporary-folder.js';

/** Values that are wrong for every key they are tried on (below: per key). */
const wrongValues: Record<string, unknown[]> = {
	command: ['', 42, [], {}, null, true],
	args: [42, {a: 1}, [[1]], [{}], null],
	cwd: [42, [], {}, true, ''],
	env: ['A=1', [1, 2], 42, {A: {}}, {A: [1]}],
	model: ['dependant', 42, [], 'FIXED!', ''],
	// 0 is valid: a job defined but not running (readme "instances").
	instances: [-1, 2.5, '4', 1e12, 10_001, Number.NaN, [], {}, null, true],
	sleep: [-1, '5 minutes', 'ms', [], {}, true, 1e308, '-3s'],
	sleepOnError: [-5, 'soon', {}, [], '1 fortnight'],
	warnAfter: [-1, 'later', []],
	timeout: [-1, 'never', {}],
	stopSignal: ['SIGFOO', 'KILLME', 9.5, [], ''],
	stopTimeout: [-1, 'x', []],
	fixedIntervalWait: [-2, 'forever', []],
	schedule: ['every minute', '* * *', 42, '61 * * * *'],
	exitCodes: [[0], {done: [256]}, {done: [-1]}, {done: [0], more: [0]}, {maybe: [1]}, 'zero'],
	appendInstanceId: ['yes please', 42, []],
	logFile: [42, [], {}],
	errLogFile: [42, [], {}],
	onChange: ['explode', 42],
};

type Case = {name: string; text: string | Buffer; mentions: RegExp};

function corpus(): Case[] {
	const cases: Case[] = [];
	for (const [key, values] of Object.entries(wrongValues)) {
		for (const value of values) {
			const job: Record<string, unknown> = {command: 'true', model: key === 'schedule' ? 'fixed' : 'dependent', [key]: value};
			cases.push({name: `${key}: ${JSON.stringify(value)}`, text: dump({jobs: {emails: job}}, {skipInvalid: true}), mentions: new RegExp(`jobs\\.emails\\.${key}`)});
		}
	}

	cases.push(
		{name: 'unknown top-level key', text: 'jobz:\n  a:\n    command: "true"\n', mentions: /jobz: unknown key \(did you mean "jobs"\?\)/},
		{name: 'unknown job key', text: 'jobs:\n  a:\n    comand: "true"\n', mentions: /jobs\.a\.comand: unknown key \(did you mean "command"\?\)/},
		{name: 'no jobs', text: 'name: x\n', mentions: /jobs/},
		{name: 'empty jobs', text: 'jobs: {}\n', mentions: /jobs/},
		{name: 'bad job name', text: 'jobs:\n  "a b/../c":\n    command: "true"\n', mentions: /jobs/},
		{name: 'empty file', text: '', mentions: /empty/},
		{name: 'only a comment', text: '# nothing\n', mentions: /./},
		{name: 'a scalar', text: '42\n', mentions: /./},
		{name: 'a list', text: '- a\n- b\n', mentions: /./},
		{name: 'broken YAML', text: 'jobs:\n  a:\n    command: [unclosed\n', mentions: /not valid YAML/},
		{name: 'tabs in YAML', text: 'jobs:\n\ta:\n\t\tcommand: x\n', mentions: /./},
		{name: 'binary garbage', text: randomBytes(4096), mentions: /./},
		{name: 'a NUL byte', text: 'jobs:\n  a:\n    command: "tr\0ue"\n', mentions: /./},
		{name: 'bad name', text: 'name: "../../etc"\njobs:\n  a:\n    command: "true"\n', mentions: /name/},
		{name: 'YAML alias bomb', text: aliasBomb(), mentions: /at most 100,000 values/},
		{name: '10 MB of keys', text: `jobs:\n  a:\n    command: "true"\n    env:\n${Array.from({length: 150_000}, (_, index) => `      K${index}: "${'v'.repeat(50)}"\n`).join('')}`, mentions: /at most 100,000 values/},
	);
	return cases;
}

function aliasBomb(): string {
	const lines = ['  a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]'];
	for (let level = 1; level < 12; level++) {
		lines.push(`  a${level}: &a${level} [${Array.from({length: 10}, () => `*a${level - 1}`).join(',')}]`);
	}

	return `bombs:\n${lines.join('\n')}\njobs:\n  a:\n    command: "true"\n    args: *a11\n`;
}

test('every config in a generated corpus of bad ones gets a ConfigError naming the file and the key, never a crash', async t => {
	const folder = temporaryFolder(t);
	const cases = corpus();
	const failures: string[] = [];
	for (const [index, entry] of cases.entries()) {
		const file = await writeIn(folder, `case-${index}.yml`, entry.text);
		try {
			await loadConfiguration({configPath: file});
			failures.push(`${entry.name}: accepted`);
		} catch (error) {
			if (!(error instanceof ConfigError)) {
				failures.push(`${entry.name}: ${(error as Error).name}: ${(error as Error).message}`);
			} else if (!error.message.includes(file) || !entry.mentions.test(error.message) || /\n\s+at /.test(error.message)) {
				failures.push(`${entry.name}: unclear message: ${error.message.slice(0, 300)}`);
			}
		}
	}

	t.diagnostic(`${cases.length} bad configs tried`);
	assert.deepEqual(failures, []);
	assert.ok(cases.length > 100);
});

test('the CLI answers an alias bomb with exit 2 and one clear message, at once', async t => {
	const folder = temporaryFolder(t);
	await writeIn(folder, 'bomb.yml', aliasBomb());
	const bomb = await runCli(['check', '-c', 'bomb.yml'], {cwd: folder});
	assert.equal(bomb.code, 2);
	assert.match(bomb.stderr, /bomb\.yml: expected a config of at most 100,000 values/);
	assert.doesNotMatch(bomb.stderr, /\n\s+at /);
});
