#!/bin/bash
# Asks a real polkitd about requests, with the rules in RULES_DIR as its only /etc rules, on a private
# system bus: both live in a private mount namespace, so the host's bus and rules stay untouched.
# Usage (as root): unshare --mount --propagation private polkitd-check.sh RULES_DIR < requests
# Each request line: USER ACTION_ID UNIT VERB. Prints "pkcheck-exit-status" per line
# (0 authorized, 1 not authorized, 2 needs authentication, …).
set -u
rules=$1
mount -t tmpfs tmpfs /run/dbus || { echo "cannot mount a private /run/dbus" >&2; exit 90; }
mount --bind "$rules" /etc/polkit-1/rules.d || { echo "cannot bind $rules over /etc/polkit-1/rules.d" >&2; exit 91; }
log=$(mktemp)
dbus-daemon --system --nofork --nopidfile 2>>"$log" & bus=$!
for _ in $(seq 1 50); do [[ -S /run/dbus/system_bus_socket ]] && break; sleep 0.1; done
/usr/lib/polkit-1/polkitd --no-debug >>"$log" 2>&1 & polkitd=$!
up=no
for _ in $(seq 1 100); do
  if busctl --system status org.freedesktop.PolicyKit1 >/dev/null 2>&1; then up=yes; break; fi
  sleep 0.1
done
if [[ $up != yes ]]; then
  echo "polkitd did not come up on the private bus:" >&2; cat "$log" >&2
  kill $polkitd $bus 2>/dev/null; wait; rm -f "$log"; exit 92
fi
# One subject process per account, asked about only once it runs as that account: until setpriv
# has switched, the process is still root's, and polkit authorizes root.
declare -A subjects
subject_of() {
  local user=$1
  if [[ -z ${subjects[$user]:-} ]]; then
    setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups sleep 300 </dev/null & local pid=$!
    local uid; uid=$(id -u "$user")
    for _ in $(seq 1 100); do
      [[ $(stat -c %u "/proc/$pid" 2>/dev/null) == "$uid" && $(cat "/proc/$pid/comm" 2>/dev/null) == sleep ]] && break
      sleep 0.05
    done
    subjects[$user]=$pid
  fi
  subject=${subjects[$user]}
}
while read -r user action unit verb; do
  subject_of "$user"
  pkcheck --action-id "$action" --process "$subject" --detail unit "$unit" --detail verb "$verb" >/dev/null 2>>"$log"
  echo $?
done
kill "${subjects[@]}" $polkitd $bus
wait
grep -i -E "error|exception" "$log" >&2
rm -f "$log"
exit 0
