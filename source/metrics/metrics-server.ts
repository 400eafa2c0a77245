import {createServer, type Server} from 'node:http';
import type {MetricsSettings} from '../core/job-definition.js';
import type {Metrics} from './create-metrics.js';

export type MetricsServer = {
	/** Stops listening and ends every connection (a scraper keeps its connection alive). Idempotent. */
	close(): Promise<void>;
};

/** Scrapers at once; more wait in the kernel's backlog. The descriptors belong to the runs. */
const maximumConnections = 16;

/**
 * `GET /metrics` on `settings.listen` (node:http); anything else is a 404 (405 for another method on /metrics).
 * Rejects with an Error naming the address when it cannot listen (a port in use, an address not on this machine).
 */
export async function serveMetrics(settings: MetricsSettings, metrics: Metrics): Promise<MetricsServer> {
	const {host, port} = listenAddress(settings.listen);
	const server = createServer((request, response) => {
		const path = (request.url ?? '').split('?')[0];
		if (path !== '/metrics') {
			response.writeHead(404, {'Content-Type': 'text/plain; charset=utf-8'}).end('not found: fatc serves /metrics\n');
			return;
		}

		if (request.method !== 'GET' && request.method !== 'HEAD') {
			response.writeHead(405, {Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8'}).end('method not allowed\n');
			return;
		}

		metrics.text().then(text => {
			response.writeHead(200, {'Content-Type': metrics.contentType}).end(text);
		}, (error: unknown) => {
			response.writeHead(500, {'Content-Type': 'text/plain; charset=utf-8'}).end(`${error instanceof Error ? error.message : String(error)}\n`);
		});
	});
	server.maxConnections = maximumConnections;
	await listen(server, host, port).catch((error: unknown) => {
		throw new Error(`metrics: could not listen on ${settings.listen}`, {cause: error});
	});
	server.on('error', () => {
		// A failed accept (no descriptor left: the runs took them) drops that scraper, never fatc.
	});
	let closing: Promise<void> | undefined;
	return {
		close() {
			closing ??= new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
				server.closeAllConnections();
			});
			return closing;
		},
	};
}

/** "127.0.0.1:9464", "[::1]:9464", "localhost:9464" → host and port (the config schema checked the form). */
export function listenAddress(listen: string): {host: string; port: number} {
	const colon = listen.lastIndexOf(':');
	return {host: listen.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(listen.slice(colon + 1))};
}

async function listen(server: Server, host: string, port: number): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen({host, port}, () => {
			server.off('error', reject);
			resolve();
		});
	});
}
