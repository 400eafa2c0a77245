import type {ControlAddress} from '../daemon/control-address.js';
import {connectClient} from '../daemon/control-client.js';
import {UsageError} from './usage-error.js';

/**
 * `fatc metrics`: the Prometheus text of the running fatc, asked over its control socket — the same text as its
 * `GET /metrics`, also when the config has no `metrics:` endpoint; `address`: the socket here or an ssh:// one. Resolves
 * with the exit status.
 */
export async function metricsCommand(address: ControlAddress, args: string[], output: {write(text: string): unknown}): Promise<number> {
	if (args.length > 0) {
		throw new UsageError(`unexpected argument "${args[0]}"; usage: fatc metrics`);
	}

	const client = await connectClient(address);
	try {
		output.write(await client.request('metrics') as string);
		return 0;
	} finally {
		client.close();
	}
}
