import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {fixture} from '../helpers/fixture.js';
import {startRealSupervisor} from '../helpers/real-supervisor.js';

test('10,000 lines from each of 4 parallel runs all reach the log, each line whole', async t => {
	const harness = startRealSupervisor(t, [{
		name: 'chatty',
		model: 'independent',
		instances: 4,
		command: 'sh',
		args: ['-c', `exec "${fixture('print-lines.sh')}" 10000 "slot$FATC_SLOT-with-a-longer-line-of-output-to-interleave" "slot$FATC_SLOT-last"`],
	}], {runOnce: true});
	assert.deepEqual(await harness.supervisor.finished, {ok: true});
	const lines = readFileSync(`${harness.directory}/chatty.log`, 'utf8').split('\n');
	assert.equal(lines.pop(), '', 'the log ends with a newline');
	assert.equal(lines.length, 4 * 10_001);
	for (let slot = 0; slot < 4; slot++) {
		const mine = lines.filter(line => line.startsWith(`slot${slot}-`));
		const expected = Array.from({length: 10_000}, (_, index) => `slot${slot}-with-a-longer-line-of-output-to-interleave-${index + 1}`);
		assert.deepEqual(mine, [...expected, `slot${slot}-last`], `slot ${slot}: every line, whole and in order`);
	}

	await harness.finish();
});
