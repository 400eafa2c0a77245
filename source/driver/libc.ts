import {createRequire} from 'node:module';

type Koffi = typeof import('koffi');

/** The glibc calls the posix_spawn engine needs, bound once through koffi. Pointers are Buffers or typed arrays. */
export type Libc = {
	koffi: Koffi;
	/** "2.36" */
	version: string;
	/** Returns 0 or an errno value (not -1): posix_spawn reports the child's exec/chdir failure itself. */
	posixSpawn(pid: Int32Array, path: string, actions: Buffer, attributes: Buffer, argv: Array<string | null>, envp: BigUint64Array): number;
	fileActionsInit(actions: Buffer): number;
	fileActionsDestroy(actions: Buffer): number;
	fileActionsAddDup2(actions: Buffer, descriptor: number, target: number): number;
	fileActionsAddOpen(actions: Buffer, descriptor: number, path: string, flags: number, mode: number): number;
	fileActionsAddChdir(actions: Buffer, path: string): number;
	attributesInit(attributes: Buffer): number;
	attributesSetFlags(attributes: Buffer, flags: number): number;
	attributesSetSignalDefault(attributes: Buffer, set: Buffer): number;
	attributesSetSignalMask(attributes: Buffer, set: Buffer): number;
	signalFillSet(set: Buffer): number;
	signalEmptySet(set: Buffer): number;
	/** -1 and errno on failure. */
	pipe2(descriptors: Int32Array, flags: number): number;
	close(descriptor: number): number;
	/** -1 and errno on failure (ESRCH: no such process or group). */
	kill(pid: number, signal: number): number;
	waitpid(pid: number, status: Int32Array, options: number): number;
	waitid(idType: number, id: number, info: Buffer, options: number): number;
	setChildSubreaper(): number;
	/** A descriptor that becomes readable when the child `pid` exits (Linux ≥ 5.3); -1 and errno on failure. */
	pidfdOpen(pid: number): number;
	epollCreate(flags: number): number;
	epollControl(epoll: number, operation: number, descriptor: number, event: Buffer): number;
	/** Ready events written into `events` (epollEventSize each); 0 at once with timeout 0 when none is. */
	epollWait(epoll: number, events: Buffer, maximum: number, timeout: number): number;
	/** A copy of descriptor `descriptor` of the process `pidfd` names, close-on-exec (Linux ≥ 5.6); -1 and errno. */
	pidfdGetDescriptor(pidfd: number, descriptor: number): number;
	/** Gives the calling thread a descriptor table of its own (a copy): unshare(CLONE_FILES). -1 and errno. */
	unshareDescriptors(): number;
	/** Blocks every signal in the calling thread, so that the kernel hands them to another. */
	blockSignals(): number;
	getrlimit(resource: number, limit: BigUint64Array): number;
	setrlimit(resource: number, limit: BigUint64Array): number;
	errno(): number;
	/** errno value → its name ("ENOENT"), as Node's error codes read. */
	errnoName(value: number): string;
};

/** Linux constants, the same on x86_64 and aarch64 (the only architectures the engine is offered on). */
export const constants = {
	oCloexec: 0o2_000_000,
	oRdonly: 0,
	wNoHang: 1,
	wExited: 4,
	wNoWait: 0x1_00_00_00,
	pAll: 0,
	eNoExec: 8,
	eInval: 22,
	eSrch: 3,
	spawnSetSignalDefault: 0x04,
	spawnSetSignalMask: 0x08,
	spawnSetSid: 0x80,
	rlimitNoFile: 7,
	/** siginfo_t: si_pid's byte offset (after si_signo, si_errno, si_code and padding to 8). */
	siginfoPidOffset: 16,
	siginfoSize: 128,
	sigsetSize: 128,
	/** glibc's posix_spawnattr_t is 336 bytes and posix_spawn_file_actions_t 80: room to spare. */
	spawnAttributesSize: 1024,
	fileActionsSize: 256,
	epollControlAdd: 1,
	epollIn: 1,
	/** struct epoll_event is packed on x86_64 (4 + 8 bytes), not on aarch64 (4 + 4 padding + 8). */
	epollEventSize: process.arch === 'x64' ? 12 : 16,
	epollDataOffset: process.arch === 'x64' ? 4 : 8,
} as const;

let loaded: Libc | {unavailable: string} | undefined;

/** glibc through koffi, loaded once; `{unavailable}` says why not (not Linux x64/arm64, musl, no koffi, glibc < 2.29). */
export function loadLibc(): Libc | {unavailable: string} {
	loaded ??= bind();
	return loaded;
}

/** glibc when something (the posix_spawn engine) already bound it; undefined otherwise, without loading koffi. */
export function boundLibc(): Libc | undefined {
	return loaded === undefined || 'unavailable' in loaded ? undefined : loaded;
}

function bind(): Libc | {unavailable: string} {
	if (process.platform !== 'linux' || !['x64', 'arm64'].includes(process.arch)) {
		return {unavailable: `posix_spawn is offered on Linux x64 and arm64 only (this is ${process.platform} ${process.arch})`};
	}

	let koffi: Koffi;
	try {
		koffi = createRequire(import.meta.url)('koffi') as Koffi;
	} catch (error) {
		return {unavailable: `koffi did not load (${(error as Error).message.split('\n')[0]})`};
	}

	try {
		const library = koffi.load('libc.so.6');
		const version = (library.func('const char *gnu_get_libc_version(void)') as () => string)();
		const [major = 0, minor = 0] = version.split('.').map(Number);
		if (major < 2 || (major === 2 && minor < 29)) {
			return {unavailable: `glibc ${version} lacks posix_spawn_file_actions_addchdir_np (2.29)`};
		}

		const errnoNames = new Map(Object.entries(koffi.os.errno).map(([name, value]) => [value, name]));
		const prctl = library.func('int prctl(int option, ...)');
		const syscall = library.func('long syscall(long number, ...)');
		const unshare = library.func('int unshare(int flags)') as (flags: number) => number;
		// SIG_BLOCK is 0; glibc keeps its own two internal signals out of what the kernel is told.
		const pthreadSigmask = library.func('int pthread_sigmask(int how, const void *set, void *old)') as (how: number, set: Buffer, old: null) => number;
		return {
			koffi,
			version,
			posixSpawn: library.func('int posix_spawn(_Out_ int *pid, const char *path, void *actions, void *attributes, const char **argv, void *envp)'),
			fileActionsInit: library.func('int posix_spawn_file_actions_init(void *actions)'),
			fileActionsDestroy: library.func('int posix_spawn_file_actions_destroy(void *actions)'),
			fileActionsAddDup2: library.func('int posix_spawn_file_actions_adddup2(void *actions, int descriptor, int target)'),
			fileActionsAddOpen: library.func('int posix_spawn_file_actions_addopen(void *actions, int descriptor, const char *path, int flags, uint32_t mode)'),
			fileActionsAddChdir: library.func('int posix_spawn_file_actions_addchdir_np(void *actions, const char *path)'),
			attributesInit: library.func('int posix_spawnattr_init(void *attributes)'),
			attributesSetFlags: library.func('int posix_spawnattr_setflags(void *attributes, short flags)'),
			attributesSetSignalDefault: library.func('int posix_spawnattr_setsigdefault(void *attributes, const void *set)'),
			attributesSetSignalMask: library.func('int posix_spawnattr_setsigmask(void *attributes, const void *set)'),
			signalFillSet: library.func('int sigfillset(void *set)'),
			signalEmptySet: library.func('int sigemptyset(void *set)'),
			pipe2: library.func('int pipe2(_Out_ int *descriptors, int flags)'),
			close: library.func('int close(int descriptor)'),
			kill: library.func('int kill(int pid, int signal)'),
			waitpid: library.func('int waitpid(int pid, _Out_ int *status, int options)'),
			waitid: library.func('int waitid(int idType, int id, void *info, int options)'),
			// PR_SET_CHILD_SUBREAPER; prctl is variadic, so each argument names its type.
			setChildSubreaper: () => prctl(36, 'unsigned long', 1, 'unsigned long', 0, 'unsigned long', 0, 'unsigned long', 0) as number,
			// SYS_pidfd_open is 434 on x86_64 and aarch64 alike; glibc has a wrapper only from 2.36.
			pidfdOpen: pid => Number(syscall(434, 'int', pid, 'unsigned int', 0)),
			// SYS_pidfd_getfd is 438 on x86_64 and aarch64 alike; glibc has no wrapper.
			pidfdGetDescriptor: (pidfd, descriptor) => Number(syscall(438, 'int', pidfd, 'int', descriptor, 'unsigned int', 0)),
			unshareDescriptors: () => unshare(0x4_00),
			blockSignals() {
				const all = Buffer.alloc(constants.sigsetSize, 0xff);
				return pthreadSigmask(0, all, null);
			},
			epollCreate: library.func('int epoll_create1(int flags)'),
			epollControl: library.func('int epoll_ctl(int epoll, int operation, int descriptor, void *event)'),
			epollWait: library.func('int epoll_wait(int epoll, void *events, int maximum, int timeout)'),
			getrlimit: library.func('int getrlimit(int resource, void *limit)'),
			setrlimit: library.func('int setrlimit(int resource, const void *limit)'),
			errno: () => koffi.errno(),
			errnoName: value => errnoNames.get(value) ?? `errno ${value}`,
		};
	} catch (error) {
		return {unavailable: `glibc's posix_spawn could not be bound (${(error as Error).message.split('\n')[0]})`};
	}
}
