import assert from 'node:assert/strict';
import {test} from 'node:test';

// Chalk reads the terminal's colour level once, as it loads: force colour before Ink (and chalk) load.
process.env.FORCE_COLOR = '1';
const {renderApp} = await import('../helpers/render-app.js');
const {makeJob, makeSnapshot, StubHandle} = await import('../helpers/stub-handle.js');

/** SGR codes that set a colour: 30–37, 90–97 and the 38;… forms (bold, inverse and dim are not colours). */
const colourCode = /\u001B\[(?:3[0-8]|9[0-7])[;m]/;

function erroredJob() {
	return new StubHandle(makeSnapshot({jobs: [makeJob({name: 'failing', errors: 2, lastExit: {result: 'error', code: 1, signal: null, at: 0}})]}));
}

test('with colour the errors are red; with NO_COLOR the frame has no colour code at all, only bold and inverse', async t => {
	const coloured = renderApp(erroredJob(), {color: true});
	t.after(coloured.unmount);
	await coloured.ready();
	assert.match(coloured.lastFrame()!, colourCode);
	const plain = renderApp(erroredJob(), {color: false});
	t.after(plain.unmount);
	await plain.ready();
	assert.doesNotMatch(plain.lastFrame()!, colourCode);
	assert.match(plain.lastFrame()!, /\u001B\[7m/, 'the footer keys stay visible in inverse');
});
