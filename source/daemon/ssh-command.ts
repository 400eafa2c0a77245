import {spawn} from 'node:child_process';
import type {SshAddress} from './control-address.js';
import {UnreachableError} from './control-errors.js';
import {remoteFailure, sshInvocation} from './ssh-channel.js';

/**
 * Runs `fatc WORDS…` on the server through ssh: its stdout streams here as it comes, its stderr (held until it ends,
 * so a failure of ssh itself can be said in one line) and its exit status pass through. ssh failing (255) or no fatc
 * there (127) throw as control-errors.ts says. For commands that read the server's files (`logs -f`, `history`).
 */
export async function runOverSsh(address: SshAddress, words: string[], streams: {output: NodeJS.WritableStream; errors: NodeJS.WritableStream}): Promise<number> {
	const {command, args} = sshInvocation(address, words);
	const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'pipe']});
	let errors = '';
	child.stdout.pipe(streams.output, {end: false});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		errors += chunk;
	});
	const code = await new Promise<number | null>((resolve, reject) => {
		child.once('error', error => {
			reject(new UnreachableError(`${address.url}: cannot run ${command}: ${error.message}`));
		});
		child.once('close', resolve);
	});
	if (code === 255 || code === 127) {
		throw remoteFailure(address, code, errors, {command, args});
	}

	streams.errors.write(errors);
	return code ?? 1;
}
