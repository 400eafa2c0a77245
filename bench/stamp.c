/*
 * A run that only tells when it ran: appends "SLOT START END\n" (CLOCK_REALTIME nanoseconds, START taken first
 * thing in main, END just before exit) to FILE with one write, then exits with STATUS. The gap between one run's
 * END and the next START in the same slot is the supervisor's reaction time (plus exec, the same for every tool).
 * SLOT comes from $FATC_SLOT (fatc, spawn-loop; set for the peers too), else 0.
 * Usage: stamp FILE STATUS
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_nanoseconds(void) {
	struct timespec time;
	clock_gettime(CLOCK_REALTIME, &time);
	return (long long)time.tv_sec * 1000000000LL + time.tv_nsec;
}

int main(int argc, char **argv) {
	long long start = now_nanoseconds();
	if (argc < 3) {
		fprintf(stderr, "usage: stamp FILE STATUS\n");
		return 2;
	}
	const char *slot = getenv("FATC_SLOT");
	int descriptor = open(argv[1], O_WRONLY | O_APPEND | O_CREAT, 0644);
	if (descriptor < 0) {
		perror("stamp: open");
		return 2;
	}
	char line[96];
	int length = snprintf(line, sizeof line, "%s %lld %lld\n", slot != NULL ? slot : "0", start, now_nanoseconds());
	/* O_APPEND and one short write: lines of parallel runs never mix. */
	if (write(descriptor, line, (size_t)length) != length) {
		return 2;
	}
	return atoi(argv[2]);
}
