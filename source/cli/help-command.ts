import {didYouMean} from '../config/did-you-mean.js';
import {commandHelp, formatCommandHelp} from './command-help.js';
import {usage} from './usage.js';
import {UsageError} from './usage-error.js';

type Output = {write(text: string): unknown};

/** `fatc help [COMMAND]` and `fatc [COMMAND] --help`: the overview, or that command's own help. Exit 0. */
export function helpCommand(command: string | undefined, output: Output): number {
	if (command === undefined || command === '') {
		output.write(`${usage}\n`);
		return 0;
	}

	const help = formatCommandHelp(command);
	if (help === undefined) {
		throw new UsageError(`no command "${command}"${didYouMean(command, Object.keys(commandHelp))}; see fatc --help`);
	}

	output.write(help);
	return 0;
}
