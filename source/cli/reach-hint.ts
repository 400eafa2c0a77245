import type {Configuration} from '../core/job-definition.js';

/**
 * ` -c /abs/jobs.yml` when the config was named with -c, else nothing: what `fatc attach`, `fatc stop`… need to
 * reach the same daemon from the same folder (a search from there finds another config, or none).
 */
export function configArgument(configuration: Configuration, named: boolean): string {
	const file = configuration.configFile;
	return named && file ? ` -c ${shellWord(file)}` : '';
}

function shellWord(text: string): string {
	return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replaceAll('\'', '\'\\\'\'')}'`;
}
