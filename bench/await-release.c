/*
 * A run of the scale workload: opens the FIFO (the benchmark holds it open, so this never blocks), appends its start
 * time to MARKS as one 20-byte line (19 digits of CLOCK_REALTIME ns and "\n", until 2286), then reads the FIFO until
 * end of file, which comes to every run at once when the benchmark closes its end: then it exits 0. The FIFO is
 * opened first so that a run that has marked is sure to see the release. Holds one descriptor while it waits.
 * Usage: await-release FIFO MARKS
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
	if (argc != 3) {
		fprintf(stderr, "usage: await-release FIFO MARKS\n");
		return 2;
	}
	int release = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (release < 0) {
		perror("await-release: open FIFO");
		return 2;
	}
	int marks = open(argv[2], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (marks < 0) {
		perror("await-release: open MARKS");
		return 2;
	}
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	char line[32];
	int length = snprintf(line, sizeof line, "%019lld\n", (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
	/* O_APPEND and one short write: the lines of runs starting together never mix. */
	if (length != 20 || write(marks, line, 20) != 20) {
		return 2;
	}
	close(marks);
	char buffer[64];
	for (;;) {
		ssize_t got = read(release, buffer, sizeof buffer);
		if (got == 0) {
			return 0;
		}
		if (got < 0 && errno != EINTR) {
			perror("await-release: read FIFO");
			return 2;
		}
	}
}
