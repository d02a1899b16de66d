#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine for the engine tests of Inegi.UrbanGrowth.Cluster
# (tests/Inegi.UrbanGrowth.Cluster.Tests, SlurmEngineTests): installs Debian's slurm-wlm and munge when missing,
# then starts munged, slurmctld and slurmd as root with the test-only eng/slurm/slurm.conf (127.0.0.1 only).
# Idempotent. Stop with .ci/slurm-stop.sh. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
conf="$PWD/eng/slurm/slurm.conf"
if ! command -v slurmctld >/dev/null 2>&1 || ! command -v slurmd >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  echo "Installing slurm-wlm and munge..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi

mkdir -p /tmp/urban-slurm/state /tmp/urban-slurm/spool /run/munge /var/lib/munge /var/log/munge /etc/munge
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
fi
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
chmod 0700 /etc/munge && chmod 0400 /etc/munge/munge.key
if ! pgrep -x munged >/dev/null 2>&1; then
  if id munge >/dev/null 2>&1; then runuser -u munge -- /usr/sbin/munged; else /usr/sbin/munged --force; fi
fi

export SLURM_CONF="$conf"
# slurmctld has no bind address: a test-only shim keeps every daemon's listening sockets on loopback.
shim=/tmp/urban-slurm/bind-loopback.so
if [ ! -s "$shim" ] || [ eng/slurm/bind-loopback.c -nt "$shim" ]; then
  cc -shared -fPIC -O2 -o "$shim" eng/slurm/bind-loopback.c -ldl
fi
if [ ! -f /tmp/urban-slurm/slurmctld.pid ] || ! kill -0 "$(cat /tmp/urban-slurm/slurmctld.pid)" 2>/dev/null; then
  LD_PRELOAD="$shim" /usr/sbin/slurmctld -f "$conf"
fi
if [ ! -f /tmp/urban-slurm/slurmd.pid ] || ! kill -0 "$(cat /tmp/urban-slurm/slurmd.pid)" 2>/dev/null; then
  LD_PRELOAD="$shim" /usr/sbin/slurmd -f "$conf" -N localhost
fi

# Bounded wait for the node to be idle.
for _ in $(seq 1 60); do
  state=$(sinfo -h -N -o '%T' 2>/dev/null | head -1 || true)
  case "$state" in
    idle*|mixed*|allocated*) echo "slurm: node localhost $state (SLURM_CONF=$conf)"; exit 0 ;;
    down*|drain*) scontrol update NodeName=localhost State=RESUME >/dev/null 2>&1 || true ;;
  esac
  sleep 1
done
echo "slurm: the node did not come up; see /tmp/urban-slurm/slurmctld.log and slurmd.log" >&2
exit 1
