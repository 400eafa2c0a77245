import {namePattern} from '../core/job-definition.js';
import {commandHelp} from './command-help.js';
import {UsageError} from './usage-error.js';

type Output = {write(text: string): unknown};

/** The options a completion offers, with what they do (fish shows it). */
const options: Array<[long: string, short: string | undefined, description: string]> = [
	['config', 'c', 'the config file'],
	['json', undefined, 'JSON instead of text'],
	['run-once', undefined, 'one scheduling pass, then exit'],
	['fresh', undefined, 'forget the scales and pauses made by hand earlier'],
	['keep-on-hangup', undefined, 'run on when nobody reads the output'],
	['test-fire', undefined, 'with check: run each job once'],
	['detach', 'd', 'start the headless daemon'],
	['follow', 'f', 'with logs: keep printing'],
	['lines', 'n', 'with logs: how many lines'],
	['since', undefined, 'with history: runs that ended within it'],
	['limit', undefined, 'with history: at most N runs'],
	['host', undefined, 'the daemon on a server, through ssh (ssh://…)'],
	['name', undefined, 'with proxy: the daemon by its name'],
	['output', 'o', 'with import: the file to write'],
	['force', undefined, 'with import: replace the file'],
	['help', 'h', 'help'],
	['version', 'v', 'the version'],
];

/** The commands that take a job name first. */
const jobCommands = ['scale', 'pause', 'resume', 'restart', 'trigger', 'logs', 'history'];

/**
 * `fatc completion bash|zsh|fish`: a completion script for the shell (commands, options, and job names, which the
 * script asks `fatc completion jobs [-c FILE]` for: the config in the current folder, read at each tab).
 */
export async function completionCommand(args: string[], options: {configPath?: string; output: Output}): Promise<number> {
	const {output} = options;
	const [shell, ...rest] = args;
	if (shell === 'jobs' && rest.length === 0) {
		return printJobNames(options.configPath, output);
	}

	const script = shell === undefined ? undefined : scripts[shell];
	if (script === undefined || rest.length > 0) {
		throw new UsageError('usage: fatc completion bash|zsh|fish');
	}

	output.write(script());
	return 0;
}

/**
 * Job names, one a line; nothing (and exit 0) when no config loads: a tab must never print an error. The names are the
 * keys of the file's `jobs`, read without the schema (zod would double a tab's wait): a file that does not validate
 * still offers the names it has.
 */
async function printJobNames(configPath: string | undefined, output: Output): Promise<number> {
	try {
		// cosmiconfig loads for the job names only, not for printing a script.
		const {findConfig} = await import('../config/find-config.js');
		const {raw} = await findConfig({configPath, cwd: process.cwd()});
		const jobs = (raw as {jobs?: unknown}).jobs;
		if (typeof jobs === 'object' && jobs !== null && !Array.isArray(jobs)) {
			output.write(Object.keys(jobs).filter(name => namePattern.test(name)).map(name => `${name}\n`).join(''));
		}
	} catch {
		// No config here, or a broken one: no names to offer.
	}

	return 0;
}

const commands = () => Object.keys(commandHelp);
/** The first sentence of a command's help: the description a shell shows beside its name. */
const oneLine = (text: string) => text.split(/\.(?: |\n|$)|\n/)[0]!;

const scripts: Record<string, (() => string) | undefined> = {
	bash: () => `# fatc completion for bash: source it, or save it as ~/.local/share/bash-completion/completions/fatc
_fatc() {
	local current=\${COMP_WORDS[COMP_CWORD]} previous=\${COMP_WORDS[COMP_CWORD-1]} config=() words=() i
	for ((i = 1; i < COMP_CWORD; i++)); do
		case \${COMP_WORDS[i]} in
			-c|--config) config=(-c "\${COMP_WORDS[i+1]}"); ((i++));;
			-*) ;;
			*) words+=("\${COMP_WORDS[i]}");;
		esac
	done
	case $previous in
		-c|--config|-o|--output) COMPREPLY=($(compgen -f -- "$current")); return;;
		-n|--lines|--since|--limit|--host|--name) return;;
	esac
	if [[ $current == -* ]]; then
		COMPREPLY=($(compgen -W "${options.map(([long, short]) => `--${long}${short ? ` -${short}` : ''}`).join(' ')}" -- "$current"))
	elif ((\${#words[@]} == 0)); then
		COMPREPLY=($(compgen -W "${commands().join(' ')}" -- "$current"))
	elif ((\${#words[@]} == 1)); then
		case \${words[0]} in
			${jobCommands.join('|')}) COMPREPLY=($(compgen -W "$(fatc completion jobs "\${config[@]}" 2>/dev/null)" -- "$current"));;
			help) COMPREPLY=($(compgen -W "${commands().join(' ')}" -- "$current"));;
			completion) COMPREPLY=($(compgen -W "bash zsh fish" -- "$current"));;
			cluster) COMPREPLY=($(compgen -W "status pause resume" -- "$current"));;
			import|proxy|fleet) COMPREPLY=($(compgen -f -- "$current"));;
		esac
	elif ((\${#words[@]} == 2)) && [[ \${words[0]} == cluster && \${words[1]} != status ]]; then
		COMPREPLY=($(compgen -W "$(fatc completion jobs "\${config[@]}" 2>/dev/null)" -- "$current"))
	fi
}
complete -F _fatc fatc
`,
	zsh: () => `#compdef fatc
# fatc completion for zsh: source it, or save it as _fatc in a folder of $fpath
_fatc() {
	local -a commands config words_left
	commands=(
${commands().map(name => `		'${name}:${oneLine(commandHelp[name]!.summary).replaceAll('\'', '\'\\\'\'').replaceAll(':', '\\:')}'`).join('\n')}
	)
	local i
	for ((i = 2; i < CURRENT; i++)); do
		case $words[i] in
			(-c|--config) config=(-c $words[i+1]); ((i++));;
			(-*) ;;
			(*) words_left+=($words[i]);;
		esac
	done
	case $words[CURRENT-1] in
		(-c|--config|-o|--output) _files; return;;
		(-n|--lines|--since|--limit|--host|--name) return;;
	esac
	if [[ $words[CURRENT] == -* ]]; then
		compadd -- ${options.map(([long, short]) => `--${long}${short ? ` -${short}` : ''}`).join(' ')}
	elif (( $#words_left == 0 )); then
		_describe 'command' commands
	elif (( $#words_left == 1 )); then
		case $words_left[1] in
			(${jobCommands.join('|')}) compadd -- \${(f)"$(fatc completion jobs $config 2>/dev/null)"};;
			(help) _describe 'command' commands;;
			(completion) compadd bash zsh fish;;
			(cluster) compadd status pause resume;;
			(import|proxy|fleet) _files;;
		esac
	elif (( $#words_left == 2 )) && [[ $words_left[1] == cluster && $words_left[2] != status ]]; then
		compadd -- \${(f)"$(fatc completion jobs $config 2>/dev/null)"}
	fi
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
	_fatc "$@"
else
	compdef _fatc fatc
fi
`,
	fish: () => `# fatc completion for fish: save it as ~/.config/fish/completions/fatc.fish
complete -c fatc -f
${commands().map(name => `complete -c fatc -n __fish_use_subcommand -a ${name} -d '${oneLine(commandHelp[name]!.summary).replaceAll('\\', '\\\\').replaceAll('\'', '\\\'')}'`).join('\n')}
complete -c fatc -n '__fish_seen_subcommand_from ${jobCommands.join(' ')}' -a '(fatc completion jobs 2>/dev/null)'
complete -c fatc -n '__fish_seen_subcommand_from help' -a '${commands().join(' ')}'
complete -c fatc -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'
complete -c fatc -n '__fish_seen_subcommand_from cluster; and not __fish_seen_subcommand_from status pause resume' -a 'status pause resume'
complete -c fatc -n '__fish_seen_subcommand_from import proxy fleet' -F
${options.map(([long, short, description]) => `complete -c fatc -l ${long}${short ? ` -s ${short}` : ''}${['config', 'output'].includes(long) ? ' -r -F' : ''} -d '${description}'`).join('\n')}
`,
};
