#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the grid test (Tests/python/test_slurm_grid.py):
#   local-cluster.sh start DIR   install slurm-wlm and munge if missing, write DIR/slurm.conf, start
#                                munged, slurmctld and slurmd (all state, logs and sockets under DIR)
#   local-cluster.sh stop DIR    stop the three daemons started with DIR
# After start, commands need SLURM_CONF=DIR/slurm.conf (the script prints it). Needs root, as the
# daemons do; nothing under /etc is changed. This is for tests only: a real cluster has its own.
set -euo pipefail

action=${1:?usage: local-cluster.sh start|stop DIR}
dir=${2:?usage: local-cluster.sh start|stop DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

stop() {
  for name in slurmd slurmctld munged; do
    if [[ -f "$dir/$name.pid" ]]; then
      pid=$(cat "$dir/$name.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$dir/$name.pid"
    fi
  done
}

if [[ $action == stop ]]; then stop; exit 0; fi
[[ $action == start ]] || { echo "usage: local-cluster.sh start|stop DIR" >&2; exit 64; }

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  sudo=""; [[ $(id -u) == 0 ]] || sudo=sudo
  $sudo apt-get update -q >/dev/null
  $sudo apt-get install -y -q --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
fi

host=$(hostname -s)
cpus=$(nproc)
memory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
chmod 711 "$dir/munge"
# munged refuses keys and sockets in directories others can write to; DIR/munge is 0711 (clients need to reach the socket).
[[ -f "$dir/munge/munge.key" ]] || { dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none; chmod 400 "$dir/munge/munge.key"; }

cat > "$dir/slurm.conf" <<CONF
ClusterName=sparsemtl-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
SlurmctldPort=$(( 20000 + RANDOM % 10000 ))
SlurmdPort=$(( 30000 + RANDOM % 10000 ))
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
ReturnToService=2
MpiDefault=none
SwitchType=switch/none
KillWait=5
InactiveLimit=0
MinJobAge=300
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
# slurmd loads a cgroup plugin even with proctrack/linuxproc; it only reads the hierarchy here.
printf "CgroupPlugin=autodetect\nCgroupMountpoint=/sys/fs/cgroup\n" > "$dir/cgroup.conf"

stop
munged --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
  --pid-file="$dir/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"
export SLURM_CONF="$dir/slurm.conf"
slurmctld -i -f "$dir/slurm.conf"
slurmd -f "$dir/slurm.conf"
for _ in $(seq 100); do
  if sinfo -h -o %T 2>/dev/null | grep -q -E '^(idle|mixed|allocated)'; then echo "SLURM_CONF=$dir/slurm.conf"; exit 0; fi
  sleep 0.2
done
echo "local-cluster.sh: the node did not come up; logs in $dir/log" >&2
sinfo >&2 || true
tail -n 20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
stop
exit 1
