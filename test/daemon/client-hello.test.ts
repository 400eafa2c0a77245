import assert from 'node:assert/strict';
import {once} from 'node:events';
import {createServer, type Socket} from 'node:net';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import {connectClient} from '../../source/daemon/control-client.js';
import {NoDaemonError, ProtocolMismatchError} from '../../source/daemon/control-errors.js';
import {protocolVersion} from '../../source/daemon/protocol.js';
import {onCleanup} from '../helpers/cleanup.js';
import {temporaryFolder} from '../helpers/temporary-folder.js';

/** A socket that answers the first line it reads with `answer` (then leaves the connection open). */
async function fakeDaemon(t: TestContext, answer: string): Promise<string> {
	const socketPath = join(temporaryFolder(t), 'fake.sock');
	const sockets = new Set<Socket>();
	const server = createServer(socket => {
		sockets.add(socket);
		socket.once('data', () => socket.write(answer));
	});
	server.listen(socketPath);
	await once(server, 'listening');
	onCleanup(t, async () => {
		server.close();
		for (const socket of sockets) {
			socket.destroy();
		}
	});
	return socketPath;
}

test('the client checks the daemon\'s protocol version in the hello reply: another one is one ProtocolMismatchError', async t => {
	const socketPath = await fakeDaemon(t, `${JSON.stringify({type: 'reply', id: 1, ok: true, value: {version: protocolVersion + 1, pid: 1, name: 'x'}})}\n`);
	await assert.rejects(connectClient(socketPath), (error: Error) => error instanceof ProtocolMismatchError
		&& error.message === `${socketPath}: the daemon speaks protocol version ${protocolVersion + 1}, this fatc ${protocolVersion}: they are different fatc versions; install the same one on both sides`);
});

test('a daemon that refuses the client\'s version is a ProtocolMismatchError with its words', async t => {
	const socketPath = await fakeDaemon(t, `${JSON.stringify({type: 'reply', id: 1, ok: false, error: `protocol version ${protocolVersion} is not 9: client and daemon are different fatc versions`})}\n`);
	await assert.rejects(connectClient(socketPath), (error: Error) => error instanceof ProtocolMismatchError && error.message.includes(`protocol version ${protocolVersion} is not 9`));
});

test('a far side that sends no JSON is no fatc: a ProtocolMismatchError quoting it, never a throw from the parser', async t => {
	const socketPath = await fakeDaemon(t, 'Welcome to web1!\n');
	await assert.rejects(connectClient(socketPath), (error: Error) => error instanceof ProtocolMismatchError && error.message.endsWith('no fatc control connection: it sent "Welcome to web1!"'));
});

test('no socket: NoDaemonError naming it', async t => {
	const socketPath = join(temporaryFolder(t), 'none.sock');
	await assert.rejects(connectClient(socketPath), (error: Error) => error instanceof NoDaemonError && error.message === `no fatc daemon answers on ${socketPath}`);
});
