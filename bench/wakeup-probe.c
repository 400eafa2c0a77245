/*
 * Another program on the machine, for the scale workload: sleeps 10 ms again and again, in a session of its own,
 * and on SIGTERM prints "worst MILLISECONDS" — the longest it woke up late — and exits 0. While thousands of runs
 * end at once, how late it wakes is how long any program beside the supervisor waits for the CPU.
 * Built by bench/lib/compile.ts with cc; no dependencies.
 * Usage: wakeup-probe
 */
#include <signal.h>
#include <stdio.h>
#include <time.h>

static volatile sig_atomic_t stopping = 0;

static void on_term(int signal_number) {
	(void)signal_number;
	stopping = 1;
}

static double now_milliseconds(void) {
	struct timespec time;
	clock_gettime(CLOCK_MONOTONIC, &time);
	return (double)time.tv_sec * 1e3 + (double)time.tv_nsec / 1e6;
}

int main(void) {
	signal(SIGTERM, on_term);
	struct timespec ten = {0, 10 * 1000 * 1000};
	double worst = 0;
	while (!stopping) {
		double before = now_milliseconds();
		nanosleep(&ten, NULL);
		double late = now_milliseconds() - before - 10;
		if (!stopping && late > worst) {
			worst = late;
		}
	}
	printf("worst %.1f\n", worst);
	return 0;
}
