import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const benchFolder = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const repositoryFolder = path.dirname(benchFolder);
/** The built CLI, what users run; FATC_CLI may point elsewhere (another build of fatc). */
export const fatcCli = process.env.FATC_CLI ?? path.join(repositoryFolder, 'dist', 'cli.js');
export const resultsFolder = path.join(benchFolder, 'results');
/** Where PM2 is installed when the machine has none (kept out of git). */
export const peersFolder = path.join(benchFolder, '.peers');
