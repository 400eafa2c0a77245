#!/bin/sh
# One run of the trickle workload's worker (bench/workloads/trickle.ts): in one psql call it claims up to 20 unsent
# e-mails (FOR UPDATE SKIP LOCKED, so runs side by side never take the same one), marks them sent, records the run,
# and counts what is still unsent. Exits 64 ("more") while e-mails remain, 0 when none do; 2 if psql failed.
# usage: send-batch.sh SOCKET_FOLDER DATABASE
remaining=$(psql -X -q -tA -v ON_ERROR_STOP=1 -h "$1" -U postgres -d "$2" <<'SQL'
with claimed as (
	select id from emails where sent_at is null order by id limit 20 for update skip locked
), sent as (
	update emails set sent_at = clock_timestamp() from claimed where emails.id = claimed.id returning 1
)
insert into runs (claimed) select count(*) from sent;
select count(*) from emails where sent_at is null;
SQL
) || exit 2
if [ "$remaining" -gt 0 ]; then
	exit 64
fi
exit 0
