import assert from 'node:assert/strict';
import {test} from 'node:test';
import {AddressError, parseSshUrl} from '../../source/daemon/control-address.js';
import {NoDaemonError, NoRemoteFatcError, RemoteCommandError, UnreachableError} from '../../source/daemon/control-errors.js';
import {remoteFailure, sshInvocation} from '../../source/daemon/ssh-channel.js';

test('ssh:// URLs: user, host, port and the app\'s path on the server; ~ is the SSH user\'s home', () => {
	assert.deepEqual(parseSshUrl('ssh://web1'), {kind: 'ssh', url: 'ssh://web1', host: 'web1'});
	assert.deepEqual(parseSshUrl('ssh://deploy@web1.example.com:2222/srv/site/'), {kind: 'ssh', url: 'ssh://deploy@web1.example.com:2222/srv/site/', host: 'web1.example.com', user: 'deploy', port: 2222, path: '/srv/site'});
	assert.equal(parseSshUrl('ssh://web1/~/site').path, '~/site');
	assert.equal(parseSshUrl('ssh://web1/').path, undefined);
	assert.equal(parseSshUrl('ssh://[::1]:22/srv/my%20site/jobs.yml').host, '::1');
	assert.equal(parseSshUrl('ssh://[::1]:22/srv/my%20site/jobs.yml').path, '/srv/my site/jobs.yml');
});

test('a URL fatc cannot use is an AddressError that says why and shows the form', () => {
	for (const [text, why] of [
		['web1', /no ssh:\/\/ URL/],
		['http://web1', /no ssh:\/\/ URL/],
		['ssh://', /names no host/],
		['ssh://u:secret@web1', /password/],
		['ssh://web1/x?y=1', /query or a fragment/],
		['ssh://-oProxyCommand=x/', /starting with "-"/],
		['ssh://web1:99999', /not a URL/],
	] as const) {
		assert.throws(() => parseSshUrl(text), (error: Error) => error instanceof AddressError && why.test(error.message) && error.message.includes('ssh://[user@]host[:port][/path/to/app-or-config]'), text);
	}
});

test('the ssh command line: the system ssh without FATC_SSH_COMMAND, else it through sh as git does; the remote words quoted', () => {
	const address = parseSshUrl('ssh://deploy@web1:2222/srv/my site');
	assert.deepEqual(sshInvocation(address, ['proxy', address.path!], {}), {
		command: 'ssh',
		args: ['-T', '-o', 'BatchMode=yes', '-p', '2222', 'deploy@web1', '--', 'fatc proxy \'/srv/my site\''],
	});
	const custom = sshInvocation(parseSshUrl('ssh://web1/~/site'), ['proxy', '~/site'], {FATC_SSH_COMMAND: 'ssh -F /tmp/cfg', FATC_REMOTE_FATC: '/opt/fatc/bin/fatc'});
	assert.deepEqual(custom, {
		command: '/bin/sh',
		args: ['-c', 'ssh -F /tmp/cfg "$@"', 'ssh -F /tmp/cfg', '-T', '-o', 'BatchMode=yes', 'web1', '--', '/opt/fatc/bin/fatc proxy \'~/site\''],
	});
});

test('what ssh\'s exit status means: 255 unreachable, 127 no fatc there, 3 no daemon, else the remote line and status', () => {
	const address = parseSshUrl('ssh://deploy@web1');
	const context = {command: 'ssh', args: []};
	const unreachable = remoteFailure(address, 255, 'ssh: connect to host web1 port 22: Connection refused\r\n', context);
	assert.ok(unreachable instanceof UnreachableError);
	assert.equal(unreachable.message, 'ssh://deploy@web1: ssh: connect to host web1 port 22: Connection refused');
	const noFatc = remoteFailure(address, 127, 'bash: line 1: fatc: command not found\n', context);
	assert.ok(noFatc instanceof NoRemoteFatcError);
	assert.match(noFatc.message, /^ssh:\/\/deploy@web1: no fatc on the server for user deploy \(it said: bash: line 1: fatc: command not found\); install fatc/);
	const noDaemon = remoteFailure(address, 3, 'fatc: no fatc daemon answers on /run/user/1000/fatc/fatc.sock; start one with "fatc --detach"\n', context);
	assert.ok(noDaemon instanceof NoDaemonError && noDaemon.hinted);
	assert.equal(noDaemon.message, 'ssh://deploy@web1: no fatc daemon answers on /run/user/1000/fatc/fatc.sock; start one with "fatc --detach"');
	const other = remoteFailure(address, 2, 'fatc: unknown command "proxy"; see fatc --help\n', context);
	assert.ok(other instanceof RemoteCommandError);
	assert.equal(other.exitStatus, 2);
	assert.equal(remoteFailure(address, 0, '', context), undefined);

	const missingSsh = remoteFailure(address, 127, '/bin/sh: 1: my-ssh: not found\n', sshInvocation(address, ['proxy'], {FATC_SSH_COMMAND: 'my-ssh -v'}));
	assert.ok(missingSsh instanceof UnreachableError, 'the local sh did not find FATC_SSH_COMMAND\'s program');
	assert.equal(missingSsh.message, 'ssh://deploy@web1: cannot run FATC_SSH_COMMAND: /bin/sh: 1: my-ssh: not found');
});
