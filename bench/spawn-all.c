/*
 * The machine's limit for the scale workload: posix_spawns COUNT copies of COMMAND one after the other, then waits
 * for them all, as a supervisor with nothing else to do would. Each child gets FATC_SLOT=<slot>. Prints, with
 * CLOCK_REALTIME in ns:
 *   spawned COUNT AT      after the last posix_spawn returned
 *   reaped COUNT AT       after the last waitpid
 *   cpu SECONDS maxrss KB its own CPU (user + system) and peak RSS, children not included
 * A failed spawn is reported on stderr; it stops spawning, waits for those started and exits 1.
 * With --as-fatc, each child is started as fatc starts a run: in a session of its own (POSIX_SPAWN_SETSID), stdin
 * from /dev/null, stdout and stderr into one pipe of its own whose read end this program holds (close-on-exec) until
 * all are reaped: the machine's limit for a supervisor that captures output and gives each run its own group.
 * Built by bench/lib/compile.ts with cc; no dependencies.
 * Usage: spawn-all [--as-fatc] COUNT COMMAND [ARGUMENT...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long now_nanoseconds(void) {
	struct timespec time;
	clock_gettime(CLOCK_REALTIME, &time);
	return (long long)time.tv_sec * 1000000000LL + time.tv_nsec;
}

int main(int argc, char **argv) {
	int as_fatc = argc > 1 && strcmp(argv[1], "--as-fatc") == 0;
	if (as_fatc) {
		argc--;
		argv++;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: spawn-all [--as-fatc] COUNT COMMAND [ARGUMENT...]\n");
		return 2;
	}
	long count = atol(argv[1]);
	char **command = argv + 2;
	if (count < 1) {
		fprintf(stderr, "spawn-all: COUNT must be 1 or more\n");
		return 2;
	}

	/* environ plus one FATC_SLOT=<slot> entry, rewritten in place before each spawn (posix_spawn copies it). */
	int variables = 0;
	while (environ[variables] != NULL) {
		variables++;
	}
	char **environment = calloc((size_t)variables + 2, sizeof(char *));
	memcpy(environment, environ, (size_t)variables * sizeof(char *));
	char slot[32];
	environment[variables] = slot;

	posix_spawnattr_t attributes;
	posix_spawnattr_init(&attributes);
	if (as_fatc) {
		posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID);
	}
	int *outputs = as_fatc ? calloc((size_t)count, sizeof(int)) : NULL;

	long spawned = 0;
	int failed = 0;
	for (; spawned < count; spawned++) {
		snprintf(slot, sizeof slot, "FATC_SLOT=%ld", spawned);
		pid_t pid;
		int error;
		if (as_fatc) {
			int pipe_ends[2];
			if (pipe2(pipe_ends, O_CLOEXEC) != 0) {
				error = errno;
			} else {
				posix_spawn_file_actions_t actions;
				posix_spawn_file_actions_init(&actions);
				posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
				posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], 1);
				posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], 2);
				error = posix_spawn(&pid, command[0], &actions, &attributes, command, environment);
				posix_spawn_file_actions_destroy(&actions);
				close(pipe_ends[1]);
				outputs[spawned] = pipe_ends[0];
				if (error != 0) {
					close(pipe_ends[0]);
				}
			}
		} else {
			error = posix_spawn(&pid, command[0], NULL, &attributes, command, environment);
		}
		if (error != 0) {
			fprintf(stderr, "spawn-all: posix_spawn of run %ld: %s\n", spawned + 1, strerror(error));
			failed = 1;
			break;
		}
	}
	printf("spawned %ld %lld\n", spawned, now_nanoseconds());
	fflush(stdout);

	long reaped = 0;
	while (reaped < spawned) {
		int status;
		if (waitpid(-1, &status, 0) < 0) {
			if (errno == EINTR) {
				continue;
			}
			perror("spawn-all: waitpid");
			return 1;
		}
		reaped++;
	}
	long long reaped_at = now_nanoseconds();
	for (long run = 0; as_fatc && run < spawned; run++) {
		close(outputs[run]);
	}
	struct rusage usage;
	getrusage(RUSAGE_SELF, &usage);
	double cpu = (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6
		+ (double)usage.ru_stime.tv_sec + (double)usage.ru_stime.tv_usec / 1e6;
	printf("reaped %ld %lld\ncpu %.3f maxrss %ld\n", reaped, reaped_at, cpu, usage.ru_maxrss);
	return failed;
}
