import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {test} from 'node:test';
import {turnOutput} from '../../source/reporters/turn-output.js';

test('lines written in one callback go out in one write after it, in order', async () => {
	const writes: string[] = [];
	const output = turnOutput({write: text => writes.push(text)});
	output.write('a\n');
	output.write('b\n');
	output.write('c\n');
	assert.deepEqual(writes, [], 'nothing inside the turn');
	await Promise.resolve();
	assert.deepEqual(writes, ['a\nb\nc\n']);
	output.write('d\n');
	await Promise.resolve();
	assert.deepEqual(writes, ['a\nb\nc\n', 'd\n']);
});

test('what is pending when the process exits is written then', () => {
	const script = [
		"const {turnOutput} = await import('./source/reporters/turn-output.ts');",
		'const output = turnOutput(process.stdout);',
		"output.write('first\\n');",
		"output.write('last\\n');",
		'process.exit(0);',
	].join('\n');
	const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {encoding: 'utf8'});
	assert.equal(child.stderr, '');
	assert.equal(child.stdout, 'first\nlast\n');
});
