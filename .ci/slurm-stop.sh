#!/usr/bin/env bash
# Stops the test Slurm daemons started by .ci/slurm-setup.sh (by their pid files) and the munged it started.
set -uo pipefail
for pidfile in /tmp/urban-slurm/slurmd.pid /tmp/urban-slurm/slurmctld.pid; do
  if [ -f "$pidfile" ]; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
  fi
done
if [ -f /run/munge/munged.pid ]; then
  kill "$(cat /run/munge/munged.pid)" 2>/dev/null || true
fi
sleep 1
rm -rf /tmp/urban-slurm
echo "slurm: stopped"
