import {maximumInstances} from '../core/job-definition.js';

export const usage = `fatc — runs your background scripts again and again, in parallel, steered by their exit status.

Usage
  fatc [-c FILE] [--fresh]       the interactive TUI on a terminal (? lists its keys); without one, as \`fatc run\`
  fatc attach                    the TUI on the running daemon; q leaves it running
  fatc attach ADDRESS…           the fleet view: several daemons in one table (ssh:// URLs, config files, names)
  fatc fleet -f FILE             the fleet view of the hosts: listed in FILE (default ./fleet.yaml)
  fatc run [-c FILE] [--json]    foreground, no TUI: one line per event (systemd, Docker)
  fatc run --run-once            one scheduling pass; exit 0 if every run was done or more, else 1
  fatc --detach                  the same as a headless daemon; returns once it answers on its socket
  fatc status [--json]           jobs and runs of the running fatc (exit 3 when none runs)
  fatc stop                      stop it gracefully; returns once every run is gone
  fatc reload | scale JOB N | pause JOB | resume JOB | restart JOB | trigger JOB
  fatc logs [JOB] [-f] [-n N]    job output: the last N lines (default 20), -f to follow
  fatc metrics                   the running fatc's Prometheus metrics, as its GET /metrics serves them
  fatc history [JOB] [--since 1h] [--limit N] [--json]
                                 ended runs, newest first (the last 20, or all in --since); a stopped fatc's too
  fatc cluster status [--json]   every fatc sharing the config's cluster key, with its jobs and last beat
  fatc cluster pause|resume JOB  pause or resume JOB on all of them at once (kept for those that join later)
  fatc check [--test-fire]       validate the config (exit 0 or 2); --test-fire runs each job once
  fatc import FILE [-o OUT]      convert an original Fat Controller config into YAML
  fatc help COMMAND              that command's own help (as fatc COMMAND --help)
  fatc completion bash|zsh|fish  a shell completion script (commands, options, job names)
  fatc proxy [PATH]              on a server: stdin/stdout to its daemon's socket (what --host runs over ssh)

Exit status of a run steers its job: 0 done (rest for sleep), 64 more (run again at once,
and one more in parallel for the dependent model), anything else error (rest for sleepOnError).

Options
  -c, --config FILE   the config file (default: .fatcontrollerrc and friends, searched upwards)
  --json              JSON lines instead of text (run, status, the daemon's log with --detach)
  --run-once          one pass, then exit
  --fresh             forget the scales and pauses made by hand in an earlier run (fatc, run, --detach)
  --keep-on-hangup    fatc run: run on when nobody reads its output any more (else it stops, exit 141)
  --host URL          a client command (attach, status, stop, reload, scale…, logs, history, metrics) for the
                      daemon on a server, through ssh: ssh://[user@]host[:port][/path/to/app-or-config]
  --test-fire         with check: run each job once in the foreground
  -d, --detach        start the headless daemon
  -h, --help          this text
  -v, --version       the version

The original Fat Controller's flags (--command, --arguments, --threads, --sleep, ...) make a one-job config.
Signals: SIGTERM/SIGINT stop gracefully (a second one SIGKILLs every run); SIGUSR1 reopens the log files
(logrotate); SIGHUP reopens them and reloads the config.
Environment: FATC_HOST (as --host), FATC_SSH_COMMAND (ssh and its options, as GIT_SSH_COMMAND), FATC_REMOTE_FATC
(the fatc to run on the server; default fatc on the SSH user's PATH).
Exit status: 0 ok, 1 runtime failure, 2 usage or config error (or no fatc on the server), 3 no daemon running
(or the server cannot be reached).`;

export const scaleUsage = `usage: fatc scale JOB N (N: an integer from 0 to ${maximumInstances})`;
