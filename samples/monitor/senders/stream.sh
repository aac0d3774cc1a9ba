#!/usr/bin/env bash
# Emits a realistic mixed stream of events to the live monitor, for a bounded time:
#   bash stream.sh [publish-url] [count] [seconds]
# Defaults: the monitor topic of the samples relay at $RELAY (http://127.0.0.1:8080), 300 events,
# 30 seconds. At most 50000 events and 600 seconds. Each second's share goes out through one curl
# process (-K reads many URLs; one kept-alive connection), so hundreds per second are fine.
set -eu
export LC_ALL=C # byte-wise URL encoding below

relay=${RELAY:-http://127.0.0.1:8080}
url=${1:-}
count=${2:-300}
seconds=${3:-30}

if [ -z "$url" ]; then
  url=$(curl -sS "$relay/samples/monitor/api/topic" | sed -n 's/.*"url":"\([^"]*\)".*/\1/p')
fi
[ -n "$url" ] || { echo "no publish URL: pass one, or start the samples relay at $relay" >&2; exit 1; }
[[ $count =~ ^[0-9]+$ ]] && ((count >= 1 && count <= 50000)) || { echo "count must be 1..50000: $count" >&2; exit 2; }
[[ $seconds =~ ^[0-9]+$ ]] && ((seconds >= 1 && seconds <= 600)) || { echo "seconds must be 1..600: $seconds" >&2; exit 2; }

cities=(Lisbon Berlin Osaka Austin Lyon Oslo Pune)
queries=("orders by customer" "product search" "cart totals" "stock levels" "recommendations")
failures=("payment gateway timeout (502)" "image resize failed" "mail queue full, retrying" "slow disk on db-2")

# Sets $event to one "kind: what happened", mixed as a small web shop's traffic would be.
next_event() {
  local roll=$((RANDOM % 100))
  if ((roll < 30)); then event="login: user $((1000 + RANDOM % 9000)) logged in"
  elif ((roll < 68)); then event="query: ${queries[RANDOM % ${#queries[@]}]} took $((20 + RANDOM % 380)) ms"
  elif ((roll < 84)); then printf -v event 'checkout: €%d.%02d' $((8 + RANDOM % 140)) $((RANDOM % 100))
  elif ((roll < 95)); then event="signup: new account from ${cities[RANDOM % ${#cities[@]}]}"
  else event="error: ${failures[RANDOM % ${#failures[@]}]}"
  fi
}

# Sets $encoded to $1 percent-encoded for a query string.
urlencode() {
  local s=$1 c i
  encoded=
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [A-Za-z0-9.~_-]) encoded+=$c ;;
      *) printf -v c '%%%02X' "'$c"; encoded+=$c ;;
    esac
  done
}

echo "sending $count events over $seconds s to ${url%%/t/*}/t/…" >&2
sent=0
for ((second = 1; second <= seconds; second++)); do
  due=$((count * second / seconds))
  config=
  while ((sent < due)); do
    next_event
    urlencode "$event"
    config+="url = \"$url?message=$encoded\""$'\n'"output = \"/dev/null\""$'\n'
    sent=$((sent + 1))
  done
  [ -z "$config" ] || printf '%s' "$config" | curl -sS -K - &
  sleep 1 # pacing: one second's share per second
done
wait
echo "sent $sent events" >&2
