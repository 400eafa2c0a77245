import assert from 'node:assert/strict';
import {test} from 'node:test';
import {SplitError, splitArguments} from '../../source/config/split-arguments.js';

test('whitespace separates words and runs of it count once', () => {
	assert.deepEqual(splitArguments('  -f send-emails.php   --  --batch=10 '), ['-f', 'send-emails.php', '--', '--batch=10']);
	assert.deepEqual(splitArguments(''), []);
	assert.deepEqual(splitArguments('a\tb\nc'), ['a', 'b', 'c']);
});

test('single and double quotes keep spaces, and quoted parts join their neighbours', () => {
	assert.deepEqual(splitArguments('-c \'echo "hi there"; exit 64\''), ['-c', 'echo "hi there"; exit 64']);
	assert.deepEqual(splitArguments('--name="Fat Controller" x'), ['--name=Fat Controller', 'x']);
	assert.deepEqual(splitArguments('"" \'\''), ['', '']);
	assert.deepEqual(splitArguments('a"b c"\'d e\'f'), ['ab cd ef']);
});

test('backslashes escape outside quotes and only \\ " $ ` inside double quotes', () => {
	assert.deepEqual(splitArguments('a\\ b c'), ['a b', 'c']);
	assert.deepEqual(splitArguments('"say \\"hi\\" \\n"'), ['say "hi" \\n']);
	assert.deepEqual(splitArguments('\'no \\ escape\''), ['no \\ escape']);
});

test('an unterminated quote or a trailing backslash is an error saying what is missing', () => {
	assert.throws(() => splitArguments('-f "send.php'), (error: unknown) => error instanceof SplitError && error.expected === 'a closing double quote (")');
	assert.throws(() => splitArguments('-f \'send.php'), {name: 'SplitError', message: /closing single quote/});
	assert.throws(() => splitArguments('x\\'), {name: 'SplitError', message: /backslash/});
});

test('comments and variables are only handled when asked for, and expansions are not split (as in an assignment)', () => {
	assert.deepEqual(splitArguments('a #b'), ['a', '#b']);
	assert.deepEqual(splitArguments('a #b c', {comments: true}), ['a']);
	assert.deepEqual(splitArguments('a#b', {comments: true}), ['a#b']);
	const expand = (name: string) => ({NAME: 'fat controller'})[name];
	assert.deepEqual(splitArguments('"/var/log/${NAME}.log" $NAME \'$NAME\' $OTHER', {expand}), ['/var/log/fat controller.log', 'fat controller', '$NAME', '$OTHER']);
});
