import type {Socket} from 'node:net';
import {parseRequest} from './parse-request.js';
import {LineReader, type Message, type Request} from './protocol.js';
import {sendLine} from './send-line.js';

/** What a request is worth: its reply's value, or a throw whose message the client gets. */
export type Responder = (socket: Socket, request: Request) => Promise<unknown>;

export function sendMessage(socket: Socket, message: Message): void {
	sendLine(socket, `${JSON.stringify(message)}\n`);
}

/**
 * One client's connection: lines in, each parsed and answered by `respond` with a reply carrying its id. Malformed
 * or oversized input gets an error reply (an oversized line also ends the connection), never a throw.
 */
export function serveConnection(socket: Socket, respond: Responder, onClose: () => void): void {
	socket.setEncoding('utf8');
	const reader = new LineReader(line => {
		void answer(socket, line, respond);
	}, () => {
		sendMessage(socket, {type: 'reply', id: null, ok: false, error: 'message too long'});
		socket.destroy();
	});
	socket.on('data', (chunk: string) => {
		reader.push(chunk);
	});
	socket.on('error', () => {
		// A client vanishing mid-write is its business, not the daemon's.
	});
	socket.on('close', onClose);
}

async function answer(socket: Socket, line: string, respond: Responder): Promise<void> {
	let request: Request;
	try {
		request = parseRequest(line);
	} catch (error) {
		sendMessage(socket, {type: 'reply', id: null, ok: false, error: (error as Error).message});
		return;
	}

	try {
		const value = await respond(socket, request);
		sendMessage(socket, {type: 'reply', id: request.id, ok: true, value});
	} catch (error) {
		sendMessage(socket, {type: 'reply', id: request.id, ok: false, error: error instanceof Error ? error.message : String(error)});
	}
}
