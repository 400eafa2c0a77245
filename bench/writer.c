/*
 * Writes numbered lines to stdout as fast as the reader takes them, for SECONDS, then exits 0:
 * "PID NUMBER PAYLOAD\n", NUMBER from 1 up, every line LINE_BYTES long (default 100). Before exiting it writes
 * "PID LINES BYTES START_MS\n" to REPORT_FOLDER/PID (START_MS: CLOCK_REALTIME when it began), so a checker knows
 * exactly what should have reached the log, and since when.
 * Usage: writer SECONDS REPORT_FOLDER [LINE_BYTES]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void) {
	struct timespec time;
	clock_gettime(CLOCK_MONOTONIC, &time);
	return (double)time.tv_sec + (double)time.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
	if (argc < 3) {
		fprintf(stderr, "usage: writer SECONDS REPORT_FOLDER [LINE_BYTES]\n");
		return 2;
	}
	struct timespec wall;
	clock_gettime(CLOCK_REALTIME, &wall);
	long long start_milliseconds = (long long)wall.tv_sec * 1000LL + wall.tv_nsec / 1000000;
	double deadline = now_seconds() + atof(argv[1]);
	int line_bytes = argc > 3 ? atoi(argv[3]) : 100;
	if (line_bytes < 32 || line_bytes > 4096) {
		line_bytes = 100;
	}
	static char buffer[1 << 16];
	setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
	char payload[4096];
	memset(payload, 'x', sizeof payload);
	long pid = (long)getpid();
	long long lines = 0;
	long long bytes = 0;
	char line[4200];
	while (1) {
		/* The clock is read every 256 lines: a syscall per line would measure the clock, not the pipe. */
		if ((lines & 255) == 0 && now_seconds() >= deadline) {
			break;
		}
		lines++;
		int head = snprintf(line, sizeof line, "%ld %lld ", pid, lines);
		int fill = line_bytes - head - 1;
		memcpy(line + head, payload, (size_t)fill);
		line[line_bytes - 1] = '\n';
		if (fwrite(line, 1, (size_t)line_bytes, stdout) != (size_t)line_bytes) {
			return 1;
		}
		bytes += line_bytes;
	}
	if (fflush(stdout) != 0) {
		return 1;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/%ld", argv[2], pid);
	FILE *report = fopen(path, "w");
	if (report == NULL) {
		perror("writer: report");
		return 1;
	}
	fprintf(report, "%ld %lld %lld %lld\n", pid, lines, bytes, start_milliseconds);
	fclose(report);
	return 0;
}
