/** Options for {@link splitArguments}. */
export type SplitOptions = {
	/** A `#` at the start of a word begins a comment that runs to the end of the text. Default false. */
	comments?: boolean;
	/**
	 * Replaces `$NAME` / `${NAME}` outside single quotes; return undefined to leave the text as written.
	 * The result is never split into words, as in a shell assignment (`LOG=$DIR/x.log`).
	 */
	expand?: (name: string) => string | undefined;
};

/** Thrown for an unterminated quote or a trailing backslash; `expected` says what was missing. */
export class SplitError extends Error {
	override readonly name = 'SplitError';

	constructor(readonly expected: string) {
		super(`expected ${expected}`);
	}
}

const variablePattern = /^\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))/;

/**
 * Splits a command line into words the way a POSIX shell does, without running anything:
 * whitespace separates words, '…' keeps everything literally, "…" keeps spaces and honours
 * \" \\ \$ \`, a backslash outside quotes escapes the next character.
 */
export function splitArguments(text: string, options: SplitOptions = {}): string[] {
	const words: string[] = [];
	let word = '';
	let inWord = false;
	let index = 0;

	const expandAt = (): boolean => {
		const match = variablePattern.exec(text.slice(index));
		const name = match?.[1] ?? match?.[2];
		if (!match || name === undefined || !options.expand) {
			return false;
		}

		word += options.expand(name) ?? match[0];
		index += match[0].length;
		return true;
	};

	while (index < text.length) {
		const character = text[index] ?? '';
		if (/\s/.test(character)) {
			if (inWord) {
				words.push(word);
				word = '';
				inWord = false;
			}

			index++;
		} else if (character === '#' && !inWord && options.comments) {
			break;
		} else if (character === '\'') {
			const end = text.indexOf('\'', index + 1);
			if (end === -1) {
				throw new SplitError('a closing single quote (\')');
			}

			word += text.slice(index + 1, end);
			inWord = true;
			index = end + 1;
		} else if (character === '"') {
			index++;
			inWord = true;
			while (text[index] !== '"') {
				if (index >= text.length) {
					throw new SplitError('a closing double quote (")');
				}

				const inner = text[index] ?? '';
				if (inner === '\\' && '"\\$`\n'.includes(text[index + 1] ?? '')) {
					word += text[index + 1];
					index += 2;
				} else if (inner !== '$' || !expandAt()) {
					word += inner;
					index++;
				}
			}

			index++;
		} else if (character === '\\') {
			if (index + 1 >= text.length) {
				throw new SplitError('a character after the final backslash');
			}

			word += text[index + 1];
			inWord = true;
			index += 2;
		} else {
			inWord = true;
			if (character !== '$' || !expandAt()) {
				word += character;
				index++;
			}
		}
	}

	if (inWord) {
		words.push(word);
	}

	return words;
}
