/*
 * The machine's limit for the scale workload: posix_spawns COUNT copies of COMMAND one after the other, then waits
 * for them all, as a supervisor with nothing else to do would. Each child gets FATC_SLOT=<slot>. Prints, with
 * CLOCK_REALTIME in ns:
 *   spawned COUNT AT      after the last posix_spawn returned
 *   reaped COUNT AT       after the last waitpid
 *   cpu SECONDS maxrss KB its own CPU (user + system) and peak RSS, children not included
 * A failed spawn is reported on stderr; it stops spawning, waits for those started and exits 1.
 * Built by bench/lib/compile.ts with cc; no dependencies.
 * Usage: spawn-all COUNT COMMAND [ARGUMENT...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static long long now_nanoseconds(void) {
	struct timespec time;
	clock_gettime(CLOCK_REALTIME, &time);
	return (long long)time.tv_sec * 1000000000LL + time.tv_nsec;
}

int main(int argc, char **argv) {
	if (argc < 3) {
		fprintf(stderr, "usage: spawn-all COUNT COMMAND [ARGUMENT...]\n");
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

	long spawned = 0;
	int failed = 0;
	for (; spawned < count; spawned++) {
		snprintf(slot, sizeof slot, "FATC_SLOT=%ld", spawned);
		pid_t pid;
		int error = posix_spawn(&pid, command[0], NULL, NULL, command, environment);
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
	struct rusage usage;
	getrusage(RUSAGE_SELF, &usage);
	double cpu = (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6
		+ (double)usage.ru_stime.tv_sec + (double)usage.ru_stime.tv_usec / 1e6;
	printf("reaped %ld %lld\ncpu %.3f maxrss %ld\n", reaped, reaped_at, cpu, usage.ru_maxrss);
	return failed;
}
