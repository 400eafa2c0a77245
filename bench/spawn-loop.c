/*
 * The machine's limit for a supervisor: PARALLEL slots, each restarting COMMAND as soon as it exits
 * (posix_spawn + waitpid, nothing else), for SECONDS. One process, like a supervisor: it waits for any child
 * and refills that child's slot. Each child gets FATC_SLOT=<slot> so the same stamp program works under fatc and here.
 * Prints "runs N" when done. Built by bench/lib/compile.ts with cc; no dependencies.
 * Usage: spawn-loop PARALLEL SECONDS COMMAND [ARGUMENT...]
 */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_seconds(void) {
	struct timespec time;
	clock_gettime(CLOCK_MONOTONIC, &time);
	return (double)time.tv_sec + (double)time.tv_nsec / 1e9;
}

/* environ plus FATC_SLOT=<slot>, built once per slot so the loop itself only spawns and waits. */
static char **environment_for(int slot) {
	int count = 0;
	while (environ[count] != NULL) {
		count++;
	}
	char **environment = calloc((size_t)count + 2, sizeof(char *));
	memcpy(environment, environ, (size_t)count * sizeof(char *));
	environment[count] = malloc(32);
	snprintf(environment[count], 32, "FATC_SLOT=%d", slot);
	return environment;
}

int main(int argc, char **argv) {
	if (argc < 4) {
		fprintf(stderr, "usage: spawn-loop PARALLEL SECONDS COMMAND [ARGUMENT...]\n");
		return 2;
	}
	int parallel = atoi(argv[1]);
	double seconds = atof(argv[2]);
	char **command = argv + 3;
	if (parallel < 1 || parallel > 4096 || seconds <= 0) {
		fprintf(stderr, "spawn-loop: PARALLEL must be 1..4096 and SECONDS > 0\n");
		return 2;
	}

	pid_t *pids = calloc((size_t)parallel, sizeof(pid_t));
	char ***environments = calloc((size_t)parallel, sizeof(char **));
	for (int slot = 0; slot < parallel; slot++) {
		environments[slot] = environment_for(slot);
	}

	double deadline = now_seconds() + seconds;
	long runs = 0;
	int running = 0;
	for (int slot = 0; slot < parallel; slot++) {
		if (posix_spawn(&pids[slot], command[0], NULL, NULL, command, environments[slot]) != 0) {
			perror("spawn-loop: posix_spawn");
			return 1;
		}
		running++;
		runs++;
	}

	while (running > 0) {
		int status;
		pid_t pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			break;
		}
		running--;
		for (int slot = 0; slot < parallel; slot++) {
			if (pids[slot] != pid) {
				continue;
			}
			pids[slot] = 0;
			if (now_seconds() < deadline &&
				posix_spawn(&pids[slot], command[0], NULL, NULL, command, environments[slot]) == 0) {
				running++;
				runs++;
			}
			break;
		}
	}

	printf("runs %ld\n", runs);
	return 0;
}
